"""What the generic attacks share: the Supabase precondition, the API's tables, probes as a user.

The attacks need no access matrix: they compare what the database lets one caller do with what
it lets another do, each probe in a transaction that is rolled back, every caller impersonated
exactly as PostgREST does (:func:`harness.impersonate.impersonate`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from harness.context import CheckContext
from harness.errors import CheckSkipped
from harness.impersonate import Actor, impersonate
from harness.signup import (
    AUTH_ADMIN_ROLE,
    SignedUp,
    SignupRefused,
    has_auth_users,
    persona_id,
    sign_up,
)

# Schemas of PostgreSQL and of the platform: never the project's tables.
PLATFORM_SCHEMAS = frozenset({
    "pg_catalog", "information_schema", "pg_toast", "auth", "storage", "extensions",
    "dbharness_meta", "graphql", "graphql_public", "realtime", "_realtime", "supabase_functions",
    "supabase_migrations", "vault", "pgsodium", "pgsodium_masks", "pgbouncer", "net", "cron",
})
# Each probe statement gets this long: a probe that hangs says nothing and must not stall a run.
PROBE_TIMEOUT = "5s"
# SQLSTATE classes that mean the probe's own SQL is wrong for this schema, not a refusal.
BROKEN_PROBE = re.compile(r"^42(?!501)")


def require_auth(conn: psycopg.Connection[Any], check_id: str) -> None:
    """Skip the check on a schema without Supabase's ``auth.users`` (nobody can sign up)."""
    if not has_auth_users(conn):
        raise CheckSkipped(
            f"{check_id}: the database has no auth.users, so it is not a Supabase-style schema "
            "and nobody can sign up"
        )


def exposed_schemas(ctx: CheckContext) -> tuple[str, ...]:
    """Return the schemas the API serves (config ``exposed_schemas`` and ``api.schemas``)."""
    return tuple(sorted(set(ctx.config.exposed_schemas) | set(ctx.config.api.schemas)))


def is_platform_schema(name: str) -> bool:
    """Tell whether ``name`` is PostgreSQL's or the platform's schema."""
    return name in PLATFORM_SCHEMAS or name.startswith("pg_")


@dataclass(frozen=True)
class Relation:
    """A table or view of an exposed schema and what ``authenticated`` may do with it."""

    schema: str
    name: str
    kind: str  # pg_class.relkind
    privileges: frozenset[str]  # SELECT, INSERT, UPDATE, DELETE held by authenticated
    key: tuple[str, ...] = ()  # primary key columns
    update_column: str | None = None  # a non-key column authenticated may update

    @property
    def qualified(self) -> str:
        """Return ``schema.name`` for messages."""
        return f"{self.schema}.{self.name}"

    @property
    def ident(self) -> sql.Identifier:
        """Return the quoted name for statements."""
        return sql.Identifier(self.schema, self.name)


_RELATIONS = """
select n.nspname, c.relname, c.relkind,
       array_remove(array[
         case when has_any_column_privilege('authenticated', c.oid, 'select') then 'SELECT' end,
         case when has_any_column_privilege('authenticated', c.oid, 'insert') then 'INSERT' end,
         case when has_any_column_privilege('authenticated', c.oid, 'update') then 'UPDATE' end,
         case when has_table_privilege('authenticated', c.oid, 'delete') then 'DELETE' end
       ], null),
       coalesce((select array_agg(a.attname order by k.ord)
                 from pg_index i, unnest(i.indkey) with ordinality k(attnum, ord)
                 join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
                 where i.indrelid = c.oid and i.indisprimary), '{}'),
       (select a.attname from pg_attribute a
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
          and a.attgenerated = '' and a.attidentity <> 'a'
          and has_column_privilege('authenticated', c.oid, a.attnum, 'update')
          and not exists (select from pg_index i where i.indrelid = c.oid
                          and i.indisprimary and a.attnum = any(i.indkey))
        order by (format_type(a.atttypid, null) in ('text', 'character varying')) desc, a.attnum
        limit 1)
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = any(%s) and c.relkind in ('r', 'p', 'v', 'm', 'f')
  and has_schema_privilege('authenticated', n.oid, 'usage')
  and not exists (select from pg_depend d where d.classid = 'pg_class'::regclass
                  and d.objid = c.oid and d.deptype = 'e')
  and not c.relispartition
order by 1, 2
"""


def exposed_relations(conn: psycopg.Connection[Any], schemas: Iterable[str]) -> list[Relation]:
    """Return the relations of ``schemas`` that ``authenticated`` holds any privilege on."""
    out = []
    for schema, name, kind, privs, key, upd in conn.execute(
        _RELATIONS, (list(schemas),)
    ).fetchall():
        if privs:
            out.append(Relation(schema, name, kind, frozenset(privs), tuple(key), upd))
    return out


@dataclass(frozen=True)
class Outcome:
    """What one probe statement did: the rows it touched, or the SQLSTATE it ended with."""

    rows: int | None = None
    sqlstate: str | None = None
    message: str = ""
    # Judged by the victim's rows (:func:`reached`): ``rows`` is 1 when they changed.
    by_victim: bool = False

    @property
    def succeeded(self) -> bool:
        """Whether it touched (read, changed) at least one row."""
        return bool(self.rows)

    @property
    def broken(self) -> bool:
        """Whether the probe's own SQL is wrong for this schema (no verdict)."""
        return self.sqlstate is not None and bool(BROKEN_PROBE.match(self.sqlstate))

    def __str__(self) -> str:
        if self.sqlstate is not None:
            return f"refused ({self.sqlstate})"
        if self.by_victim:
            return "reached it" if self.rows else "no effect"
        return f"{self.rows} row(s)"


@contextmanager
def acting(conn: psycopg.Connection[Any], actor: Actor) -> Iterator[psycopg.Cursor[Any]]:
    """Impersonate ``actor`` (rolled back at the end) with a per-statement time limit."""
    with impersonate(conn, actor) as cur:
        cur.execute(sql.SQL("set local statement_timeout = {}").format(sql.Literal(PROBE_TIMEOUT)))
        yield cur


def attempt(cur: psycopg.Cursor[Any], statement: sql.Composed | sql.SQL | str) -> Outcome:
    """Run ``statement`` in a savepoint that is always undone; count rows read or changed.

    A statement that returns rows is judged by its first column (a ``count(*)``), any other by
    its row count.
    """
    conn = cur.connection
    try:
        with conn.transaction(force_rollback=True):
            cur.execute(statement.encode() if isinstance(statement, str) else statement)
            if cur.description is not None:
                row = cur.fetchone()
                return Outcome(rows=int(row[0]) if row and row[0] is not None else 0)
            return Outcome(rows=max(cur.rowcount, 0))
    except psycopg.Error as exc:
        msg = (exc.diag.message_primary or str(exc)).strip()
        return Outcome(sqlstate=exc.sqlstate or "?", message=msg)


def sign_up_persona(conn: psycopg.Connection[Any], name: str) -> SignedUp:
    """Sign up ``name``@example.com plainly (no metadata); :class:`SignupRefused` passes through."""
    return sign_up(conn, email=f"{name}@example.com", user_id=persona_id(f"dbh:{name}"))


@dataclass
class Personas:
    """Two plainly signed-up users, or why the schema would not have them."""

    users: list[SignedUp] = field(default_factory=list)
    refused: str | None = None


def two_users(conn: psycopg.Connection[Any], names: tuple[str, str]) -> Personas:
    """Sign up two plain users (committed: run on a clone); ``refused`` says why not."""
    out = Personas()
    for name in names:
        try:
            out.users.append(sign_up_persona(conn, name))
        except SignupRefused as exc:
            out.refused = f"{exc.sqlstate} {exc.message}"
            return out
    return out


def lit(value: object) -> str:
    """Render ``value`` as an SQL literal (for repro scripts)."""
    return sql.Literal(value).as_string(None)


def user_insert_sql(conn: psycopg.Connection[Any], user: SignedUp, raw_user: str) -> str:
    """Return the INSERT into auth.users a sign-up of ``user`` performs, for a repro."""
    cols = {
        str(r[0])
        for r in conn.execute(
            "select attname from pg_attribute where attrelid = 'auth.users'::regclass"
            " and attnum > 0 and not attisdropped"
        ).fetchall()
    }
    values = {
        "id": str(user.user_id), "aud": "authenticated", "role": "authenticated",
        "email": user.email, "raw_app_meta_data": '{"provider": "email", "providers": ["email"]}',
        "raw_user_meta_data": raw_user,
    }
    values = {k: v for k, v in values.items() if k in cols}
    names = ", ".join(values)
    return f"insert into auth.users ({names})\n  values ({', '.join(map(lit, values.values()))});"


def new_id(label: str) -> uuid.UUID:
    """Return a deterministic id for something a probe creates."""
    return persona_id(f"dbh:row:{label}")


def reached(
    cur: psycopg.Cursor[Any], actor: Actor, statement: sql.Composed | sql.SQL,
    fingerprint: sql.Composed,
) -> Outcome:
    """Run ``statement`` as ``actor`` and tell whether it changed the rows ``fingerprint`` reads.

    ``fingerprint`` (run as the superuser, past RLS, before and after, in the same undone
    savepoint) returns one value that changes with the victim's rows (their count and ctids:
    every UPDATE writes a new row version). ``rows`` is 1 when it changed, else 0: the judge is
    the victim's rows, not the statement's row count, so statements without a WHERE clause
    (whose SET reads no column, so SELECT policies do not filter them) count as well.
    """
    conn = cur.connection
    role = actor.db_role
    with conn.transaction(force_rollback=True):
        cur.execute("reset role")
        before = cur.execute(fingerprint).fetchone()
        cur.execute("select set_config('role', %s, true)", (role,))
        try:
            with conn.transaction():
                cur.execute(statement)
        except psycopg.Error as exc:
            msg = (exc.diag.message_primary or str(exc)).strip()
            cur.execute("select set_config('role', %s, true)", (role,))
            return Outcome(sqlstate=exc.sqlstate or "?", message=msg)
        cur.execute("reset role")
        after = cur.execute(fingerprint).fetchone()
        cur.execute("select set_config('role', %s, true)", (role,))
    return Outcome(rows=int(before != after), by_victim=True)


def fingerprint_of(table: sql.Composable, where: sql.Composable) -> sql.Composed:
    """Return the query :func:`reached` compares: count and row versions of ``where``'s rows."""
    return sql.SQL(
        "select count(*) || ':' || coalesce(string_agg(ctid::text, ',' order by ctid), '')"
        " from {} where {}"
    ).format(table, where)


def auth_server_role(conn: psycopg.Connection[Any]) -> str | None:
    """Return the role sign-ups run as (as :mod:`harness.signup` decides), None for the caller."""
    row = conn.execute(
        "select 1 from pg_roles where rolname = %s"
        " and has_table_privilege(%s, 'auth.users', 'INSERT')",
        (AUTH_ADMIN_ROLE, AUTH_ADMIN_ROLE),
    ).fetchone()
    return AUTH_ADMIN_ROLE if row else None


def scripted_repro(
    conn: psycopg.Connection[Any],
    users: list[SignedUp],
    setup: list[str],
    actor: Actor,
    statement: str,
    after: str,
) -> str:
    """Return a self-contained psql script: sign-ups, setup, the statement as ``actor``, a look.

    Pasted into psql on a fresh copy of the schema it signs the users up (their triggers run),
    prepares the rows (as the superuser), runs ``statement`` exactly as PostgREST would for
    ``actor``, shows ``after`` as the superuser, and rolls everything back.
    """
    lines = ["BEGIN;", "-- plain sign-ups, as the auth server performs them"]
    role = auth_server_role(conn)
    if role:
        lines.append(f"set local role {role};")
    lines += [user_insert_sql(conn, u, "{}") for u in users]
    lines.append("reset role;")
    lines += [s.rstrip(";") + ";" for s in setup]
    lines.append(f"-- as {actor}, as PostgREST runs a request")
    lines.append(
        f"select set_config('role', {lit(actor.db_role)}, true), "
        f"set_config('request.jwt.claims', {lit(actor.claims_json())}, true), "
        "set_config('request.method', 'POST', true);"
    )
    lines.append(statement.rstrip().rstrip(";") + ";")
    lines += ["-- back as the superuser: what the statement reached", "reset role;",
              after.rstrip(";") + ";", "ROLLBACK;"]
    return "\n".join(lines) + "\n"
