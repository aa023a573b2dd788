"""The report file formats, chosen by name from an enum rather than an if/elif chain."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

from harness.errors import ConfigError
from harness.reporting import json_report, junit, markdown, sarif
from harness.reporting.base import FileReport, Render


class ReportFormat(StrEnum):
    """A report file written to ``<report_dir>/<run_id>/``."""

    JUNIT = "junit"
    JSON = "json"
    SARIF = "sarif"
    MARKDOWN = "markdown"

    @property
    def filename(self) -> str:
        """The file's name inside the run's report folder."""
        return _FILENAMES[self]

    @property
    def render(self) -> Render:
        """The function that turns a finished run into the file's text."""
        return _RENDERERS[self]

    def writer(self, out_dir: Path) -> FileReport:
        """Return a writer that writes this format into ``out_dir``."""
        return FileReport(out_dir / self.filename, self.render)

    @classmethod
    def parse(cls, name: str) -> ReportFormat:
        """Look a format up by name; an unknown name is a usage error."""
        try:
            return cls(name.lower())
        except ValueError:
            raise ConfigError(
                f"unknown report format {name!r}",
                hint=f"known formats: {', '.join(f.value for f in cls)}",
            ) from None


_FILENAMES = {
    ReportFormat.JUNIT: "junit.xml",
    ReportFormat.JSON: "report.json",
    ReportFormat.SARIF: "results.sarif",
    ReportFormat.MARKDOWN: "report.md",
}
_RENDERERS: dict[ReportFormat, Render] = {
    ReportFormat.JUNIT: junit.render,
    ReportFormat.JSON: json_report.render,
    ReportFormat.SARIF: sarif.render,
    ReportFormat.MARKDOWN: markdown.render,
}


def report_writers(formats: Iterable[str], out_dir: Path) -> list[FileReport]:
    """One file writer per named format (each format once)."""
    chosen = dict.fromkeys(ReportFormat.parse(f) for f in formats)
    return [f.writer(out_dir) for f in chosen]
