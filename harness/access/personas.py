"""Who ``dbharness access record`` acts as: a small, stable set of named API callers.

Always the two API keys (``anon``, ``service_role``) and two fresh email sign-ups (what anyone on
the internet becomes after signing up). Then users the database already has (the seed data):
when the schema's ``access.toml`` names its ``[actors]`` table, one active user per app role in
each of the first two tenants (two per role, so "another user of the same kind" exists); without
it, the first few ``auth.users`` rows by email. Names, never uuids, identify a persona in the
snapshot, so the file reads the same in every run and a diff names people, not keys.
"""

from __future__ import annotations

import uuid
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

    ``skip``: the fresh sign-ups (a sign-up trigger may have given them a profile).
    """
    a = matrix.actors
    has_email = conn.execute(
        "select exists (select from pg_attribute where attrelid = to_regclass(%s)"
        " and attname = 'email' and not attisdropped)", (a.table,)
    ).fetchone()
    q = sql.SQL(
        "select {key}, {role}::text, {home}, {email} from {table}"
        " where {active} and {home} is not null order by {home}, {key}"
    ).format(
        key=sql.Identifier(a.key), role=sql.Identifier(a.role), home=sql.Identifier(a.home),
        email=sql.SQL("email") if has_email and has_email[0] else sql.SQL("null"),
        table=_ident(a.table), active=sql.Identifier(a.active),
    )
    rows = [r for r in conn.execute(q).fetchall() if r[0] not in skip]
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


def choose_personas(
    conn: psycopg.Connection[Any], matrix: AccessMatrix | None, warn: list[str]
) -> list[Persona]:
    """Return every persona, API keys first, then users by name; signs the fresh users up."""
    fresh = signed_up(conn, warn)
    skip = {p.user_id for p in fresh if p.user_id}
    existing = (from_actor_table(conn, matrix, skip) if matrix is not None
                else from_auth_users(conn, skip))
    users = sorted([*existing, *fresh], key=lambda p: p.name)
    return [*api_keys(conn, warn), *users]
