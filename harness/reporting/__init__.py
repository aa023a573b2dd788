"""Writers that turn the engine's events into output: the terminal, and report files."""

from harness.reporting.base import FileReport, RunReport, update_latest
from harness.reporting.formats import ReportFormat, report_writers

__all__ = ["FileReport", "ReportFormat", "RunReport", "report_writers", "update_latest"]
