"""Markdown for a pull-request comment or a job summary.

A table of checks, then each finding with its reproduction in a ```sql block.
"""

from __future__ import annotations

from harness.events import Status
from harness.registry import Finding
from harness.reporting.base import RunReport

STATUS_MARK = {
    Status.PASSED: "✅ passed",
    Status.FAILED: "❌ failed",
    Status.ERROR: "💥 error",
    Status.SKIPPED: "⏭️ skipped",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _finding(report: RunReport, f: Finding) -> list[str]:
    sev = report.severity_of(f)
    head = f"- **{f.check_id}** ({sev.value if sev else '?'}) `{f.object}`: {_cell(f.message)}"
    if f.suppressed:
        head += f" _(suppressed: {_cell(f.suppressed_reason or '')})_"
    out = [head, ""]
    if f.repro_sql:
        out += ["  ```sql", *(f"  {line}" for line in f.repro_sql.splitlines()), "  ```", ""]
    out += [f"  Rerun: `{report.rerun_command(f)}`", ""]
    return out


def render(report: RunReport) -> str:
    """Render the report as Markdown."""
    res = report.result
    totals = ", ".join(f"{res.count(s)} {s.value}" for s in Status)
    out = [
        f"# dbharness report `{res.run_id}`",
        "",
        f"{totals}; seed {res.seed}; {res.duration:.1f} s; exit code {res.exit_code}.",
        "",
    ]
    if report.started.server is not None:
        srv = report.started.server
        out += [f"PostgreSQL {srv.version} ({'embedded' if srv.embedded else 'external'}).", ""]
    out += [
        "| ID | Title | Severity | Status | Findings | Duration |",
        "|---|---|---|---|---:|---:|",
    ]
    for r in res.results:
        n = str(len(r.open_findings))
        if r.suppressed_findings:
            n += f" (+{len(r.suppressed_findings)} suppressed)"
        out.append(
            f"| {r.check.id} | {_cell(r.check.title)} | {r.check.severity.value} "
            f"| {STATUS_MARK[r.status]} | {n} | {r.duration:.2f} s |"
        )
    out.append("")
    failing = [r for r in res.results if r.findings or r.status is not Status.PASSED]
    problems = [r for r in failing if r.status in (Status.ERROR, Status.SKIPPED)]
    if problems:
        out += ["## Errors and skips", ""]
        out += [f"- **{r.check.id}** {r.status.value}: {_cell(r.error or '')}" for r in problems]
        out.append("")
    covered = [r for r in res.results if r.stats]
    if covered:
        out += ["## What the checks exercised", ""]
        for r in covered:
            stats = ", ".join(f"{k}: {v}" for k, v in r.stats.items())
            out.append(f"- **{r.check.id}** {_cell(stats)}")
        out.append("")
    if res.findings:
        out += ["## Findings", ""]
        for f in res.findings:
            out += _finding(report, f)
    return "\n".join(out).rstrip() + "\n"
