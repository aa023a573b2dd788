"""Parallel API sessions: N connections acting as one caller, released together by a barrier.

Each session is a thread with its own psycopg connection (psycopg connections are not shared
across threads), impersonating the caller exactly as PostgREST does (one transaction, committed
when the statement succeeds). Connections are opened before the barrier so that the statements,
not the connection handshakes, race.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from harness.errors import HarnessError
from harness.impersonate import Actor, impersonate

DEADLOCK = "40P01"
SERIALIZATION_FAILURE = "40001"
ADMIN_SHUTDOWN = "57P01"  # what a terminated backend's client sees
# A session stuck longer than this is a hang, not a race: the statement is cancelled.
STATEMENT_TIMEOUT_MS = 30_000
LOCK_TIMEOUT_MS = 20_000
JOIN_GRACE_S = 10.0  # beyond the statement timeout, before a thread counts as lost


@dataclass(frozen=True)
class Outcome:
    """What one session's call did: a result (first column of the first row) or an error."""

    session: int
    ok: bool
    sqlstate: str | None = None
    message: str = ""
    result: Any = None
    seconds: float = 0.0


def actor_for(who: str) -> Actor:
    """Return the caller a scenario names: ``service_role``, ``anon`` or a profile's uuid."""
    if who == "service_role":
        return Actor.service_role()
    if who == "anon":
        return Actor.anon()
    return Actor.user(who)


def session_settings(conn: psycopg.Connection[Any]) -> None:
    """Bound every statement of a session so a lost wake-up cannot hang the run."""
    conn.execute(f"set statement_timeout = {STATEMENT_TIMEOUT_MS}")
    conn.execute(f"set lock_timeout = {LOCK_TIMEOUT_MS}")


def _error_outcome(i: int, exc: BaseException, start: float) -> Outcome:
    state = getattr(exc, "sqlstate", None)
    msg = " ".join(str(exc).split())[:300]
    return Outcome(i, False, state, msg or type(exc).__name__, seconds=time.perf_counter() - start)


def require_real_threads() -> None:
    """Refuse to race sessions on gevent's cooperative threads.

    Importing locust monkey-patches ``threading`` for the whole process; psycopg's blocking
    waits then run the "parallel" sessions one after another and the barrier breaks, which would
    read as a concurrency bug of the schema.
    """
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("threading"):
        raise HarnessError(
            "threading is monkey-patched by gevent in this process (locust was imported): "
            "concurrent sessions cannot race",
            hint="run the integrity checks in a process that does not import locust",
        )


def run_parallel(
    dsn: str,
    actor: Actor,
    statement: str,
    params: Sequence[Mapping[str, Any]],
) -> list[Outcome]:
    """Run ``statement`` once per entry of ``params``, all sessions at the same moment."""
    require_real_threads()
    n = len(params)
    barrier = threading.Barrier(n)
    outcomes: list[Outcome | None] = [None] * n

    def session(i: int) -> None:
        start = time.perf_counter()
        try:
            with psycopg.connect(dsn, autocommit=True) as conn:
                session_settings(conn)
                barrier.wait(timeout=STATEMENT_TIMEOUT_MS / 1000)
                start = time.perf_counter()
                with impersonate(conn, actor, commit=True) as cur:
                    cur.execute(statement, dict(params[i]))
                    row = cur.fetchone() if cur.description else None
                outcomes[i] = Outcome(
                    i, True, result=row[0] if row else None, seconds=time.perf_counter() - start
                )
        except threading.BrokenBarrierError as exc:
            outcomes[i] = _error_outcome(i, exc, start)
        except Exception as exc:  # every failure is data for the verdict, not a crash
            barrier.abort()  # a session that could not connect must not strand the others
            outcomes[i] = _error_outcome(i, exc, start)

    threads = [threading.Thread(target=session, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(STATEMENT_TIMEOUT_MS / 1000 + JOIN_GRACE_S)
    return [
        o if o is not None else Outcome(i, False, None, "session did not finish (hang)")
        for i, o in enumerate(outcomes)
    ]


@dataclass
class Interrupted:
    """The result of :func:`run_then_terminate`: what the session saw before and after."""

    inside: list[tuple[Any, ...]] | None = None  # the snapshot inside the open transaction
    error: Outcome | None = None  # how the session ended (normally an admin shutdown)
    terminated: bool = False
    wrote_first: Outcome | None = None  # the operation's own failure, if it failed


def run_then_terminate(
    dsn: str,
    actor: Actor,
    statement: str,
    params: Mapping[str, Any],
    snapshot: str,
    terminate: Callable[[int], bool],
    *,
    wait_s: float = STATEMENT_TIMEOUT_MS / 1000,
) -> Interrupted:
    """Run ``statement`` as ``actor`` in a transaction, then have the backend terminated.

    After the statement succeeds the session reads ``snapshot`` (as the superuser, inside the
    same open transaction, to prove the write happened), then sleeps; ``terminate(pid)`` is
    called from the caller's thread while it sleeps, so the transaction never commits.
    """
    ready = threading.Event()
    pid: list[int] = []
    out = Interrupted()

    def session() -> None:
        start = time.perf_counter()
        try:
            with psycopg.connect(dsn, autocommit=True) as conn:
                session_settings(conn)
                pid.append(conn.info.backend_pid)
                with impersonate(conn, actor, commit=True) as cur:
                    try:
                        cur.execute(statement, dict(params))
                    except psycopg.Error as exc:
                        out.wrote_first = _error_outcome(0, exc, start)
                        raise
                    cur.execute("reset role")  # read the snapshot with the harness's own rights
                    cur.execute(snapshot, dict(params))
                    out.inside = list(cur.fetchall())
                    ready.set()
                    cur.execute("select pg_sleep(%s)", (wait_s,))
        except Exception as exc:  # the termination ends up here, as an admin shutdown
            out.error = _error_outcome(0, exc, start)
        finally:
            ready.set()

    t = threading.Thread(target=session, daemon=True)
    t.start()
    ready.wait(wait_s)
    if out.inside is not None and pid:
        out.terminated = terminate(pid[0])
    t.join(wait_s + JOIN_GRACE_S)
    return out
