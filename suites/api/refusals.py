"""API015: a refused column change is a refusal the client can see.

``PATCH /profiles?id=eq.<self>`` ``{"role": "admin"}`` by a technician must not change the role;
if the policy merely filters the row out, PostgREST answers ``200 []`` (or 204): the client
believes it saved, the user sees the old value come back. Best practice: the write fails with
42501 and the message or detail names the column, so the client can tell the user why.

The probes come from the access matrix: every column a user may not change on their own row
(``self_protected``), as one user of every app role.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from typing import Any

from psycopg import sql
from psycopg.rows import dict_row

from harness.access.matrix import AccessMatrix
from harness.api_client import ROLLBACK
from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, Severity, check
from suites.api.common import SUITE, api_client, note, role_actors
from suites.security.rls_matrix import load_access

FAMILY = "api"
PREFER = f"{ROLLBACK}, return=representation"


def other_value(conn: Any, schema: str, table: str, column: str, current: Any) -> Any:
    """Return a value of ``column`` that differs from ``current`` and the type accepts."""
    q = sql.SQL("select {c} from {t} where {c} is distinct from %s and {c} is not null"
                " limit 1").format(c=sql.Identifier(column), t=sql.Identifier(schema, table))
    row = conn.execute(q, (current,)).fetchone()
    if row is not None:
        return row[0]
    if isinstance(current, bool):
        return not current
    return f"x{current}"


def probes(ctx: CheckContext, matrix: AccessMatrix) -> Iterator[tuple[str, Any, str, str, Any]]:
    """Yield (role, actor, table, column, value) for every self-protected column change."""
    actors = role_actors(ctx, matrix)
    with ctx.connect() as conn:
        for name, t in sorted(matrix.tables.items()):
            if not t.self_protected or t.schema not in ctx.config.api.schemas:
                continue
            for role in matrix.roles:
                if role not in actors:
                    continue
                actor = actors[role]
                with conn.cursor(row_factory=dict_row) as cur:
                    row = cur.execute(
                        sql.SQL("select * from {} where {} = %s").format(
                            sql.Identifier(t.schema, name), sql.Identifier(t.key)),
                        (actor.user_id,)).fetchone()
                if row is None:
                    continue
                for col in sorted(t.self_protected):
                    if col in row:
                        yield role, actor, name, col, other_value(conn, t.schema, name, col,
                                                                  row[col])


@check(
    "API015",
    title="A refused column change is a refusal the client sees",
    severity=Severity.LOW,
    family=FAMILY,
    suite=SUITE,
    needs=("access",),
    rationale="When a write is refused by filtering the row out, PostgREST answers success "
    "with nothing changed: the client cannot tell a refusal from a save, and users retry or "
    "lose edits silently. The access matrix's protected columns must be refused with 42501 "
    "naming the column.",
    remedy="Refuse the change in a BEFORE UPDATE trigger (or a policy's WITH CHECK) that "
    "raises 42501 with the column in the message, instead of hiding the row with USING.",
)
def visible_refusals(ctx: CheckContext) -> Iterator[Finding]:
    """PATCH each self-protected column of each role's own row; expect 42501 naming it."""
    matrix = load_access(ctx)
    client = api_client(ctx)
    sent = 0
    for role, actor, table, col, value in probes(ctx, matrix):
        key = matrix.tables[table].key
        path = f"/{table}?{key}=eq.{urllib.parse.quote(str(actor.user_id))}"
        resp = client.request("PATCH", path, actor=actor, body={col: value}, prefer=PREFER)
        sent += 1
        text = " ".join(str(resp.body.get(k) or "") for k in ("message", "details", "hint")) \
            if isinstance(resp.body, dict) else ""
        if resp.ok:
            changed = resp.rows
            problem = (f"answered HTTP {resp.status} with {changed} row(s)" +
                       ("" if changed else ": a silent no-op"))
        elif resp.code != "42501" or col not in text:
            problem = f"answered HTTP {resp.status} {resp.code} {resp.message!r}, not 42501 " \
                      f"naming {col}"
        else:
            continue
        yield REFUSALS.finding(
            f"public.{table}.{col}",
            f"PATCH {path} {{{col!r}: ...}} as {role} (own row, {col} is protected) {problem}",
            repro_sql=f"-- {resp.curl}",
            details={"role": role, "column": col, "status": resp.status, "body": resp.body,
                     "curl": resp.curl},
        )
    note(ctx, refusal_probes=sent)


REFUSALS = REGISTRY.get("API015")
