"""An embedded, throwaway PostgreSQL cluster: initdb into a temp dir, start, use, stop, delete.

Used when no DSN is given, so that ``dbharness`` and its pytest plugin work on a machine with only
the server binaries installed. pytest-postgresql's executor does most of this too, but it runs
initdb as the current user, and initdb and postgres refuse to run as root (CI containers usually
are root); here they run as an unprivileged user instead.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import psycopg

from harness import pgdist
from harness.errors import HarnessError, ServerBinariesMissing

SUPERUSER = "postgres"
MAINTENANCE_DB = "postgres"
LISTEN_HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
PORT_ATTEMPTS = 3  # the free port we picked can be taken before postgres binds it
REQUIRED_BINARIES = ("initdb", "postgres", "pg_ctl")

# Durability is worthless for a cluster deleted at exit; these make DDL-heavy schema loads and
# CREATE DATABASE noticeably faster. Connections: Locust and pools open many.
THROWAWAY_SETTINGS: Mapping[str, str] = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "256MB",
}

# What a measurement of writes needs: every commit flushed to disk before it is acknowledged,
# as on any production server (the throwaway settings above would make every write free).
DURABLE_SETTINGS: Mapping[str, str] = {
    **THROWAWAY_SETTINGS,
    "fsync": "on",
    "synchronous_commit": "on",
    "full_page_writes": "on",
}

_PR_SET_PDEATHSIG = 1


def _resolve_prctl() -> Any:
    """Return libc's prctl, resolved before any fork (a lookup in the child is not fork-safe)."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name, use_errno=True).prctl if name else None
    except (OSError, AttributeError):
        return None


_PRCTL = _resolve_prctl()


def parent_death_signal(sig: signal.Signals) -> Callable[[], None]:
    """Return a preexec_fn that has the kernel send ``sig`` to the child if the harness dies.

    Covers what atexit and signal handlers cannot: SIGKILL of the harness (a CI timeout). Runs
    after the uid change, which would otherwise clear it. Linux delivers it when the forking
    *thread* exits, so start the child from a thread that lives as long as it is needed.
    """

    def preexec() -> None:
        if _PRCTL is not None:
            _PRCTL(_PR_SET_PDEATHSIG, int(sig))

    return preexec


# SIGQUIT is PostgreSQL's immediate shutdown.
_die_with_parent = parent_death_signal(signal.SIGQUIT)


def _version_key(bindir: str) -> tuple[int, ...]:
    m = re.search(r"/postgresql/(\d+)(?:\.(\d+))?/bin", bindir)
    return tuple(int(g) for g in m.groups() if g) if m else (0,)


def candidate_bindirs() -> Iterator[Path]:
    """Yield where server binaries may be, best first.

    ``pg_config --bindir``, Debian's versioned dirs (newest first), ``initdb``'s on PATH, then
    the majors ``make install`` put into the tool folder.
    """
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            ).stdout.strip()
            if out:
                yield Path(out)
        except (OSError, subprocess.SubprocessError):
            pass
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True):
        yield Path(d)
    initdb = shutil.which("initdb")
    if initdb:
        yield Path(initdb).resolve().parent
    for major in sorted(pgdist.DISTRIBUTIONS, reverse=True):
        yield from pgdist.server_bindirs(major)


def _has_server(d: Path) -> bool:
    return all((d / b).is_file() and os.access(d / b, os.X_OK) for b in REQUIRED_BINARIES)


def find_bindir(candidates: Iterable[Path] | None = None, *, major: int | None = None) -> Path:
    """Return the first candidate directory holding initdb, postgres and pg_ctl.

    With ``major``, the first whose ``postgres`` is of that major version; the tool folder and
    Debian's folder of that major are probed first.
    """
    if candidates is None:
        candidates = candidate_bindirs()
        if major is not None:
            candidates = [*pgdist.server_bindirs(major), *candidates]
    probed: list[str] = []
    for d in dict.fromkeys(candidates):
        if not _has_server(d):
            probed.append(str(d))
            continue
        if major is None:
            return d
        version = server_version(d)
        if pgdist.major_of(version) == major:
            return d
        probed.append(f"{d} ({version})")
    if major is not None:
        raise ServerBinariesMissing(
            f"no PostgreSQL {major} server binaries (initdb, postgres, pg_ctl) found; probed: "
            + ", ".join(dict.fromkeys(probed)),
            hint=pgdist.install_hint(major),
        )
    raise ServerBinariesMissing(
        "no PostgreSQL server binaries (initdb, postgres, pg_ctl) found; probed: "
        + (", ".join(dict.fromkeys(probed)) or "pg_config, /usr/lib/postgresql/*/bin, PATH"),
        hint="install them (Debian/Ubuntu: apt-get install postgresql-15; other majors: "
        "`make install`) or pass a DSN (--dsn / DATABASE_URL) of a running server",
    )


def server_version(bindir: Path) -> str:
    """``postgres --version`` of the binaries, e.g. "15.20" (no server needed)."""
    out = subprocess.run(
        [str(bindir / "postgres"), "--version"], capture_output=True, text=True, timeout=10
    ).stdout
    m = re.search(r"(\d+(?:\.\d+)*)", out)
    return m.group(1) if m else out.strip()


def _unprivileged_user() -> pwd.struct_passwd:
    """Pick the account initdb/postgres run as when we are root: ``postgres`` if it exists."""
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise HarnessError(
        "running as root and neither a 'postgres' nor a 'nobody' user exists; "
        "initdb and postgres refuse to run as root",
        hint="create one (useradd --system postgres) or run the harness as a normal user",
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LISTEN_HOST, 0))
        return int(s.getsockname()[1])


class EmbeddedCluster:
    """A temporary cluster owned by this process; everything it made is removed by :meth:`stop`.

    ``stop`` runs from ``__exit__``, from ``atexit`` and (through
    :func:`harness.server.open_server`) on SIGTERM; the postmaster also gets SIGQUIT if this
    process is killed outright.
    """

    def __init__(
        self,
        bindir: Path | None = None,
        *,
        settings: Mapping[str, str] | None = None,
        major: int | None = None,
    ) -> None:
        self.bindir = bindir
        self.major = major  # the server major to look for when no bindir is given
        self.settings = dict(THROWAWAY_SETTINGS if settings is None else settings)
        self.base_dir: Path | None = None
        self.port: int | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._run_as: pwd.struct_passwd | None = None

    # -- paths and connection strings -------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        """PGDATA of the cluster."""
        assert self.base_dir is not None, "cluster not started"
        return self.base_dir / "data"

    @property
    def log_file(self) -> Path:
        """The server's stderr (startup failures are explained here)."""
        assert self.base_dir is not None, "cluster not started"
        return self.base_dir / "server.log"

    @property
    def admin_dsn(self) -> str:
        """DSN of the maintenance database, as the superuser, over TCP."""
        assert self.port is not None, "cluster not started"
        return psycopg.conninfo.make_conninfo(
            host=LISTEN_HOST, port=self.port, user=SUPERUSER, dbname=MAINTENANCE_DB
        )

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Run initdb into a fresh temp dir and start the server; on any failure, leave nothing."""
        self.bindir = self.bindir or find_bindir(major=self.major)
        self._run_as = _unprivileged_user() if os.geteuid() == 0 else None
        self.base_dir = Path(tempfile.mkdtemp(prefix="dbharness-pg-"))
        atexit.register(self.stop)
        try:
            if self._run_as is not None:
                os.chown(self.base_dir, self._run_as.pw_uid, self._run_as.pw_gid)
            self._initdb()
            self._start_postmaster()
        except BaseException:
            self.stop()
            raise

    def _child_kwargs(self) -> dict[str, Any]:
        """Run as the unprivileged user; without the caller's PG* variables (PGDATA, PGPORT...)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        kw: dict[str, Any] = {"env": env, "cwd": str(self.base_dir)}
        if self._run_as is not None:
            # The stdlib's user/group/extra_groups do the setgroups/setgid/setuid dance itself,
            # in the right order and without a Python-level preexec_fn.
            kw.update(user=self._run_as.pw_uid, group=self._run_as.pw_gid, extra_groups=[])
            env["HOME"] = str(self.base_dir)
        return kw

    def _bin(self, name: str) -> str:
        assert self.bindir is not None
        return str(self.bindir / name)

    def _initdb(self) -> None:
        base = [self._bin("initdb"), "-D", str(self.data_dir), "-U", SUPERUSER,
                "--auth=trust", "-E", "UTF8", "--no-sync"]
        # C.UTF-8 keeps upper()/lower() and full-text search right for non-ASCII text; fall
        # back to the C locale where the C library lacks it.
        for locale in (["--locale=C.UTF-8"], ["--no-locale"]):
            res = subprocess.run(base + locale, capture_output=True, text=True,
                                 **self._child_kwargs())
            if res.returncode == 0:
                return
            shutil.rmtree(self.data_dir, ignore_errors=True)
        raise HarnessError(
            f"initdb failed (exit {res.returncode}): {res.stderr.strip() or res.stdout.strip()}",
            hint=f"binaries in {self.bindir}; temp dir {self.base_dir}",
        )

    def _start_postmaster(self) -> None:
        flags = [f"--{k.replace('_', '-')}={v}" for k, v in self.settings.items()]
        for _attempt in range(PORT_ATTEMPTS):
            self.port = _free_port()
            cmd = [self._bin("postgres"), "-D", str(self.data_dir), "-p", str(self.port),
                   "-k", str(self.base_dir), "-c", f"listen_addresses={LISTEN_HOST}", *flags]
            with open(self.log_file, "ab") as log:
                # A session of its own: Ctrl-C in the terminal must reach the harness (which then
                # drops its databases) and not kill the server under it.
                self._proc = subprocess.Popen(
                    cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    start_new_session=True, preexec_fn=_die_with_parent, **self._child_kwargs(),
                )
            if self._wait_ready():
                return
            if "could not bind" not in self._log_tail():
                break
        raise HarnessError(
            f"embedded PostgreSQL did not start:\n{self._log_tail()}",
            hint=f"server log: {self.log_file}",
        )

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        assert self._proc is not None
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                return False
            try:
                with psycopg.connect(self.admin_dsn, connect_timeout=2):
                    return True
            except psycopg.OperationalError:
                time.sleep(0.05)
        return False

    def _log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server (immediate: its data is about to be deleted) and remove the temp dir.

        Idempotent; safe from atexit.
        """
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            # Failure is fine: the kill below is the fallback.
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                subprocess.run(
                    [self._bin("pg_ctl"), "stop", "-D", str(self.data_dir), "-m", "immediate",
                     "-w", "-t", str(int(STOP_TIMEOUT_S))],
                    capture_output=True, timeout=STOP_TIMEOUT_S, **self._child_kwargs(),
                )
            try:
                proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self.base_dir is not None:
            shutil.rmtree(self.base_dir, ignore_errors=True)
            self.base_dir = None
        atexit.unregister(self.stop)

    def __enter__(self) -> EmbeddedCluster:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
