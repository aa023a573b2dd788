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


_IDLE = psycopg.pq.TransactionStatus.IDLE
_IN_TRANSACTION = (psycopg.pq.TransactionStatus.INTRANS, psycopg.pq.TransactionStatus.INERROR)


def usable(conn: psycopg.Connection[Any]) -> bool:
    """Tell whether ``conn`` can take the next operation: open, idle outside any transaction.

    A connection still ACTIVE has a command in flight whose results were never read (the wait
    for them was interrupted): any query sent on it fails with "another command is already in
    progress", so it must be discarded, not reused.
    """
    return not conn.closed and conn.info.transaction_status == _IDLE


def settle(conn: psycopg.Connection[Any]) -> None:
    """After an operation ended by an exception, leave ``conn`` idle or closed.

    If the server finished the command (the transaction is left open or aborted: a statement
    failed), a rollback makes the connection reusable. If the wait for the results was
    interrupted (ACTIVE: Locust killed the user's greenlet mid-query when the run stopped), the
    results are still to come and the connection cannot be reused: it is closed (pgbouncer
    drops its server connection) and the user reconnects for its next operation.

    Errors of the cleanup are not raised (the caller re-raises the exception that ended the
    operation); only an interruption of the rollback itself (a BaseException such as
    GreenletExit) propagates, after the close.
    """
    if conn.closed:
        return
    if conn.info.transaction_status in _IN_TRANSACTION:
        try:
            conn.execute("rollback")
        except psycopg.Error:
            pass  # closed below
        except BaseException:
            conn.close()
            raise
    if not usable(conn):
        conn.close()


def run_transaction(
    conn: psycopg.Connection[Any], actor: Actor, statements: Sequence[str]
) -> int:
    """Run ``statements`` as ``actor`` in one committed transaction; return the rows touched.

    One statement per round trip, as :func:`harness.impersonate.impersonate` sends them. On any
    exception (GreenletExit included) the connection is settled (:func:`settle`) and the
    exception propagates unchanged.
    """
    rows = 0
    try:
        with impersonate(conn, actor, commit=True) as cur:
            for stmt in statements:
                cur.execute(stmt)
                rows += max(cur.rowcount, 0)
                if cur.description is not None:
                    cur.fetchall()
    except BaseException:
        settle(conn)
        raise
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

    psycopg reads every result of the string before ``execute`` returns or raises; a failed
    statement makes the server skip the rest (``commit`` included), leaving the transaction
    aborted. On any exception the connection is settled (:func:`settle`: rolled back, or closed
    when the wait was interrupted mid-command) and the exception propagates unchanged: the
    cleanup must never replace it (a GreenletExit turned into an OperationalError would keep a
    user that Locust killed running, and Locust's stop waiting for it forever).
    """
    rows = 0
    try:
        with conn.cursor() as cur:
            cur.execute(batch_text(actor, statements).encode())
            while True:
                rows += max(cur.rowcount, 0) if cur.description is not None else 0
                if not cur.nextset():
                    break
    except BaseException:
        settle(conn)
        raise
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
    """Run one operation and time it with a monotonic high-resolution clock.

    Every failure of the operation is returned as its :class:`SqlFailure`, ``conn`` left idle or
    closed (see :func:`usable`). An interruption (GreenletExit, KeyboardInterrupt: not an
    ``Exception``) is no failure of the database: it propagates, so that a killed user dies.
    """
    t0 = time.perf_counter()
    try:
        run = run_batched if batched else run_transaction
        rows = run(conn, actor, statements)
    except Exception as exc:  # every failure is reported, by SQLSTATE when it has one
        return Outcome((time.perf_counter() - t0) * 1000, 0, failure_of(exc))
    return Outcome((time.perf_counter() - t0) * 1000, rows, None)
