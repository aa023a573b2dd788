"""What the generic attacks share: the Supabase precondition, the API's tables, two users.

The attacks need no access matrix: they compare what the database lets one caller do with what
it lets another do (:mod:`suites.attacks.probes`), and every finding carries a script that
replays it (:mod:`suites.attacks.repro`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from harness.context import CheckContext
from harness.errors import CheckSkipped
from harness.signup import (
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
