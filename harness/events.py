"""What the engine says while it runs.

The runner emits these events; writers (terminal, report files, the pytest plugin) turn them into
output, so no output format knows how checks are run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from harness.registry import Check, Finding

EXIT_OK = 0
EXIT_FINDINGS = 1  # an open finding at or above fail_on
# usage or environment (HarnessError), or a check that could not run (status error): the run
# has no complete verdict, which must never read as a pass.
EXIT_ERROR = 2


def utcnow() -> datetime:
    """Return the current time, timezone-aware (report timestamps are UTC)."""
    return datetime.now(UTC)


class Status(StrEnum):
    """The verdict on one check."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"

    @property
    def fails_run(self) -> bool:
        """Whether this verdict makes the run exit 1."""
        return self in (Status.FAILED, Status.ERROR)


@dataclass(frozen=True)
class ServerInfo:
    """The PostgreSQL server the run used."""

    version: str
    embedded: bool


@dataclass(frozen=True)
class RunStarted:
    """Checks are selected and the database is ready; nothing has run yet."""

    run_id: str
    config: dict[str, Any]  # a printable summary, DSN password redacted
    checks: tuple[Check, ...]
    server: ServerInfo | None
    seed: int
    started_at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class Progress:
    """Something slow is happening (provisioning, data generation) and the user should know."""

    message: str


@dataclass(frozen=True)
class CheckStarted:
    """A check begins; ``index`` of ``total`` counts from 1."""

    check: Check
    index: int
    total: int


@dataclass(frozen=True)
class CheckFinished:
    """The verdict on one check.

    ``error`` holds the exception message (status error) or the reason for skipping (status
    skipped); ``traceback`` the full traceback of an error. ``stats`` is what the check says it
    exercised (cases run, share conclusive, ...).
    """

    check: Check
    status: Status
    findings: tuple[Finding, ...] = ()
    duration: float = 0.0
    error: str | None = None
    traceback: str | None = None
    index: int = 0
    total: int = 0
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def open_findings(self) -> tuple[Finding, ...]:
        """The findings that fail the run (not suppressed)."""
        return tuple(f for f in self.findings if not f.suppressed)

    @property
    def suppressed_findings(self) -> tuple[Finding, ...]:
        """The findings silenced by a suppression in the config."""
        return tuple(f for f in self.findings if f.suppressed)


@dataclass(frozen=True)
class RunResult:
    """The outcome of a run: every check's verdict and the exit code they add up to."""

    run_id: str
    results: tuple[CheckFinished, ...]
    duration: float
    seed: int
    finished_at: datetime = field(default_factory=utcnow)

    @property
    def exit_code(self) -> int:
        """2 when a check could not run, else 1 when one failed, else 0."""
        if any(r.status is Status.ERROR for r in self.results):
            return EXIT_ERROR
        return EXIT_FINDINGS if any(r.status is Status.FAILED for r in self.results) else EXIT_OK

    def count(self, status: Status) -> int:
        """How many checks ended with ``status``."""
        return sum(1 for r in self.results if r.status is status)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of the run, suppressed ones included, in check order."""
        return tuple(f for r in self.results for f in r.findings)


@dataclass(frozen=True)
class RunFinished:
    """Every check has a verdict."""

    result: RunResult

    @property
    def exit_code(self) -> int:
        """The exit code the run adds up to."""
        return self.result.exit_code


Event = RunStarted | Progress | CheckStarted | CheckFinished | RunFinished


class Writer(Protocol):
    """Turns events into one output. ``close`` is called once, also when the run was aborted."""

    def handle(self, event: Event) -> None:
        """Take one event, in the order emitted."""

    def close(self) -> None:
        """Flush and release what the writer holds."""


class EventBus:
    """Hands every event to every writer, in order."""

    def __init__(self, writers: Sequence[Writer]) -> None:
        self.writers = list(writers)

    def emit(self, event: Event) -> None:
        """Hand ``event`` to each writer."""
        for w in self.writers:
            w.handle(event)

    def progress(self, message: str) -> None:
        """Emit a :class:`Progress` event (usable as ``CheckContext.progress``)."""
        self.emit(Progress(message))

    def close(self) -> None:
        """Close every writer."""
        for w in self.writers:
            w.close()
