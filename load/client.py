"""One simulated API caller's database side: a pooled connection and impersonated transactions.

Behind pgbouncer in transaction pooling a client's consecutive transactions may land on different
server connections, so a client keeps no session state: every setting is made with
``set_config(..., true)`` inside the transaction (:func:`harness.impersonate.impersonate` does
exactly what PostgREST does), and prepared statements are off (pgbouncer before 1.21 cannot
route them).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from harness.impersonate import DEFAULT_METHOD, Actor, impersonate

CONNECT_OP = "connect"  # the name connection failures are reported under


class SqlFailure(Exception):
    """A failed operation, named by SQLSTATE so that Locust groups failures by it.

    The text is only the SQLSTATE and the error class: messages carry ids and values that would
    split one kind of failure into thousands of rows.
    """

    def __init__(self, sqlstate: str, error_class: str) -> None:
        super().__init__(f"{sqlstate} {error_class}")
        self.sqlstate = sqlstate


def failure_of(exc: BaseException) -> SqlFailure:
    """Map an exception to its :class:`SqlFailure` (no SQLSTATE: the class name stands in)."""
    if isinstance(exc, psycopg.Error) and exc.sqlstate:
        return SqlFailure(exc.sqlstate, type(exc).__name__)
    if isinstance(exc, psycopg.Error):  # client side (connection lost...): the message says what
        first = (str(exc).strip().splitlines() or [""])[0][:80]
        return SqlFailure("-----", f"{type(exc).__name__}: {first}")
    return SqlFailure("-----", type(exc).__name__)


def connect(dsn: str) -> psycopg.Connection[Any]:
    """Open a pooler-safe connection: autocommit (transactions are explicit), no prepares."""
    return psycopg.connect(dsn, autocommit=True, prepare_threshold=None)


def run_transaction(
    conn: psycopg.Connection[Any], actor: Actor, statements: Sequence[str]
) -> int:
    """Run ``statements`` as ``actor`` in one committed transaction; return the rows touched.

    One statement per round trip, as :func:`harness.impersonate.impersonate` sends them.
    """
    rows = 0
    with impersonate(conn, actor, commit=True) as cur:
        for stmt in statements:
            cur.execute(stmt)
            rows += max(cur.rowcount, 0)
            if cur.description is not None:
                cur.fetchall()
    return rows


def batch_text(actor: Actor, statements: Sequence[str], method: str = DEFAULT_METHOD) -> str:
    """Return the whole transaction as one simple-protocol query string.

    The same statements as :func:`run_transaction` (PostgREST's three ``set_config(..., true)``
    calls first), values inlined as literals.
    """
    role, claims, verb = (sql.Literal(v).as_string(None)
                          for v in (actor.db_role, actor.claims_json(), method))
    head = (f"begin; select set_config('role', {role}, true), "
            f"set_config('request.jwt.claims', {claims}, true), "
            f"set_config('request.method', {verb}, true)")
    return "; ".join([head, *statements, "commit"])


def run_batched(conn: psycopg.Connection[Any], actor: Actor, statements: Sequence[str]) -> int:
    """Run the transaction of :func:`run_transaction` in one round trip; return rows touched.

    A load generator with thousands of users per process answers the server late: sent one
    statement at a time, a transaction would hold its pooled server connection through several
    of the generator's scheduling delays, and the pooler's queue would measure Locust, not the
    database. Sent whole, the server connection is held only while the server works.
    """
    rows = 0
    try:
        with conn.cursor() as cur:
            cur.execute(batch_text(actor, statements).encode())
            while True:
                rows += max(cur.rowcount, 0) if cur.description is not None else 0
                if not cur.nextset():
                    break
    finally:
        if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE and not conn.closed:
            conn.execute("rollback")  # a failed statement left the transaction open
    return rows


@dataclass(frozen=True)
class Outcome:
    """What one operation took and returned; ``failure`` set when it failed."""

    elapsed_ms: float
    rows: int
    failure: SqlFailure | None


def timed(
    conn: psycopg.Connection[Any], actor: Actor, statements: Sequence[str], *, batched: bool
) -> Outcome:
    """Run one operation and time it with a monotonic high-resolution clock."""
    t0 = time.perf_counter()
    try:
        run = run_batched if batched else run_transaction
        rows = run(conn, actor, statements)
    except psycopg.Error as exc:
        return Outcome((time.perf_counter() - t0) * 1000, 0, failure_of(exc))
    return Outcome((time.perf_counter() - t0) * 1000, rows, None)
