"""The databases of one run: a template holding the schema, and clones of it.

The schema is applied once, into ``dbh_<runid>_tpl``; every check or test that writes gets its own
``CREATE DATABASE ... TEMPLATE`` copy (a file-level copy: far cheaper than re-running
migrations). Every name created is tracked and only tracked names are ever dropped, so a shared
server's other databases are safe even when run ids collide or cleanup runs twice.
"""

from __future__ import annotations

import atexit
import itertools
import re
import secrets
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING

import psycopg
from psycopg import sql

from harness.context import CheckContext
from harness.errors import HarnessError
from harness.migrate import apply_schema
from harness.platform import Profile, apply_settings

if TYPE_CHECKING:
    from harness.config import HarnessConfig
    from harness.schema_dir import SchemaDir
    from harness.server import Server

DB_PREFIX = "dbh_"
_RUN_ID = re.compile(r"^[a-z0-9_]{1,40}$")  # keeps names unquoted-friendly and under 63 bytes


def new_run_id() -> str:
    """Timestamp (sortable, tells when a leftover came from) plus randomness (unique)."""
    return time.strftime("%Y%m%d%H%M%S") + "_" + secrets.token_hex(3)


class Workspace:
    """Template database with the schema applied, and disposable clones of it.

    Use as a context manager (or call :meth:`close`); ``close`` also runs at interpreter exit.
    """

    def __init__(
        self,
        server: Server,
        schema: SchemaDir,
        *,
        seed_data: bool,
        run_id: str | None = None,
        platform: Profile | None = None,
    ) -> None:
        self.server = server
        self.schema = schema
        self.platform = platform
        self.run_id = run_id or new_run_id()
        if not _RUN_ID.match(self.run_id):
            raise HarnessError(f"run id {self.run_id!r} must match {_RUN_ID.pattern}")
        if not server.can_create_db:
            raise HarnessError(
                "the DSN's role may not create databases; the harness works on its own copies",
                hint="connect as a role with CREATEDB (ALTER ROLE ... CREATEDB) or a superuser",
            )
        self.template = f"{DB_PREFIX}{self.run_id}_tpl"
        self._created: set[str] = set()
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)
        self._scratch: str | None = None
        atexit.register(self.close)
        try:
            self._create(self.template)
            self.applied = apply_schema(
                server.dsn(self.template), schema, seed=seed_data, platform=platform
            )
            # No one may connect to the template: CREATE DATABASE refuses to copy a database
            # that has sessions, so a stray connection would break every later clone.
            self._admin(
                sql.SQL("alter database {} with allow_connections false").format(
                    sql.Identifier(self.template)
                )
            )
        except BaseException:
            try:
                self.close()
            except HarnessError as cleanup:  # keep the original error the one raised
                warnings.warn(str(cleanup), RuntimeWarning, stacklevel=2)
            raise

    # -- database lifecycle -------------------------------------------------------------------

    def _admin(self, stmt: sql.Composed) -> None:
        with psycopg.connect(self.server.admin_dsn, autocommit=True) as conn:
            conn.execute(stmt)

    def _create(self, name: str, template: str | None = None) -> None:
        # Tracked before the statement runs: if we are interrupted after the server created it,
        # close() still drops it (IF EXISTS makes the opposite case harmless).
        with self._lock:
            self._created.add(name)
        stmt = sql.SQL("create database {}").format(sql.Identifier(name))
        if template:
            stmt += sql.SQL(" template {}").format(sql.Identifier(template))
        try:
            self._admin(stmt)
        except psycopg.errors.DuplicateDatabase:
            with self._lock:
                self._created.discard(name)  # someone else's: never ours to drop
            raise HarnessError(f"database {name} already exists; not touching it") from None
        if template and self.platform is not None:
            # A copy does not inherit the template's ALTER DATABASE settings (search_path).
            with psycopg.connect(self.server.admin_dsn, autocommit=True) as conn:
                apply_settings(conn, self.platform, name)

    def _drop(self, name: str) -> None:
        with self._lock:
            if name not in self._created:
                raise HarnessError(f"refusing to drop {name}: this workspace did not create it")
        # FORCE ends sessions a check forgot to close, which would otherwise block the drop.
        self._admin(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
        )
        with self._lock:
            self._created.discard(name)

    @property
    def created(self) -> frozenset[str]:
        """Names of the databases this workspace created and has not dropped yet."""
        with self._lock:
            return frozenset(self._created)

    @contextmanager
    def clone(self) -> Iterator[str]:
        """Yield the DSN of a fresh copy of the template for the duration of the block."""
        name = f"{DB_PREFIX}{self.run_id}_{next(self._numbers)}"
        self._create(name, template=self.template)
        try:
            yield self.server.dsn(name)
        finally:
            if name in self.created:  # close() may have dropped it already
                self._drop(name)

    @property
    def scratch_dsn(self) -> str:
        """A clone kept for the whole run: the database read-only checks share."""
        with self._lock:
            name = self._scratch
        if name is None:
            name = f"{DB_PREFIX}{self.run_id}_scratch"
            self._create(name, template=self.template)
            with self._lock:
                self._scratch = name
        return self.server.dsn(name)

    def close(self) -> None:
        """Drop every database this workspace created (clones first, the template last)."""
        atexit.unregister(self.close)
        with self._lock:
            names = sorted(self._created, key=lambda n: (n == self.template, n))
        failures: list[str] = []
        for name in names:
            try:
                self._drop(name)
            except (psycopg.Error, HarnessError) as exc:
                failures.append(f"{name}: {str(exc).strip()}")
        if failures:
            raise HarnessError(
                "could not drop database(s) of this run:\n  " + "\n  ".join(failures),
                hint="drop them by hand with DROP DATABASE <name> WITH (FORCE)",
            )

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
            return
        try:  # already failing: report a cleanup problem without hiding the original error
            self.close()
        except HarnessError as cleanup:
            warnings.warn(str(cleanup), RuntimeWarning, stacklevel=2)


def make_context(
    workspace: Workspace,
    config: HarnessConfig,
    progress: Callable[[str], None] | None = None,
) -> CheckContext:
    """Build the :class:`CheckContext` checks receive, backed by ``workspace``."""
    ctx = CheckContext(
        dsn=workspace.scratch_dsn,
        schema=workspace.schema,
        config=config,
        seed=config.seed,
        clone=workspace.clone,
        admin_dsn=workspace.server.admin_dsn,
        server_major=workspace.server.major,
        # No report folder until the caller names the run's own: a pass that writes no reports
        # (the gate's baseline pass) must not leave data files in the reports root.
        report_dir=None,
    )
    if progress is not None:
        ctx.progress = progress
    return ctx
