"""sqlfluff (postgres dialect, the project's ``.sqlfluff``) on the schema's SQL: MIG300.

Linting runs in a subprocess from the repository root so sqlfluff finds the project config
exactly as a developer running ``sqlfluff lint`` there would.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from harness.errors import HarnessError
from harness.registry import Finding

MIG_STYLE = "MIG300"
# The SQL sqlfluff reads: not the generated dump, which is pg_dump's style, not ours.
LINTED_SUBDIRS = ("bootstrap", "migrations", "seed")


def schema_sql_paths(schema_root: Path) -> list[Path]:
    """List the sub-directories of a schema directory that hold hand-written SQL."""
    return [schema_root / d for d in LINTED_SUBDIRS if (schema_root / d).is_dir()]


def run_sqlfluff(paths: list[Path], *, cwd: Path) -> list[dict[str, object]]:
    """Sqlfluff's JSON report for ``paths`` (files or directories)."""
    if not paths:
        return []
    exe = shutil.which("sqlfluff")
    if exe is None:
        raise HarnessError("sqlfluff is not installed", hint="pip install sqlfluff")
    proc = subprocess.run(
        [exe, "lint", "--format", "json", "--nocolor", *(str(p) for p in paths)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(proc.stdout or "[]")
    except json.JSONDecodeError:
        raise HarnessError(
            f"sqlfluff failed (exit {proc.returncode}): {proc.stderr.strip()[:1000]}"
        ) from None
    if not isinstance(report, list):
        raise HarnessError("sqlfluff returned an unexpected report")
    return report


def sqlfluff_findings(report: list[dict[str, object]], *, relative_to: Path) -> list[Finding]:
    """One MIG300 finding per violation; file paths relative to ``relative_to``."""
    out = []
    for entry in report:
        raw = Path(str(entry.get("filepath", "")))
        path = raw if raw.is_absolute() else relative_to / raw
        try:
            shown = path.resolve().relative_to(relative_to.resolve()).as_posix()
        except ValueError:
            shown = str(raw)
        for v in entry.get("violations", []) or []:  # type: ignore[attr-defined]
            line = int(v.get("start_line_no", 1))
            code = str(v.get("code", "?"))
            out.append(
                Finding(
                    MIG_STYLE,
                    f"{shown}:{line}:{code}",
                    f"{shown}:{line}: sqlfluff {code}: {v.get('description', '')}",
                    details={
                        "file": shown,
                        "line": line,
                        "code": code,
                        "rule": code,
                        "name": v.get("name"),
                    },
                )
            )
    return out
