"""What one operation costs: each operation of the mix alone through the pooler, with pgbench.

The load phase says whether the budget holds; this phase says where the CPU goes when it does
not. For each operation (as the role that runs it most), pgbench runs only that transaction for
a few seconds through the same pooler, and the CPU the server and the pooler spent (``/proc``),
the round trips the pooler saw (``SHOW STATS``: queries per transaction) and, when the server
has pg_stat_statements, the statements that ran (triggers' and functions' included) are
divided by the transactions done.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from load import server_info
from load.dataset import Prepared
from load.mix import OPERATIONS, ROLES, Role
from load.pgbench import render_single, run_pgbench
from load.pooler import Pooler

TOP_STATEMENTS = 6
CLIENTS = 8  # enough to keep 2 cores busy through the pooler, few enough not to queue much


@dataclass(frozen=True)
class OpCost:
    """One operation's cost per transaction."""

    op: str
    role: str
    transactions: int
    tps: float
    server_cpu_ms: float
    pooler_cpu_ms: float
    round_trips: float
    server_exec_ms: float | None  # pg_stat_statements' top-level statements, summed
    statements: list[dict[str, Any]] = field(default_factory=list)


def heaviest_role(op_name: str) -> Role:
    """Return the role that runs ``op_name`` most often in the mix (its variant is costed)."""
    def share(r: Role) -> float:
        return r.weight * r.tasks.get(op_name, 0) / sum(r.tasks.values())
    return max(ROLES, key=share)


def _pooler_counts(pooler: Pooler) -> tuple[int, int]:
    rows = [r for r in pooler.show("STATS") if r.get("database") == pooler.dbname]
    return (sum(int(r["total_xact_count"]) for r in rows),
            sum(int(r["total_query_count"]) for r in rows))


def measure(
    *, pgbench: str, dsn_args: list[str], pooler: Pooler, admin: psycopg.Connection[Any],
    prepared: Prepared, seconds: int, server_cpu: Callable[[], float],
    pooler_cpu: Callable[[], float], statements: bool, progress: Callable[[str], None],
) -> list[OpCost]:
    """Cost every operation of the mix for ``seconds`` each."""
    out = []
    with tempfile.TemporaryDirectory(prefix="dbh_cost_") as tmp:
        for op_name in OPERATIONS:
            role = heaviest_role(op_name)
            script = Path(tmp) / f"{op_name}.pgbench"
            script.write_text(render_single(role, op_name))
            first, last = prepared.role_range(role.name)
            progress(f"cost of {op_name} (as {role.name}): pgbench {seconds} s")
            snap = server_info.statements(admin) if statements else {}
            xacts0, queries0 = _pooler_counts(pooler)
            s0, p0 = server_cpu(), pooler_cpu()
            res = run_pgbench(pgbench, dsn_args, clients=CLIENTS, threads=1, seconds=seconds,
                              variables={"first": first, "last": last}, script=script)
            s1, p1 = server_cpu(), pooler_cpu()
            xacts1, queries1 = _pooler_counts(pooler)
            n = max(res.transactions, 1)
            ran = server_info.statement_delta(snap, server_info.statements(admin)) \
                if statements else []
            top = [s for s in ran if s.toplevel]
            out.append(OpCost(
                op_name, role.name, res.transactions, res.tps,
                (s1 - s0) * 1000 / n, (p1 - p0) * 1000 / n,
                (queries1 - queries0) / max(xacts1 - xacts0, 1),
                sum(s.total_ms for s in top) / n if statements else None,
                [{"query": " ".join(s.query.split())[:160], "toplevel": s.toplevel,
                  "calls_per_op": round(s.calls / n, 2), "ms_per_op": round(s.total_ms / n, 3)}
                 for s in ran[:TOP_STATEMENTS]],
            ))
    return out
