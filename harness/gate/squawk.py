"""Run squawk (the migration-safety linter) on new migrations; one MIG100 finding per violation.

Squawk's rules are used as they are; a project silences one with ``.squawk.toml`` (found from
the schema directory upwards), where a comment must say why.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from harness.errors import HarnessError
from harness.registry import Finding

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
    exe = shutil.which("squawk")
    if exe is None:
        raise HarnessError("squawk is not installed", hint="pip install squawk-cli")
    cmd = [exe, "--reporter", "json", "--assume-in-transaction"]
    if config is not None:
        cmd += ["--config", str(config)]
    proc = subprocess.run(
        [*cmd, *(str(f) for f in files)], capture_output=True, text=True, check=False
    )
    # squawk exits 1 when it reports violations; anything else without JSON is a real failure
    try:
        report = json.loads(proc.stdout or "[]")
    except json.JSONDecodeError:
        raise HarnessError(
            f"squawk failed (exit {proc.returncode}): {proc.stderr.strip() or proc.stdout[:500]}"
        ) from None
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
