"""sqlfluff (postgres dialect, the project's ``.sqlfluff``) on the schema's SQL: MIG300.

Linting runs in a subprocess from the repository root so sqlfluff finds the project config
exactly as a developer running ``sqlfluff lint`` there would.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from harness.errors import ToolFailed
from harness.registry import Finding
from harness.tools import find_tool

MIG_STYLE = "MIG300"
# The SQL sqlfluff reads: not the generated dump, which is pg_dump's style, not ours.
LINTED_SUBDIRS = ("bootstrap", "migrations", "seed")


def schema_sql_paths(schema_root: Path) -> list[Path]:
    """List the sub-directories of a schema directory that hold hand-written SQL."""
    return [schema_root / d for d in LINTED_SUBDIRS if (schema_root / d).is_dir()]


class SqlfluffRun:
    """sqlfluff linting ``paths`` in the background; :meth:`report` waits for its JSON report.

    The slowest static step (seconds per hundred statements) needs no database, so the gate
    starts it first and lets it run while the replay builds the schemas.
    """

    def __init__(self, paths: list[Path], *, cwd: Path) -> None:
        self._proc: subprocess.Popen[str] | None = None
        if paths:
            exe = find_tool("sqlfluff", install="pip install sqlfluff")
            self._proc = subprocess.Popen(
                [exe, "lint", "--format", "json", "--nocolor", *(str(p) for p in paths)],
                cwd=cwd,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )

    def report(self) -> list[dict[str, object]]:
        """Wait for sqlfluff and return its report (:class:`ToolFailed` when it broke)."""
        if self._proc is None:
            return []
        stdout, stderr = self._proc.communicate()
        return parse_report(self._proc.returncode, stdout, stderr)

    def cancel(self) -> None:
        """Stop sqlfluff if it still runs (the gate failed before it needed the report)."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.communicate()


def run_sqlfluff(paths: list[Path], *, cwd: Path) -> list[dict[str, object]]:
    """Sqlfluff's JSON report for ``paths`` (files or directories)."""
    return SqlfluffRun(paths, cwd=cwd).report()


def parse_report(returncode: int, stdout: str, stderr: str) -> list[dict[str, object]]:
    """Sqlfluff's JSON report; :class:`ToolFailed` for anything else.

    sqlfluff exits 0 (clean) or 1 (violations) and always prints a JSON list. A broken
    ``.sqlfluff`` gives a traceback on stderr, nothing on stdout and exit 1: that is a failure
    of the linter, not a clean schema.
    """
    why = stderr.strip()[-1000:] or "no output"
    if returncode not in (0, 1) or not stdout.strip():
        raise ToolFailed(f"sqlfluff failed (exit {returncode}): {why}")
    try:
        report = json.loads(stdout)
    except json.JSONDecodeError:
        raise ToolFailed(f"sqlfluff printed no JSON report (exit {returncode}): {why}") from None
    if not isinstance(report, list) or not all(isinstance(e, dict) for e in report):
        raise ToolFailed("sqlfluff's JSON report has an unexpected shape (a list of files)")
    has_violations = any(e.get("violations") for e in report)
    if returncode == 1 and not has_violations:
        raise ToolFailed(f"sqlfluff exited 1 without reporting a violation: {why}")
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
