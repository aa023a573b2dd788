"""A private pgbouncer in transaction pooling mode, and its admin console.

The pooler a run starts listens on 127.0.0.1 only (or on the address a distributed run binds),
keeps its config, log and pid in a temporary directory, and is stopped (its whole process
group) when the context ends, whatever happened. pgbouncer refuses to run as root, so under
root it switches to an unprivileged user (``-u``).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from harness.errors import HarnessError, ToolMissing
from harness.tools import which

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0
CLIENT_MARGIN = 200  # admin console, pgbench, leak check: clients beyond the simulated users
UNPRIVILEGED_USERS = ("postgres", "nobody")
ADMIN_USER = "postgres"


@dataclass(frozen=True)
class PoolerSettings:
    """What the pgbouncer of a run looks like."""

    server_dsn: str  # the database pooled (host, port, dbname are taken from it)
    max_client_conn: int
    pool_size: int
    port: int | None = None  # None: a free port
    binary: str = "pgbouncer"
    users: tuple[str, ...] = ("authenticator", ADMIN_USER)
    listen: str = "127.0.0.1"  # a distributed run's workers reach it on another address


WILDCARD_ADDRESSES = ("0.0.0.0", "*", "::")


def local_host(listen: str) -> str:
    """Return the address this machine reaches a listener on ``listen`` at."""
    return "127.0.0.1" if listen in WILDCARD_ADDRESSES else listen


def find_binary(name: str, what: str, remedy: str) -> str:
    """Resolve ``name``: a path, on PATH or beside the interpreter; else ToolMissing."""
    found = which(name)
    if found is None:
        raise ToolMissing(
            f"{what} not found: {name!r} is not an executable on PATH, beside the interpreter "
            "or in sbin",
            hint=remedy,
        )
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port on ``host`` that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("" if host in WILDCARD_ADDRESSES else host, 0))
        return int(s.getsockname()[1])


def require_free_port(port: int, host: str = "127.0.0.1") -> None:
    """Raise a HarnessError if ``port`` on ``host`` is taken."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("" if host in WILDCARD_ADDRESSES else host, port))
        except OSError as exc:
            raise HarnessError(
                f"port {port} on {host} is in use ({exc.strerror})",
                hint="pick another --port, or omit --port to use a free one",
            ) from None


def _unprivileged_user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in UNPRIVILEGED_USERS:
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise HarnessError(
        "running as root and no unprivileged user to run pgbouncer as (it refuses root)",
        hint=f"create one of the users {', '.join(UNPRIVILEGED_USERS)}, or run as a normal user",
    )


@dataclass
class Pooler:
    """A running pgbouncer: where to connect, and its admin console."""

    port: int
    dbname: str
    workdir: Path
    process: subprocess.Popen[bytes]
    listen: str = "127.0.0.1"

    def dsn(self, user: str) -> str:
        """DSN of the pooled database through pgbouncer, as ``user``, from this machine."""
        return make_conninfo(
            host=local_host(self.listen), port=str(self.port), dbname=self.dbname, user=user,
            connect_timeout="10",
        )

    def admin(self) -> psycopg.Connection[Any]:
        """Open the admin console (simple query protocol only, hence the client cursor)."""
        return psycopg.connect(
            make_conninfo(host=local_host(self.listen), port=str(self.port), dbname="pgbouncer",
                          user=ADMIN_USER, connect_timeout="5"),
            autocommit=True, cursor_factory=psycopg.ClientCursor,
        )

    def show(self, what: str) -> list[dict[str, Any]]:
        """Rows of ``SHOW <what>`` on the admin console, as dicts."""
        with self.admin() as conn, conn.cursor() as cur:
            cur.execute(f"SHOW {what}")
            names = [d.name for d in cur.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def wait_idle(self, timeout: float, clients: int = 0) -> bool:
        """Wait until at most ``clients`` clients are linked to or queue for the pool.

        Return False if that did not happen within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(psycopg.Error):
                rows = [r for r in self.show("POOLS") if r.get("database") == self.dbname]
                if sum(int(r["cl_active"]) + int(r["cl_waiting"]) for r in rows) <= clients:
                    return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.5)

    def log_tail(self, lines: int = 15) -> str:
        """Return the end of pgbouncer's log, for error messages."""
        log = self.workdir / "pgbouncer.log"
        if not log.exists():
            return ""
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _config(settings: PoolerSettings, port: int, workdir: Path) -> tuple[str, str]:
    params = conninfo_to_dict(settings.server_dsn)
    dbname = str(params.get("dbname") or "postgres")
    target = " ".join(
        f"{k}={params[k]}" for k in ("host", "port") if params.get(k)
    ) or "host=127.0.0.1"
    return dbname, "\n".join([
        "[databases]",
        f"{dbname} = {target} dbname={dbname}",
        "",
        "[pgbouncer]",
        f"listen_addr = {settings.listen}",
        f"listen_port = {port}",
        "unix_socket_dir =",  # TCP only: no socket file shared with other poolers
        "auth_type = trust",
        f"auth_file = {workdir / 'users.txt'}",
        f"admin_users = {ADMIN_USER}",
        f"stats_users = {ADMIN_USER}",
        "pool_mode = transaction",
        f"max_client_conn = {settings.max_client_conn}",
        f"default_pool_size = {settings.pool_size}",
        f"max_db_connections = {settings.pool_size}",
        "reserve_pool_size = 0",
        # psycopg and pgbench send these; pgbouncer would refuse the connection otherwise.
        "ignore_startup_parameters = extra_float_digits,options",
        f"logfile = {workdir / 'pgbouncer.log'}",
        f"pidfile = {workdir / 'pgbouncer.pid'}",
        "log_connections = 0",
        "log_disconnections = 0",
        "",
    ])


def _wait_ready(pooler: Pooler) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if pooler.process.poll() is not None:
            raise HarnessError(
                f"pgbouncer exited at start (code {pooler.process.returncode}):\n"
                f"{pooler.log_tail()}",
                hint="see the log above; a port in use or a bad setting are the usual causes",
            )
        try:
            pooler.show("VERSION")
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise HarnessError(
                    f"pgbouncer did not accept connections within {START_TIMEOUT_S:.0f} s:\n"
                    f"{pooler.log_tail()}"
                ) from None
            time.sleep(0.1)


def stop_group(process: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT_S) -> None:
    """Stop ``process`` and everything in its process group: TERM, then KILL after ``timeout``."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # stragglers of the group


@contextmanager
def run_pooler(settings: PoolerSettings) -> Iterator[Pooler]:
    """Start pgbouncer with ``settings``; yield it; stop it on exit."""
    binary = find_binary(
        settings.binary, "pgbouncer",
        "install it (apt-get install pgbouncer) or pass --pgbouncer-bin /path/to/pgbouncer",
    )
    if settings.port is not None:
        require_free_port(settings.port, settings.listen)
    port = settings.port or free_port(settings.listen)
    user = _unprivileged_user()
    with tempfile.TemporaryDirectory(prefix="dbh_pgbouncer_") as tmp:
        workdir = Path(tmp)
        dbname, text = _config(settings, port, workdir)
        (workdir / "pgbouncer.ini").write_text(text)
        (workdir / "users.txt").write_text("".join(f'"{u}" ""\n' for u in settings.users))
        cmd = [binary, str(workdir / "pgbouncer.ini")]
        if user is not None:
            for p in [workdir, *workdir.iterdir()]:
                os.chown(p, user.pw_uid, user.pw_gid)
            cmd[1:1] = ["-u", user.pw_name]
        process = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stopped as a whole
        )
        pooler = Pooler(port, dbname, workdir, process, settings.listen)
        try:
            _wait_ready(pooler)
            yield pooler
        finally:
            stop_group(process)


@dataclass
class PoolSample:
    """One look at the pool: clients active and waiting, servers busy, the oldest wait."""

    t: float
    cl_active: int
    cl_waiting: int
    sv_active: int
    sv_idle: int
    maxwait_s: float


@dataclass
class PoolSampler:
    """Samples ``SHOW POOLS`` every ``interval`` seconds in a thread while open."""

    pooler: Pooler
    interval: float = 1.0
    samples: list[PoolSample] = field(default_factory=list)
    stats: list[dict[str, Any]] = field(default_factory=list)  # last SHOW STATS
    errors: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _run(self) -> None:
        t0 = time.monotonic()
        while not self._stop.wait(self.interval):
            try:
                rows = [r for r in self.pooler.show("POOLS")
                        if r.get("database") == self.pooler.dbname]
            except psycopg.Error:
                self.errors += 1
                continue
            # One pool per (database, user): sum the counts, keep the longest wait.
            self.samples.append(PoolSample(
                time.monotonic() - t0,
                sum(int(r["cl_active"]) for r in rows),
                sum(int(r["cl_waiting"]) for r in rows),
                sum(int(r["sv_active"]) for r in rows),
                sum(int(r["sv_idle"]) for r in rows),
                max((int(r["maxwait"]) + int(r.get("maxwait_us", 0)) / 1e6 for r in rows),
                    default=0.0),
            ))

    def __enter__(self) -> PoolSampler:
        self._thread = threading.Thread(target=self._run, name="pool-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with contextlib.suppress(psycopg.Error):
            self.stats = [r for r in self.pooler.show("STATS")
                          if r.get("database") == self.pooler.dbname]

    @property
    def max_cl_waiting(self) -> int:
        """The most clients seen queueing for a server connection at once."""
        return max((s.cl_waiting for s in self.samples), default=0)

    @property
    def max_maxwait_s(self) -> float:
        """The longest time a client was seen waiting for a server connection."""
        return max((s.maxwait_s for s in self.samples), default=0.0)

    @property
    def max_cl_active(self) -> int:
        """The most client connections seen linked to the pool at once."""
        return max((s.cl_active + s.cl_waiting for s in self.samples), default=0)
