"""What a check receives: the scratch database holding the schema under test, and the settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg

if TYPE_CHECKING:
    from harness.config import HarnessConfig
    from harness.errors import SchemaApplyError
    from harness.schema_dir import SchemaDir


@dataclass
class CheckContext:
    """Handed to every check function.

    ``dsn`` names a database created by the harness from the schema template (bootstrap +
    migrations applied, seed data loaded when the schema has some). Checks that only read the
    catalog use it directly; checks that write should take a private copy with
    :meth:`fresh_database` so that no check sees another's rows.
    """

    dsn: str
    schema: SchemaDir
    config: HarnessConfig
    seed: int
    clone: Callable[[], Any]  # returns a context manager yielding the DSN of a fresh clone
    admin_dsn: str = ""  # maintenance database of the server (for CREATE DATABASE)
    server_major: int | None = None  # the server's major version (17 for 17.10)
    progress: Callable[[str], None] = field(default=lambda _msg: None)
    report_dir: Path | None = None
    # What the running check says it exercised (cases, share conclusive, ...); the runner gives
    # each check a fresh dict and reports it with the verdict.
    stats: dict[str, Any] = field(default_factory=dict)
    # Set when the schema did not apply: only offline checks run, and MIG010 reports this.
    apply_error: SchemaApplyError | None = None
    # The real API path (PostgREST), when the run has one; else why not (the API checks say it).
    api: Any = None  # harness.postgrest.ApiServers (a higher layer: not imported here)
    api_off_reason: str = "no PostgREST in this run"

    def connect(
        self, dsn: str | None = None, *, autocommit: bool = True
    ) -> psycopg.Connection[Any]:
        """Open a superuser connection (the harness's own) to the scratch database or ``dsn``."""
        return psycopg.connect(dsn or self.dsn, autocommit=autocommit)

    @contextmanager
    def fresh_database(self) -> Iterator[str]:
        """Yield the DSN of a private clone of the schema template, dropped afterwards."""
        with self.clone() as dsn:
            yield dsn
