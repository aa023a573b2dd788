r"""Locust users of the CMMS: each one a real profile of the dataset, on its own pooled connection.

Run by ``dbharness load`` (which prepares the database and pgbouncer and passes the options
below) and, on other machines, by ``dbharness load-worker``; by hand::

    locust -f load/locustfile.py --headless -u 50 -r 10 -t 30s \
        --dbh-dsn 'host=127.0.0.1 port=6432 dbname=... user=authenticator'

Options (a distributed master sends them to its workers with every spawn message):
``--dbh-dsn`` (the pooler; an empty host means "the master's host"), ``--dbh-think`` (``min,max``
seconds between operations), ``--dbh-per-statement`` (one round trip per statement),
``--dbh-workers`` (processes running users) and ``--dbh-latency-dir`` (where the latency per
phase is written, see :mod:`load.latency`; on a distributed master, what its workers send).

Every process that runs users reads the table of callers (``dbharness_load.actors``, written by
:mod:`load.dataset`) from the database when the test starts: workers on other machines need no
file, and the k-th user of a role on worker w of W acts as that role's profile number
``k * W + w``, so no two simulated users share a profile.

Locust monkey-patches the standard library with gevent before this module is imported, so psycopg
(imported after it) picks a cooperative wait function: a user waiting on the database yields to
the others. :func:`_require_cooperative_waits` refuses to run otherwise, since a blocking wait
would serialise every user of the process behind one query.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from pathlib import Path
from typing import Any, ClassVar

import gevent
import locust.runners
import psycopg
import psycopg.waiting
from locust import User, between, events
from locust.runners import MasterRunner, WorkerRunner
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from harness.impersonate import Actor
from load.client import CONNECT_OP, SqlFailure, connect, failure_of, timed, usable
from load.latency import Recorder, write_payload
from load.mix import OPERATIONS, ROLES, Role

REQUEST_TYPE = "sql"
LATENCY_MESSAGE = "dbh_latency"
ACTORS_QUERY = "select role, ordinal, id::text, email from dbharness_load.actors order by n"
WORKER_REPORT_WAIT_S = 60.0  # how long a master waits for its workers' latency after the stop
SNAPSHOT_S = 5.0  # a worker sends what it measured so far this often


def _require_cooperative_waits() -> None:
    c_wait = getattr(psycopg.waiting, "wait_c", None)
    if c_wait is not None and psycopg.waiting.wait is c_wait:
        raise RuntimeError(
            "psycopg chose its C wait function, which blocks gevent: import locust (which "
            "monkey-patches) before psycopg, or set PSYCOPG_WAIT_FUNC=wait_select"
        )


_require_cooperative_waits()

# A master marks a worker missing after this many heartbeats (1 s apart) went unheard, and ends
# the test when the last one is missing. Locust's 3 is too few where the workers share two cores
# with the database under test: a worker busy spawning thousands of users answers late, not
# never. The master reads the value each time a worker connects or reports.
locust.runners.HEARTBEAT_LIVENESS = 30


def _options(parser: Any) -> None:
    parser.add_argument("--dbh-dsn", default="", help="libpq DSN of the pooler")
    parser.add_argument("--dbh-think", default="1,3", help="MIN,MAX seconds between operations")
    parser.add_argument("--dbh-per-statement", action="store_true",
                        help="one round trip per statement (default: a transaction in one)")
    parser.add_argument("--dbh-workers", type=int, default=1, help="processes running users")
    parser.add_argument("--dbh-latency-dir", default="", help="where latency files go")


class _Run:
    """What this process learnt when the test started: the pooler, callers, think time."""

    dsn = ""
    batched = True
    think = (1.0, 3.0)
    worker, workers = 0, 1
    actors: ClassVar[dict[str, list[Actor]]] = {}
    latency = Recorder()
    reports: ClassVar[set[str]] = set()  # on a distributed master: workers whose latency came
    stopping = False


def _dsn(options: Any, environment: Any) -> str:
    dsn = str(options.dbh_dsn)
    if not dsn:
        raise RuntimeError("--dbh-dsn is not set: run through `dbharness load`")
    if not conninfo_to_dict(dsn).get("host") and isinstance(environment.runner, WorkerRunner):
        # the pooler listens beside the master on every address: reach it where the master is
        dsn = make_conninfo(dsn, host=environment.parsed_options.master_host)
    return dsn


def _load_actors(dsn: str) -> dict[str, list[Actor]]:
    by_role: dict[str, list[Actor]] = {r.name: [] for r in ROLES}
    with psycopg.connect(dsn, autocommit=True, prepare_threshold=None) as conn:
        for role, _ordinal, pid, email in conn.execute(ACTORS_QUERY):
            by_role.setdefault(role, []).append(Actor.user(pid, email))
    empty = [r for r, a in by_role.items() if not a]
    if empty:
        raise RuntimeError(f"no callers of role(s) {', '.join(empty)} in dbharness_load.actors")
    return by_role


def _init(environment: Any, **_kw: Any) -> None:
    if isinstance(environment.runner, MasterRunner):
        environment.runner.register_message(LATENCY_MESSAGE, _latency_from_worker)


def _test_start(environment: Any, **_kw: Any) -> None:
    options = environment.parsed_options
    runner = environment.runner
    if isinstance(runner, MasterRunner):
        return
    lo, _, hi = str(options.dbh_think).partition(",")
    _Run.think = (float(lo), float(hi or lo))
    _Run.batched = not options.dbh_per_statement
    _Run.workers = max(1, int(options.dbh_workers))
    _Run.worker = max(0, int(getattr(runner, "worker_index", 0)))
    _Run.dsn = _dsn(options, environment)
    _Run.actors = _load_actors(_Run.dsn)
    _Run.latency.mark("ramp")
    gevent.spawn(_snapshots, environment)


def _send(environment: Any, *, final: bool) -> None:
    runner = environment.runner
    if _Run.latency.empty():
        return
    payload = _Run.latency.payload(final=final)
    if isinstance(runner, WorkerRunner):
        runner.send_message(LATENCY_MESSAGE, {**payload, "worker": _Run.worker, "final": final})
    elif environment.parsed_options.dbh_latency_dir:
        write_payload(Path(environment.parsed_options.dbh_latency_dir), payload, "local")


def _snapshots(environment: Any) -> None:
    # A worker overloaded by thousands of users may read its master's stop too late to answer
    # before the master gives up: what it measured so far has been sent already.
    while not _Run.stopping:
        gevent.sleep(SNAPSHOT_S)
        if not _Run.stopping:
            _send(environment, final=False)


def _all_users_running(**_kw: Any) -> None:
    _Run.latency.start_held()


def _latency_from_worker(environment: Any, msg: Any, **_kw: Any) -> None:
    directory = environment.parsed_options.dbh_latency_dir
    if directory:
        write_payload(Path(directory), msg.data, f"worker{msg.data.get('worker', msg.node_id)}")
    if msg.data.get("final"):
        _Run.reports.add(str(msg.node_id))


def _test_stopping(environment: Any, **_kw: Any) -> None:
    # Sent as the stop begins, before the users are stopped: a worker that runs thousands of
    # users on a busy machine may take longer to stop them than its master waits.
    if isinstance(environment.runner, MasterRunner):
        return
    _Run.stopping = True
    _send(environment, final=True)


def _test_stop(environment: Any, **_kw: Any) -> None:
    runner = environment.runner
    if isinstance(runner, MasterRunner):
        # the workers sent their latency as the stop began; wait for every one of them
        deadline = time.monotonic() + WORKER_REPORT_WAIT_S
        while len(_Run.reports) < runner.worker_count and time.monotonic() < deadline:
            gevent.sleep(0.2)


events.init_command_line_parser.add_listener(_options)  # type: ignore[no-untyped-call]
events.init.add_listener(_init)  # type: ignore[no-untyped-call]
events.test_start.add_listener(_test_start)  # type: ignore[no-untyped-call]
# fired on the master first, then on each worker: from here on every user is running
events.spawning_complete.add_listener(_all_users_running)  # type: ignore[no-untyped-call]
events.test_stopping.add_listener(_test_stopping)  # type: ignore[no-untyped-call]
events.test_stop.add_listener(_test_stop)  # type: ignore[no-untyped-call]


class CmmsUser(User):
    """A signed-in user of one app role, running that role's operations."""

    abstract = True
    role: ClassVar[Role]
    counter: ClassVar[itertools.count[int]]

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        profiles = _Run.actors[self.role.name]
        k = next(type(self).counter)
        self.actor = profiles[(k * _Run.workers + _Run.worker) % len(profiles)]
        self.conn: psycopg.Connection[Any] | None = None

    def wait_time(self) -> float:
        """Think time between operations, as the run asked for."""
        return float(between(*_Run.think)(self))

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
            self.conn = connect(_Run.dsn)
        except psycopg.Error as exc:
            self._report(CONNECT_OP, 0.0, 0, failure_of(exc))
            return False
        return True

    def _report(self, name: str, ms: float, rows: int, exc: SqlFailure | None) -> None:
        _Run.latency.record(name, ms)
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
                        batched=_Run.batched)
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
             "counter": itertools.count(), "__module__": __name__}
    return type(cls_name, (CmmsUser,), attrs)


# Locust finds the User classes among this module's globals; one class per role of the mix.
for _role in ROLES:
    _cls = _user_class(_role)
    globals()[_cls.__name__] = _cls
del _cls  # Locust would count the loop variable as one more (duplicate) User class
