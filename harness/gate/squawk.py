"""Run squawk (the migration-safety linter) on new migrations; one MIG100 finding per violation.

Squawk's rules are used as they are; a project silences one with ``.squawk.toml`` (found from
the schema directory upwards), where a comment must say why.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import ToolFailed
from harness.registry import Finding
from harness.tools import find_tool

MIG_SQUAWK = "MIG100"
SQUAWK_CONFIG = ".squawk.toml"


@dataclass(frozen=True)
class SquawkViolation:
    """One entry of squawk's JSON report (lines made 1-based)."""

    file: Path
    line: int
    column: int
    rule: str
    level: str
    message: str
    help: str | None


def find_config(start: Path) -> Path | None:
    """Find ``.squawk.toml`` from ``start`` up to the repository root."""
    for d in [start.resolve(), *start.resolve().parents]:
        if (d / SQUAWK_CONFIG).is_file():
            return d / SQUAWK_CONFIG
        if (d / ".git").exists():
            break
    return None


def run_squawk(files: list[Path], *, config: Path | None = None) -> list[SquawkViolation]:
    """Lint ``files``; ``--assume-in-transaction`` because the harness applies each file in one."""
    if not files:
        return []
    exe = find_tool("squawk", install="pip install squawk-cli")
    cmd = [exe, "--reporter", "json", "--assume-in-transaction"]
    if config is not None:
        cmd += ["--config", str(config)]
    proc = subprocess.run(
        [*cmd, *(str(f) for f in files)], capture_output=True, text=True, check=False
    )
    report = parse_report(proc.returncode, proc.stdout, proc.stderr)
    by_name = {str(f): f for f in files}
    return [
        SquawkViolation(
            file=by_name.get(item["file"], Path(item["file"])),
            line=int(item.get("line", 0)) + 1,  # squawk counts lines from 0
            column=int(item.get("column", 0)) + 1,
            rule=str(item["rule_name"]),
            level=str(item.get("level", "Warning")),
            message=str(item.get("message", "")),
            help=item.get("help"),
        )
        for item in report
    ]


def parse_report(returncode: int, stdout: str, stderr: str) -> list[dict[str, Any]]:
    """Squawk's JSON violations; :class:`ToolFailed` for anything else.

    Squawk exits 0 (clean) or 1 (violations) with a JSON list on stdout. A bad config or flag
    exits non-zero with nothing on stdout: reading that as "no violations" would pass a
    migration no rule ever looked at.
    """
    why = stderr.strip()[:1000] or stdout.strip()[:500] or "no output"
    if returncode not in (0, 1) or not stdout.strip():
        if returncode == 0 and not stdout.strip():
            return []  # clean, and this squawk prints nothing for a clean run
        raise ToolFailed(f"squawk failed (exit {returncode}): {why}")
    try:
        report = json.loads(stdout)
    except json.JSONDecodeError:
        raise ToolFailed(f"squawk printed no JSON report (exit {returncode}): {why}") from None
    if not isinstance(report, list) or not all(
        isinstance(i, dict) and "rule_name" in i for i in report
    ):
        raise ToolFailed("squawk's JSON report has an unexpected shape (a list of violations "
                         "with rule_name expected)")
    if returncode == 1 and not report:
        raise ToolFailed(f"squawk exited 1 without reporting a violation: {why}")
    return report


def squawk_findings(violations: list[SquawkViolation], display: dict[Path, str]) -> list[Finding]:
    """MIG100 findings; ``display`` maps a file to the path reports show (repo-relative)."""
    out = []
    for v in violations:
        shown = display.get(v.file, str(v.file))
        text = v.message + (f" {v.help}" if v.help else "")
        out.append(
            Finding(
                MIG_SQUAWK,
                f"{shown}:{v.line}",
                f"squawk {v.rule}: {text}",
                details={
                    "rule": v.rule,
                    "file": shown,
                    "line": v.line,
                    "column": v.column,
                    "level": v.level.lower(),
                },
            )
        )
    return out
