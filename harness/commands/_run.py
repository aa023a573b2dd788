"""What ``check`` and ``gate`` share: choosing the writers, running, saying where reports went.

The engine knows no output format; the front end picks the terminal view and the report files
here and hands them to :func:`harness.runner.run`.
"""

from __future__ import annotations

import click

from harness.config import HarnessConfig
from harness.events import Writer
from harness.registry import Registry
from harness.reporting import report_writers, update_latest
from harness.reporting.terminal import TerminalWriter
from harness.runner import new_run_id, run


def run_and_report(
    config: HarnessConfig, *, verbosity: int, registry: Registry | None = None
) -> int:
    """Run ``config`` with the terminal writer and its report files; return the exit code."""
    run_id = new_run_id()
    out_dir = config.report_dir / run_id
    writers: list[Writer] = [
        TerminalWriter(verbosity=verbosity),
        *report_writers(config.formats, out_dir),
    ]
    code = run(config, registry=registry, writers=writers, run_id=run_id)
    if config.formats and out_dir.is_dir():
        update_latest(config.report_dir, run_id)
        files = ", ".join(sorted(p.name for p in out_dir.iterdir() if p.is_file()))
        click.echo(f"reports: {out_dir}/ ({files})", err=True)
    return code
