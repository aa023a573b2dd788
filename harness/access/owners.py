"""Owner columns: which tables hand each row to one user by comparing a column with auth.uid().

The commonest Supabase pattern is a policy ``using (user_id = auth.uid())`` (or ``(select
auth.uid())``, or the claims' ``sub`` read directly). Such a table promises that one signed-up
user cannot reach another's rows, which a test can try without knowing anything else about the
schema: sign up two users, give a row to the first, act as the second. This module finds those
tables and columns from ``pg_policies``; the checks and the access recorder drive them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from harness.access import policy_expr

# Policies of these roles apply to a signed-up user (PUBLIC covers every role).
USER_ROLES = frozenset({"authenticated", "public"})


@dataclass(frozen=True)
class OwnerColumn:
    """A column some policy of ``schema.table`` compares with the caller's user id."""

    schema: str
    table: str
    column: str
    commands: frozenset[str]  # the policies' commands: ALL, SELECT, INSERT, UPDATE, DELETE
    policies: tuple[str, ...]  # names of the policies comparing it, sorted
    type: str  # the column's type as format_type() spells it (uuid, text...)

    @property
    def qualified(self) -> str:
        """Return ``schema.table`` (unquoted, for messages and object names)."""
        return f"{self.schema}.{self.table}"


_POLICIES = """
select p.schemaname, p.tablename, p.policyname, p.cmd, p.roles::text[], p.qual, p.with_check
from pg_policies p
where p.schemaname = any(%s)
order by 1, 2, 3
"""

_TYPES = """
select a.attname, format_type(a.atttypid, a.atttypmod)
from pg_attribute a
where a.attrelid = to_regclass(%s) and a.attnum > 0 and not a.attisdropped
"""


def owner_columns(
    conn: psycopg.Connection[Any], schemas: tuple[str, ...] | list[str] = ("public",)
) -> list[OwnerColumn]:
    """Return the owner columns of the tables in ``schemas``, ordered by table and column.

    Only policies that apply to signed-up users (roles ``authenticated`` or PUBLIC) count; a
    column compared in several policies is listed once with all their commands.
    """
    found: dict[tuple[str, str, str], tuple[set[str], set[str]]] = {}
    for schema, table, policy, cmd, roles, qual, check in conn.execute(
        _POLICIES, (list(schemas),)
    ).fetchall():
        if not USER_ROLES & set(roles or ()):
            continue
        cols = policy_expr.owner_columns_of(policy_expr.parse(qual))
        cols |= policy_expr.owner_columns_of(policy_expr.parse(check))
        for col in cols:
            cmds, names = found.setdefault((schema, table, col), (set(), set()))
            cmds.add(str(cmd))
            names.add(str(policy))
    out = []
    types: dict[str, dict[str, str]] = {}
    for (schema, table, col), (cmds, names) in sorted(found.items()):
        key = f"{schema}.{table}"
        if key not in types:
            rel = f'"{schema}"."{table}"'
            types[key] = {str(n): str(t) for n, t in conn.execute(_TYPES, (rel,)).fetchall()}
        if col not in types[key]:  # a column of a joined table inside a sub-select
            continue
        out.append(
            OwnerColumn(schema, table, col, frozenset(cmds), tuple(sorted(names)),
                        types[key][col])
        )
    return out
