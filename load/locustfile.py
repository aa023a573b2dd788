r"""Locust users of the CMMS: each one a real profile of the dataset, on its own pooled connection.

Run by ``dbharness load`` (which prepares the database and pgbouncer and sets the environment);
by hand::

    DBH_LOAD_DSN='host=127.0.0.1 port=6432 dbname=... user=authenticator' \
    DBH_LOAD_ACTORS=actors.json locust -f load/locustfile.py --headless -u 50 -r 10 -t 30s

Environment: ``DBH_LOAD_DSN`` (the pooler), ``DBH_LOAD_ACTORS`` (JSON ``{role: [{"id", "email"}]}``,
written by the command), ``DBH_LOAD_THINK`` (``min,max`` seconds between operations),
``DBH_LOAD_LATENCY_DIR`` (where each process writes its latency per phase, see
:mod:`load.latency`).

Locust monkey-patches the standard library with gevent before this module is imported, so psycopg
(imported after it) picks a cooperative wait function: a user waiting on the database yields to
the others. :func:`_require_cooperative_waits` refuses to run otherwise, since a blocking wait
would serialise every user of the process behind one query.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
from pathlib import Path
from typing import Any, ClassVar

import psycopg
import psycopg.waiting
from locust import User, between, events

from harness.impersonate import Actor
from load.client import CONNECT_OP, SqlFailure, connect, failure_of, timed, usable
from load.latency import HELD, LATENCY_DIR_ENV, Recorder
from load.mix import OPERATIONS, ROLES, Role

REQUEST_TYPE = "sql"
DEFAULT_THINK = "1,3"


def _require_cooperative_waits() -> None:
    c_wait = getattr(psycopg.waiting, "wait_c", None)
    if c_wait is not None and psycopg.waiting.wait is c_wait:
        raise RuntimeError(
            "psycopg chose its C wait function, which blocks gevent: import locust (which "
            "monkey-patches) before psycopg, or set PSYCOPG_WAIT_FUNC=wait_select"
        )


def _think() -> tuple[float, float]:
    lo, _, hi = os.environ.get("DBH_LOAD_THINK", DEFAULT_THINK).partition(",")
    return float(lo), float(hi or lo)


def _actors() -> dict[str, list[Actor]]:
    path = os.environ.get("DBH_LOAD_ACTORS")
    if not path:
        raise RuntimeError("DBH_LOAD_ACTORS is not set: run through `dbharness load`")
    with open(path, encoding="utf-8") as f:
        data: dict[str, list[dict[str, str]]] = json.load(f)
    return {role: [Actor.user(p["id"], p["email"]) for p in ps] for role, ps in data.items()}


_require_cooperative_waits()
ACTORS = _actors()
THINK_MIN, THINK_MAX = _think()
BATCHED = os.environ.get("DBH_LOAD_BATCHED", "1") == "1"
LATENCY = Recorder()


def _all_users_running(**_kw: Any) -> None:
    LATENCY.phase = HELD


def _write_latency(**_kw: Any) -> None:
    directory = os.environ.get(LATENCY_DIR_ENV)
    if directory and not LATENCY.empty():
        LATENCY.dump(Path(directory))


# Fired on the master first, then on each worker: from here on every user is running.
events.spawning_complete.add_listener(_all_users_running)  # type: ignore[no-untyped-call]
events.test_stop.add_listener(_write_latency)  # type: ignore[no-untyped-call]


class CmmsUser(User):
    """A signed-in user of one app role, running that role's operations."""

    abstract = True
    role: ClassVar[Role]
    wait_time = between(THINK_MIN, THINK_MAX)

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self.actor = random.choice(ACTORS[self.role.name])
        self.conn: psycopg.Connection[Any] | None = None

    def on_start(self) -> None:
        """Open this user's own client connection to the pooler."""
        self._connect()

    def on_stop(self) -> None:
        """Close the connection (pgbouncer frees the client slot); never raises.

        Locust calls this when it stops or kills the user, possibly in the middle of an
        operation: closing is all that is safe then (see :func:`load.client.settle`).
        """
        conn, self.conn = self.conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    def _connect(self) -> bool:
        try:
            self.conn = connect(os.environ["DBH_LOAD_DSN"])
        except psycopg.Error as exc:
            self._report(CONNECT_OP, 0.0, 0, failure_of(exc))
            return False
        return True

    def _report(self, name: str, ms: float, rows: int, exc: SqlFailure | None) -> None:
        LATENCY.record(name, ms)
        self.environment.events.request.fire(
            request_type=REQUEST_TYPE, name=name, response_time=ms, response_length=rows,
            exception=exc, context={"role": self.role.name},
        )

    def run_op(self, name: str) -> None:
        """Run operation ``name`` as this user's actor and report it to Locust.

        A connection that cannot take it (closed, broken, or left mid-command or inside a
        transaction) is discarded and a new one opened: a failure is reported once, under the
        operation that met it, never as a cascade of errors of the next operations.
        """
        if self.conn is not None and not usable(self.conn):
            self.conn.close()
            self.conn = None
        if self.conn is None and not self._connect():
            return
        assert self.conn is not None
        outcome = timed(self.conn, self.actor, OPERATIONS[name].sql(self.role.audience),
                        batched=BATCHED)
        self._report(name, outcome.elapsed_ms, outcome.rows, outcome.failure)


def _task(name: str) -> Any:
    def task(user: CmmsUser) -> None:
        user.run_op(name)

    task.__name__ = name
    return task


def _user_class(role: Role) -> type[CmmsUser]:
    tasks = {_task(op): weight for op, weight in role.tasks.items()}
    cls_name = "".join(part.title() for part in role.name.split("_"))
    attrs = {"role": role, "weight": role.weight, "tasks": tasks, "abstract": False,
             "__module__": __name__}
    return type(cls_name, (CmmsUser,), attrs)


# Locust finds the User classes among this module's globals; one class per role of the mix.
for _role in ROLES:
    _cls = _user_class(_role)
    globals()[_cls.__name__] = _cls
del _cls  # Locust would count the loop variable as one more (duplicate) User class

