"""The terminal: a live line per check while the run goes, then a summary.

The summary is a table of checks and every finding with its reproduction.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.status import Status as Spinner
from rich.table import Table

from harness.events import (
    CheckFinished,
    CheckStarted,
    Event,
    Progress,
    RunFinished,
    RunResult,
    RunStarted,
    Status,
)
from harness.registry import Finding

STYLE = {
    Status.PASSED: "green",
    Status.FAILED: "red",
    Status.ERROR: "bold red",
    Status.SKIPPED: "yellow",
}
QUIET, NORMAL, VERBOSE = -1, 0, 1


class TerminalWriter:
    """Human output on a rich console.

    ``verbosity``: -1 only problems and the summary; 1 also progress messages, suppressed
    findings and tracebacks.
    """

    def __init__(self, console: Console | None = None, verbosity: int = NORMAL) -> None:
        self.console = console or Console(highlight=False)
        self.verbosity = verbosity
        self._spinner: Spinner | None = None
        self._seed: int | None = None

    # -- the live line -------------------------------------------------------------------------
    def _live(self, text: str) -> None:
        if not self.console.is_terminal:
            return
        if self._spinner is None:
            self._spinner = Spinner(text, console=self.console)
            self._spinner.start()
        else:
            self._spinner.update(text)

    def _stop_live(self) -> None:
        if self._spinner is not None:
            self._spinner.stop()
            self._spinner = None

    # -- events --------------------------------------------------------------------------------
    def handle(self, event: Event) -> None:
        """Update the live line or print, according to the event."""
        if isinstance(event, Progress):
            self._live(escape(event.message) + " ...")
            if self.verbosity >= VERBOSE or (
                self.verbosity >= NORMAL and not self.console.is_terminal and self._seed is None
            ):
                self.console.print(f"[dim]{escape(event.message)}[/]")
        elif isinstance(event, RunStarted):
            self._run_started(event)
        elif isinstance(event, CheckStarted):
            chk = event.check
            self._live(f"[{event.index}/{event.total}] {chk.id} {escape(chk.title)} ...")
        elif isinstance(event, CheckFinished):
            self._check_finished(event)
        elif isinstance(event, RunFinished):
            self._stop_live()
            self._summary(event.result)

    def close(self) -> None:
        """Stop the live line (also after an interrupted run)."""
        self._stop_live()

    def _run_started(self, ev: RunStarted) -> None:
        self._seed = ev.seed
        if self.verbosity < NORMAL:
            return
        srv = ""
        if ev.server is not None:
            kind = "embedded" if ev.server.embedded else "external"
            version = ev.server.version.split()[0] if ev.server.version else "?"
            srv = f", PostgreSQL {escape(version)} ({kind})"
        self.console.print(
            f"[bold]dbharness[/] run {ev.run_id}: {len(ev.checks)} checks{srv}, seed {ev.seed}"
        )

    def _check_finished(self, r: CheckFinished) -> None:
        if self.verbosity < NORMAL and not r.status.fails_run:
            return
        self._stop_live()
        n = len(r.open_findings)
        extra = f" {n} finding{'s' if n != 1 else ''}" if n else ""
        if r.suppressed_findings:
            extra += f" (+{len(r.suppressed_findings)} suppressed)"
        if r.status is Status.SKIPPED and r.error:
            extra += f" [dim]{escape(r.error)}[/]"
        self.console.print(
            f"[dim][{r.index}/{r.total}][/] {r.check.id} {escape(r.check.title)} "
            f"[{STYLE[r.status]}]{r.status.value.upper()}[/]{extra} [dim]{r.duration:.2f}s[/]"
        )

    # -- the summary ---------------------------------------------------------------------------
    def _summary(self, res: RunResult) -> None:
        c = self.console
        shown = [r for r in res.results if self.verbosity >= NORMAL or r.status.fails_run]
        if shown:
            table = Table(title="Summary", title_justify="left")
            for col, just in (("ID", "left"), ("Title", "left"), ("Status", "left")):
                table.add_column(col, justify=just)  # type: ignore[arg-type]
            table.add_column("Findings", justify="right")
            table.add_column("Duration", justify="right")
            for r in shown:
                n = str(len(r.open_findings)) + (
                    f" (+{len(r.suppressed_findings)})" if r.suppressed_findings else ""
                )
                table.add_row(
                    r.check.id,
                    escape(r.check.title),
                    f"[{STYLE[r.status]}]{r.status.value}[/]",
                    n,
                    f"{r.duration:.2f}s",
                )
            c.print(table)
        for r in res.results:
            if r.status is Status.ERROR:
                c.print(f"[bold red]{r.check.id} raised[/] {escape(r.error or '')}")
                if self.verbosity >= VERBOSE and r.traceback:
                    c.print(escape(r.traceback), style="dim")
            if r.stats and self.verbosity >= VERBOSE:
                stats = ", ".join(f"{k}: {v}" for k, v in r.stats.items())
                c.print(f"[dim]{r.check.id} exercised: {escape(stats)}[/]")
            findings = r.findings if self.verbosity >= VERBOSE else r.open_findings
            if findings:
                chk = r.check
                c.print(f"\n[bold]{chk.id}[/] {escape(chk.title)} ({chk.severity.value})")
                for f in findings:
                    self._finding(f, res.seed, chk.severity_of(f).value)
        totals = ", ".join(f"{res.count(s)} {s.value}" for s in Status if res.count(s))
        style = "red" if res.exit_code else "green"
        c.print(
            f"\n[{style}]{totals or 'no checks'}[/] in {res.duration:.1f}s; "
            f"seed {res.seed}; reproduce with --seed {res.seed}"
        )

    def _finding(self, f: Finding, run_seed: int, severity: str) -> None:
        c = self.console
        mark = ""
        if f.suppressed:
            mark = f" [yellow](suppressed: {escape(f.suppressed_reason or '')})[/]"
        c.print(
            f"  • {escape(f'[{severity}]')} [cyan]{escape(f.object)}[/]: {escape(f.message)}{mark}"
        )
        if f.repro_sql:
            # Never wrapped: a CI log is 80 columns wide and the SQL must paste into psql whole.
            indented = "\n".join("    " + line for line in f.repro_sql.strip().splitlines())
            c.print(escape(indented), soft_wrap=True, highlight=False)
        seed = f.seed if f.seed is not None else run_seed
        c.print(f"    [dim]rerun: dbharness check --check {f.check_id} --seed {seed}[/]")
