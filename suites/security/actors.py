"""The app users of the database under test, read as the superuser through the access matrix."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from harness.access.matrix import AccessMatrix


def app_users(conn: psycopg.Connection[Any], m: AccessMatrix) -> list[dict[str, Any]]:
    """Every profile as ``{id, role, home, active}`` (text, text, text, bool), ordered by id."""
    a = m.actors
    q = sql.SQL(
        "select {k}::text as id, {r}::text as role, {h}::text as home, {act} as active "
        "from {t} order by {k}"
    ).format(
        k=sql.Identifier(a.key),
        r=sql.Identifier(a.role),
        h=sql.Identifier(a.home),
        act=sql.Identifier(a.active),
        t=sql.Identifier(m.table(a.table).schema if a.table in m.tables else "public", a.table),
    )
    with conn.cursor(row_factory=dict_row) as cur:
        return list(cur.execute(q).fetchall())


def first_active_by_role(users: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Map each app role to its first active user."""
    first: dict[str, dict[str, Any]] = {}
    for u in users:
        if u["active"]:
            first.setdefault(u["role"], u)
    return first
