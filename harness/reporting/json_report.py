"""The full JSON report: the run, every check's verdict, every finding with its reproduction."""

from __future__ import annotations

import json
from typing import Any

from harness import __version__
from harness.events import CheckFinished, Status
from harness.registry import Finding
from harness.reporting.base import RunReport

FORMAT_VERSION = 1  # bump when a consumer would have to change


def _finding(report: RunReport, f: Finding) -> dict[str, Any]:
    sev = report.severity_of(f)
    return {
        "check_id": f.check_id,
        "object": f.object,
        "message": f.message,
        "severity": sev.value if sev else None,
        "repro_sql": f.repro_sql,
        "seed": report.seed_of(f),
        "rerun": report.rerun_command(f),
        "suppressed": f.suppressed,
        "suppressed_reason": f.suppressed_reason,
        "details": f.details,
    }


def _check(r: CheckFinished) -> dict[str, Any]:
    c = r.check
    return {
        "id": c.id,
        "title": c.title,
        "severity": c.severity.value,
        "family": c.family,
        "suite": c.suite,
        "status": r.status.value,
        "duration": round(r.duration, 4),
        "findings": len(r.open_findings),
        "suppressed": len(r.suppressed_findings),
        "error": r.error if r.status is Status.ERROR else None,
        "traceback": r.traceback,
        "skip_reason": r.error if r.status is Status.SKIPPED else None,
        "stats": r.stats,
    }


def to_dict(report: RunReport) -> dict[str, Any]:
    """Return the report as JSON-ready data."""
    s, res = report.started, report.result
    return {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "dbharness", "version": __version__},
        "run": {
            "run_id": res.run_id,
            "started_at": s.started_at.isoformat(),
            "finished_at": res.finished_at.isoformat(),
            "duration": round(res.duration, 4),
            "seed": res.seed,
            "exit_code": res.exit_code,
            "server": (
                {"version": s.server.version, "embedded": s.server.embedded} if s.server else None
            ),
            "config": s.config,
            "totals": {st.value: res.count(st) for st in Status},
        },
        "checks": [_check(r) for r in res.results],
        "findings": [_finding(report, f) for f in res.findings],
    }


def render(report: RunReport) -> str:
    """Render the report as indented JSON."""
    # default=str: finding details are free-form and may hold dates, paths or decimals.
    return json.dumps(to_dict(report), indent=2, default=str) + "\n"
