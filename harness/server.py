"""Where a run happens: the server named by the DSN, or an embedded throwaway cluster.

A :class:`Server` is only a description (connection string, version, privileges); it never drops
a database. Databases are created and dropped by :class:`harness.workspace.Workspace`, which drops
only the names it created.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from harness.embedded import EmbeddedCluster
from harness.errors import ConfigError, ConnectionFailed

if TYPE_CHECKING:
    from harness.config import HarnessConfig

CONNECT_TIMEOUT_S = 5
_SECRET_KEYS = ("password", "sslpassword")


@dataclass(frozen=True)
class Server:
    """A reachable PostgreSQL server and what the harness may do on it."""

    admin_dsn: str  # the maintenance database; CREATE/DROP DATABASE run from here
    version: str  # server_version, e.g. "15.20 (Debian 15.20-0+deb12u1)"
    version_num: int  # server_version_num, e.g. 150020
    embedded: bool
    is_superuser: bool
    can_create_db: bool
    base_dir: Path | None = None  # embedded only: temp dir with data/, socket and server.log

    @property
    def major(self) -> int:
        """The major version: 17 for 17.10 (server_version_num 170010)."""
        return self.version_num // 10000

    def dsn(self, dbname: str) -> str:
        """Return the DSN of database ``dbname`` on this server (same host, user, options)."""
        return make_conninfo(self.admin_dsn, dbname=dbname)

    def connect(self, dbname: str | None = None) -> psycopg.Connection[Any]:
        """Open an autocommit connection to ``dbname`` (default: the maintenance database)."""
        return psycopg.connect(self.dsn(dbname) if dbname else self.admin_dsn, autocommit=True)

    @property
    def description(self) -> str:
        """Human-readable, password-free: for report headers and logs."""
        kind = "embedded" if self.embedded else "external"
        return f"PostgreSQL {self.version.split()[0]} ({kind}, {describe_dsn(self.admin_dsn)})"


def describe_dsn(dsn: str) -> str:
    """Show the DSN's parameters without secrets (libpq's environment fills the rest)."""
    try:
        params = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "<unparsable DSN>"
    shown = " ".join(f"{k}={v}" for k, v in params.items() if k not in _SECRET_KEYS)
    return shown or "libpq defaults and PG* environment"


def probe(dsn: str, *, embedded: bool = False, base_dir: Path | None = None) -> Server:
    """Connect once to ``dsn`` and describe the server; :class:`ConnectionFailed` if unreachable."""
    try:
        params = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError as exc:
        raise ConfigError(f"malformed DSN: {str(exc).strip()}",
                          hint="use key=value pairs or a postgresql:// URI") from None
    given = dsn
    if "connect_timeout" not in params:
        dsn = make_conninfo(dsn, connect_timeout=CONNECT_TIMEOUT_S)
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            row = conn.execute(
                "select current_setting('server_version'),"
                " current_setting('server_version_num')::int, rolsuper, rolcreatedb"
                " from pg_roles where rolname = current_user"
            ).fetchone()
    except psycopg.OperationalError as exc:
        raise ConnectionFailed(
            f"cannot connect to PostgreSQL at {describe_dsn(given)}: {libpq_reason(exc)}",
            hint="is the server running and accepting connections there? Check --dsn / "
            "DATABASE_URL / PG* variables, or give no DSN to use an embedded throwaway cluster",
        ) from None
    assert row is not None  # current_user always has a pg_roles row
    version, version_num, superuser, createdb = row
    return Server(dsn, version, version_num, embedded, superuser, superuser or createdb, base_dir)


def libpq_reason(exc: Exception) -> str:
    """Say why libpq could not connect, on one line.

    libpq answers 'connection to server at "h", port p failed: Connection refused' and a
    tab-indented line asking whether the server runs; the reason is what follows "failed:", and
    the question is the hint's job.
    """
    lines = [" ".join(line.split()) for line in str(exc).splitlines()]
    lines = [line for line in lines if line and not line.startswith("Is the server running")]
    if not lines:
        return type(exc).__name__
    reasons = [line.rsplit(" failed: ", 1)[-1].removeprefix("connection failed: ")
               for line in lines]
    return "; ".join(dict.fromkeys(reasons))


@contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """While open, SIGTERM raises KeyboardInterrupt in the main thread.

    Python's default SIGTERM action ends the process at once, skipping every ``finally`` and
    ``__exit__``: databases would stay behind and an embedded server keep running. Raising
    KeyboardInterrupt (not SystemExit) makes pytest stop the session and tear fixtures down,
    exactly as for Ctrl-C. A handler someone else installed is left alone.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def _interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextmanager
def open_server(
    config: HarnessConfig, embedded_settings: Mapping[str, str] | None = None
) -> Iterator[Server]:
    """Yield the server to run on.

    That is ``config.dsn`` when set ("" = libpq's PG* environment), else an embedded temporary
    cluster of ``config.postgres_version`` (any major when unset), started with
    ``embedded_settings`` (default: the throwaway settings of :mod:`harness.embedded`), that is
    stopped and deleted when the context ends. A DSN's server must be of
    ``config.postgres_version`` when it is set.
    """
    with sigterm_unwinds():
        if config.dsn is not None:
            server = probe(config.dsn)
            wanted = config.postgres_version
            if wanted is not None and server.major != wanted:
                raise ConfigError(
                    f"PostgreSQL {wanted} was asked for (--pg / postgres_version), but the "
                    f"server at {describe_dsn(config.dsn)} is {server.version.split()[0]}",
                    hint="drop --pg to run on the server's own major, or give the DSN of a "
                    f"PostgreSQL {wanted} server",
                )
            yield server
            return
        with EmbeddedCluster(major=config.postgres_version, settings=embedded_settings) as cluster:
            yield probe(cluster.admin_dsn, embedded=True, base_dir=cluster.base_dir)
