"""What every report file is made from: the run's start event and its result.

:class:`FileReport` collects them from the event stream and hands them to a format's pure
``render`` function.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harness.events import Event, RunFinished, RunResult, RunStarted
from harness.registry import Check, Finding, Severity


@dataclass(frozen=True)
class RunReport:
    """A finished run as the report formats see it."""

    started: RunStarted
    result: RunResult

    @property
    def run_id(self) -> str:
        """The run's ID (also its report folder's name)."""
        return self.result.run_id

    @property
    def checks(self) -> tuple[Check, ...]:
        """The checks selected for the run."""
        return self.started.checks

    def check(self, check_id: str) -> Check | None:
        """Return the selected check with ``check_id``, if any."""
        return next((c for c in self.started.checks if c.id == check_id), None)

    def severity_of(self, f: Finding) -> Severity | None:
        """Return ``f``'s effective severity: its own, else its check's (None if unknown)."""
        chk = self.check(f.check_id)
        return chk.severity_of(f) if chk else f.severity

    def seed_of(self, f: Finding) -> int:
        """Return the seed that reproduces ``f``: its own (property tests), else the run's."""
        return f.seed if f.seed is not None else self.result.seed

    def rerun_command(self, f: Finding) -> str:
        """Return the command line that runs ``f``'s check again with the same seed."""
        return f"dbharness check --check {f.check_id} --seed {self.seed_of(f)}"


Render = Callable[[RunReport], str]


class FileReport:
    """A writer that renders one file when the run finishes.

    Nothing is written for a run that never reached a verdict, so a stale report cannot pass for a
    new one.
    """

    def __init__(self, path: Path, render: Render) -> None:
        self.path = path
        self.render = render
        self._started: RunStarted | None = None

    def handle(self, event: Event) -> None:
        """Remember the start; render and write the file at the finish."""
        if isinstance(event, RunStarted):
            self._started = event
        elif isinstance(event, RunFinished) and self._started is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            text = self.render(RunReport(self._started, event.result))
            self.path.write_text(text, encoding="utf-8")

    def close(self) -> None:
        """Nothing to release: the file is written whole at the finish."""


LATEST = "latest"


def update_latest(report_dir: Path, run_id: str) -> None:
    """Point ``<report_dir>/latest`` at this run: a relative symlink, else ``latest.txt``."""
    link = report_dir / LATEST
    tmp = report_dir / f".{LATEST}.{os.getpid()}"
    try:
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(run_id, target_is_directory=True)
        os.replace(tmp, link)  # atomic: a reader never sees no `latest`
    except OSError:  # no symlinks here (some file systems, Windows without privilege)
        tmp.unlink(missing_ok=True)
        (report_dir / f"{LATEST}.txt").write_text(run_id + "\n", encoding="utf-8")
