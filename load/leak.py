"""Whether request state survives a transaction on a pooled connection.

In transaction pooling a server connection serves a different client after every transaction. If
anything a request set outlived its transaction (a ``set_config(..., false)``, a plain ``SET
ROLE``, an unfinished transaction), the next client would run as the previous caller. Many
clients share few server connections here, so every probe very likely lands on a connection
another client's request used a moment before.
"""

from __future__ import annotations

import random
import threading
import uuid
from dataclasses import dataclass
from typing import Any

import psycopg

from harness.impersonate import Actor, impersonate
from load.client import connect

PROBE = (
    "select current_user, current_setting('role'),"
    " coalesce(current_setting('request.jwt.claims', true), ''),"
    " coalesce(current_setting('request.method', true), '')"
)
OUTCOMES = ("commit", "rollback", "error")


@dataclass(frozen=True)
class Leak:
    """One probe that saw another request's state."""

    after: str  # how the previous transaction of this client ended
    actor: str
    seen: tuple[Any, ...]


def _request(conn: psycopg.Connection[Any], actor: Actor, outcome: str) -> None:
    try:
        with impersonate(conn, actor, commit=outcome == "commit") as cur:
            cur.execute("select auth.uid(), auth.role()")
            if outcome == "error":
                cur.execute("select 1 / 0")
    except psycopg.errors.DivisionByZero:
        pass


def _client(
    dsn: str,
    login_role: str,
    actors: list[Actor],
    rounds: int,
    seed: int,
    leaks: list[Leak],
    probed: list[int],
) -> None:
    rng = random.Random(seed)
    with connect(dsn) as conn:
        for _ in range(rounds):
            actor, outcome = rng.choice(actors), rng.choice(OUTCOMES)
            _request(conn, actor, outcome)
            # The probe is its own transaction: pgbouncer may give it any server connection.
            row = conn.execute(PROBE).fetchone()
            assert row is not None
            user, role, claims, method = row
            probed.append(1)  # list.append is atomic: no lock needed across the threads
            if user != login_role or role != "none" or claims or method:
                leaks.append(Leak(outcome, str(actor), tuple(row)))


def find_leaks(
    dsn: str, login_role: str, user_ids: list[str], *, clients: int = 24, rounds: int = 40,
    seed: int = 0,
) -> tuple[int, list[Leak]]:
    """Run ``clients`` interleaved clients through the pooler at ``dsn``.

    Returns the number of probes that really ran and the leaks they saw.
    """
    actors = [Actor.user(u) for u in user_ids] or [Actor.user(uuid.uuid4())]
    actors += [Actor.service_role(), Actor.anon()]
    leaks: list[Leak] = []
    probed: list[int] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            _client(dsn, login_role, actors, rounds, seed + i, leaks, probed)
        except BaseException as exc:  # surfaced below: a dead client must not pass silently
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return len(probed), leaks
