"""Find the actor a test means: "a technician of the first warehouse", a profile id, anon.

The profiles come from the database (the seed data), read through the access matrix's
``[actors]`` table (which table, key, role, activity and home columns), so any schema with an
``access.toml`` can name its users by role.
"""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
from psycopg import sql

from harness.access.matrix import AccessMatrix
from harness.errors import ConfigError
from harness.impersonate import ANON_ROLE, SERVICE_ROLE, Actor

Warehouse = int | str | uuid.UUID | None


def _warehouses(conn: psycopg.Connection[Any], m: AccessMatrix) -> list[Any]:
    """Tenant ids of the actor table, in key order: ``warehouse=1`` is the first."""
    q = sql.SQL("select distinct {home} from {table} where {home} is not null order by 1").format(
        home=sql.Identifier(m.actors.home), table=sql.Identifier(*m.actors.table.split(".")))
    return [r[0] for r in conn.execute(q).fetchall()]


def find_actor(
    conn: psycopg.Connection[Any],
    matrix: AccessMatrix | None,
    role: str | None = None,
    *,
    warehouse: Warehouse = None,
    profile: str | uuid.UUID | None = None,
    index: int = 0,
) -> Actor:
    """Return the actor: ``anon``, ``service_role``, a profile id, or an active profile by role.

    ``warehouse`` is a tenant id, or a 1-based position among the tenants profiles live in (in id
    order); ``index`` picks among several matching profiles (in id order). Anything that names no
    one is a :class:`ConfigError` that says what exists.
    """
    if role in (ANON_ROLE, SERVICE_ROLE) and profile is None:
        return Actor.anon() if role == ANON_ROLE else Actor.service_role()
    if matrix is None:
        if profile is not None:
            return Actor.user(profile)
        raise ConfigError(
            f"cannot find a {role!r} profile: the schema has no dbharness/access.toml naming "
            "its [actors] table",
            hint="pass profile=<uuid>, or use 'anon' / 'service_role'",
        )
    a = matrix.actors
    table = sql.Identifier(*a.table.split("."))
    cols = sql.SQL(", ").join(map(sql.Identifier, (a.key, a.role, a.active, a.home)))
    email = sql.SQL(", email") if _has_email(conn, a.table) else sql.SQL(", null")
    rows = conn.execute(
        sql.SQL("select {cols}{email} from {table} order by {key}").format(
            cols=cols, email=email, table=table, key=sql.Identifier(a.key))
    ).fetchall()
    if profile is not None:
        want = str(profile)
        hit = next((r for r in rows if str(r[0]) == want), None)
        if hit is None:
            raise ConfigError(f"no {a.table} row with {a.key} = {want}")
        return Actor.user(hit[0], hit[4])
    if role is None:
        raise ConfigError("name a role (e.g. 'technician', 'anon', 'service_role') or a profile")
    if role not in matrix.roles:
        raise ConfigError(
            f"unknown role {role!r}",
            hint=f"the access matrix's roles: {', '.join(matrix.roles)}; or anon, service_role",
        )
    home = _resolve_warehouse(conn, matrix, warehouse)
    found = [r for r in rows
             if r[1] == role and r[2] and (home is None or str(r[3]) == str(home))]
    if len(found) <= index:
        where = "" if home is None else f" in {a.home} {home}"
        raise ConfigError(
            f"no{' ' + str(index + 1) + '.' if index else ''} active {role} profile{where} "
            f"in {a.table}",
            hint=f"{len(found)} match; the seed data decides who exists",
        )
    r = found[index]
    return Actor.user(r[0], r[4])


def _resolve_warehouse(conn: psycopg.Connection[Any], m: AccessMatrix, w: Warehouse) -> Any:
    if w is None:
        return None
    if isinstance(w, int) and not isinstance(w, bool):
        known = _warehouses(conn, m)
        if not 1 <= w <= len(known):
            raise ConfigError(f"warehouse={w}: profiles live in {len(known)} tenant(s)",
                              hint="a position counts from 1 in id order; or pass the id")
        return known[w - 1]
    return w


def _has_email(conn: psycopg.Connection[Any], table: str) -> bool:
    row = conn.execute(
        "select exists (select from pg_attribute where attrelid = to_regclass(%s)"
        " and attname = 'email' and not attisdropped)", (table,)
    ).fetchone()
    return bool(row and row[0])
