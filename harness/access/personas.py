"""Who ``dbharness access record`` acts as: a small, stable set of named API callers.

Always the two API keys (``anon``, ``service_role``) and two fresh email sign-ups (what anyone on
the internet becomes after signing up). Then users the database already has (the seed data):
when the schema's ``access.toml`` names its ``[actors]`` table, one active user per app role in
each of the first two tenants (two per role, so "another user of the same kind" exists); without
it, two members of each of the first two tenants of every membership table the policies join
(a table a policy's subquery reads, with a column referencing ``auth.users`` and another foreign
key), plus the first few other ``auth.users`` rows by email. Names, never uuids, identify a
persona in the snapshot, so the file reads the same in every run and a diff names people.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from harness.access.matrix import AccessMatrix
from harness.impersonate import USER_ROLE, Actor
from harness.signup import SignupRefused, has_auth_users, persona_id, sign_up

SIGNUPS = ("signup-1", "signup-2")
SIGNUP_DOMAIN = "example.test"  # reserved for testing (RFC 2606): never a real mailbox
TENANTS = 2  # users per role are drawn from this many tenants (the "second user" of a kind)
MAX_EXISTING = 6  # without an [actors] table: how many existing auth.users rows become personas


@dataclass(frozen=True)
class Persona:
    """A named caller: how the database is told (``actor``) and what a reviewer reads."""

    name: str
    actor: Actor
    about: str

    @property
    def user_id(self) -> uuid.UUID | None:
        """Return the auth.uid() this persona has (None for the API keys)."""
        return self.actor.user_id


def existing_roles(conn: psycopg.Connection[Any], roles: list[str]) -> list[str]:
    """Return those of ``roles`` the server has (a plain PostgreSQL schema may lack some)."""
    rows = conn.execute("select rolname from pg_roles where rolname = any(%s)", (roles,))
    have = {r[0] for r in rows.fetchall()}
    return [r for r in roles if r in have]


@dataclass(frozen=True)
class Tenancy:
    """The tenant column the personas are drawn by, and each tenant's position (from 1).

    Rows reached are then also named by tenant: ``some (warehouse_id #1)`` turning into
    ``some (warehouse_id #1, #2)`` is a user reaching into another tenant.
    """

    column: str
    positions: Mapping[str, int]  # tenant id as text -> position, in id order
    table: str = ""  # the tenants' own table (``schema.name``, unquoted): its key is the tenant

    def label(self, values: Iterable[str | None]) -> str:
        """Name the tenants of ``values`` by position (``other`` for ids no persona has)."""
        got = {self.positions.get(v) if v is not None else None for v in values}
        names = [f"#{p}" for p in sorted(p for p in got if p is not None)]
        if None in got:
            names.append("other")
        return f"{self.column} {', '.join(names)}"


def _relation_name(conn: psycopg.Connection[Any], oid: int) -> str:
    row = conn.execute("select n.nspname || '.' || c.relname from pg_class c"
                       " join pg_namespace n on n.oid = c.relnamespace where c.oid = %s",
                       (oid,)).fetchone()
    return str(row[0]) if row else ""


def _positions(values: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out.setdefault(v, len(out) + 1)
    return out


def api_keys(conn: psycopg.Connection[Any], warn: list[str]) -> list[Persona]:
    """Return the callers holding only a project API key (whose role the server has)."""
    keys = [
        Persona("anon", Actor.anon(), "anon key (role anon), nobody signed in"),
        Persona("service_role", Actor.service_role(), "service_role key (server-side)"),
    ]
    have = existing_roles(conn, [p.actor.db_role for p in keys])
    for p in keys:
        if p.actor.db_role not in have:
            warn.append(f"no role {p.actor.db_role}: no {p.name} persona")
    return [p for p in keys if p.actor.db_role in have]


def signed_up(conn: psycopg.Connection[Any], warn: list[str]) -> list[Persona]:
    """Sign the fresh users up (committed: ``conn`` must be a throwaway database's)."""
    if not has_auth_users(conn) or not existing_roles(conn, [USER_ROLE]):
        warn.append("no auth.users table or no role authenticated: no signed-up personas")
        return []
    out = []
    for name in SIGNUPS:
        email = f"{name}@{SIGNUP_DOMAIN}"
        try:
            user = sign_up(conn, email=email, user_id=persona_id(name))
        except SignupRefused as exc:
            warn.append(f"{name}: the sign-up was refused ({exc.sqlstate}): {exc.message}")
            continue
        out.append(Persona(name, user.actor, f"new email sign-up {email}, no metadata"))
    return out


def _ident(qualified: str) -> sql.Identifier:
    return sql.Identifier(*qualified.split("."))


def from_actor_table(
    conn: psycopg.Connection[Any], matrix: AccessMatrix, skip: set[uuid.UUID]
) -> list[Persona]:
    """One active user per app role in each of the first tenants of the ``[actors]`` table.

    Plus the first deactivated user of those tenants, when there is one.

    ``skip``: the fresh sign-ups (a sign-up trigger may have given them a profile).
    """
    a = matrix.actors
    has_email = conn.execute(
        "select exists (select from pg_attribute where attrelid = to_regclass(%s)"
        " and attname = 'email' and not attisdropped)", (a.table,)
    ).fetchone()
    q = sql.SQL(
        "select {key}, {role}::text, {home}, {email}, {active} from {table}"
        " where {home} is not null order by {home}, {key}"
    ).format(
        key=sql.Identifier(a.key), role=sql.Identifier(a.role), home=sql.Identifier(a.home),
        email=sql.SQL("email") if has_email and has_email[0] else sql.SQL("null"),
        table=_ident(a.table), active=sql.Identifier(a.active),
    )
    everyone = [r for r in conn.execute(q).fetchall() if r[0] not in skip]
    rows = [r for r in everyone if r[4]]
    tenants: list[Any] = []
    for r in rows:
        if r[2] not in tenants:
            tenants.append(r[2])
    out: list[Persona] = []
    for role in matrix.roles:
        for pos, tenant in enumerate(tenants[:TENANTS], start=1):
            hit = next((r for r in rows if r[1] == role and r[2] == tenant), None)
            if hit is None:
                continue
            about = f"{a.table}: {a.role} {role}, {a.home} #{pos}" + (
                f" ({hit[3]})" if hit[3] else "")
            out.append(Persona(f"{role}@{a.home}#{pos}", Actor.user(hit[0], hit[3]), about))
    # a deactivated user must reach nothing: one of them shows whether that still holds
    off = next((r for r in everyone if not r[4] and r[2] in tenants[:TENANTS]), None)
    if off is not None:
        pos = tenants.index(off[2]) + 1
        about = f"{a.table}: {a.role} {off[1]}, {a.home} #{pos}, {a.active} false" + (
            f" ({off[3]})" if off[3] else "")
        out.append(Persona(f"inactive@{a.home}#{pos}", Actor.user(off[0], off[3]), about))
    return out


def from_auth_users(conn: psycopg.Connection[Any], skip: set[uuid.UUID]) -> list[Persona]:
    """Return the first existing users by email (the seed's), named by their address."""
    if not has_auth_users(conn):
        return []
    rows = conn.execute(
        "select id, email from auth.users where email is not null and not (id = any(%s))"
        " order by email limit %s", (list(skip), MAX_EXISTING)
    ).fetchall()
    return [Persona(str(email), Actor.user(uid, email), "existing user (seed data)")
            for uid, email in rows]


# Tables another table's policies read (a membership table is joined in a policy's subquery),
# with a column referencing auth.users (the member) and another foreign key (the tenant).
_MEMBERSHIPS = """
select distinct m.oid, format('%I.%I', n.nspname, m.relname), u.attname, t.attname,
       tf.confrelid
from pg_policy pol
join pg_depend d on d.classid = 'pg_policy'::regclass and d.objid = pol.oid
     and d.refclassid = 'pg_class'::regclass and d.refobjid <> pol.polrelid
join pg_class m on m.oid = d.refobjid and m.relkind in ('r', 'p')
join pg_namespace n on n.oid = m.relnamespace
join pg_constraint uf on uf.conrelid = m.oid and uf.contype = 'f'
     and uf.confrelid = 'auth.users'::regclass and cardinality(uf.conkey) = 1
join pg_attribute u on u.attrelid = m.oid and u.attnum = uf.conkey[1]
join lateral (select c.conkey[1] as attnum, c.confrelid from pg_constraint c
              where c.conrelid = m.oid and c.contype = 'f' and cardinality(c.conkey) = 1
                and c.confrelid <> 'auth.users'::regclass
              order by c.conkey[1] limit 1) tf on true
join pg_attribute t on t.attrelid = m.oid and t.attnum = tf.attnum
order by 2
"""


def tenancy_of(conn: psycopg.Connection[Any], matrix: AccessMatrix | None) -> Tenancy | None:
    """Return the tenant column and positions the personas were drawn by, if any."""
    if matrix is not None:
        a = matrix.actors
        q = sql.SQL("select {home}::text from (select distinct {home} from {table}"
                    " where {active} and {home} is not null) s order by {home}").format(
            home=sql.Identifier(a.home), table=_ident(a.table), active=sql.Identifier(a.active))
        ref = conn.execute(
            "select c.confrelid from pg_constraint c join pg_attribute a"
            " on a.attrelid = c.conrelid and a.attnum = c.conkey[1]"
            " where c.conrelid = to_regclass(%s) and c.contype = 'f'"
            " and cardinality(c.conkey) = 1 and a.attname = %s", (a.table, a.home)).fetchone()
        return Tenancy(matrix.scope_column, _positions(r[0] for r in conn.execute(q)),
                       _relation_name(conn, ref[0]) if ref else "")
    if not has_auth_users(conn):
        return None
    first = conn.execute(_MEMBERSHIPS).fetchone()
    if first is None:
        return None
    _oid, table, _user, tenant, tenants_table = first
    q = sql.SQL("select distinct {t}::text from {m} where {t} is not null order by 1").format(
        t=sql.Identifier(tenant), m=sql.SQL(table))
    return Tenancy(tenant, _positions(r[0] for r in conn.execute(q)),
                   _relation_name(conn, tenants_table))


def from_memberships(conn: psycopg.Connection[Any], skip: set[uuid.UUID]) -> list[Persona]:
    """Two members of each of the first tenants of every membership table the policies join.

    Named ``<table>.<tenant column>#N/K`` (the K-th member of the N-th tenant, in id order).
    """
    if not has_auth_users(conn):
        return []
    out: list[Persona] = []
    for _oid, table, user_col, tenant_col, _ in conn.execute(_MEMBERSHIPS).fetchall():
        q = sql.SQL(
            "select m.{t}::text, m.{u}, u.email from {m} m join auth.users u on u.id = m.{u}"
            " where m.{t} is not null order by m.{t}::text, u.email, m.{u}"
        ).format(t=sql.Identifier(tenant_col), u=sql.Identifier(user_col),
                 m=sql.SQL(table))
        tenants: dict[str, list[tuple[uuid.UUID, str | None]]] = {}
        for tenant, uid, email in conn.execute(q).fetchall():
            if uid in skip:
                continue
            members = tenants.setdefault(tenant, [])
            if uid not in [m[0] for m in members]:
                members.append((uid, email))
        short = table.split(".")[-1]
        for pos, members in enumerate(list(tenants.values())[:TENANTS], start=1):
            for k, (uid, email) in enumerate(members[:TENANTS], start=1):
                out.append(Persona(
                    f"{short}.{tenant_col}#{pos}/{k}", Actor.user(uid, email),
                    f"member {k} of the {_ordinal(pos)} {tenant_col} in {table}"
                    + (f" ({email})" if email else "")))
    return out


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second"}.get(n, f"#{n}")


def choose_personas(
    conn: psycopg.Connection[Any], matrix: AccessMatrix | None, warn: list[str]
) -> list[Persona]:
    """Return every persona, API keys first, then users by name; signs the fresh users up."""
    fresh = signed_up(conn, warn)
    skip = {p.user_id for p in fresh if p.user_id}
    if matrix is not None:
        existing = from_actor_table(conn, matrix, skip)
    else:
        existing = from_memberships(conn, skip)
        # members are users too: the plain list adds the others (owners of their own rows)
        seen = {p.user_id for p in existing if p.user_id} | skip
        existing += from_auth_users(conn, seen)
    users = sorted([*existing, *fresh], key=lambda p: p.name)
    return [*api_keys(conn, warn), *users]
