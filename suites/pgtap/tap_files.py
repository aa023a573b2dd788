"""TAP001-TAP002: the schema's own pgTAP files pass, run by pg_prove in a copy of the template.

Anti-pattern: two runners and two reports (``supabase test db`` for the team's pgTAP files,
dbharness for the rest). Best practice: the files under the schema's ``tests/`` run in the same
run, in a throwaway copy of the schema (with pgTAP and the community-named ``tests.*`` helpers
installed there, never in the schema), and every failing test is a finding pointing at its file
and line; passing tests are counted in the check's stats.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

from harness.context import CheckContext
from harness.errors import CheckSkipped
from harness.pgtap.locate import assertion_functions, locate_tests
from harness.pgtap.prove import ProveRun, TapFile, run_pg_prove
from harness.pgtap.setup import prepare
from harness.registry import Finding, Severity, check

SUITE, FAMILY = "pgtap", "tests"
TESTS_GLOB = "tests/**/*.sql"
# Helpers some projects install as an extension from dbdev; dbharness brings its own.
_HELPER_EXTENSIONS = ("supabase_test_helpers", "basejump-supabase_test_helpers")


@dataclass(frozen=True)
class Outcome:
    """One pg_prove run over the schema's files, shared by the checks of this suite."""

    run: ProveRun
    setup: dict[str, str]
    lines: dict[str, dict[int, int]]  # file label -> test number -> line


# The files run once per run: both checks read the same outcome (keyed by the scratch database,
# which names the run, and the files' contents).
_CACHE: dict[tuple[str, tuple[str, ...]], Outcome] = {}


def _workdir(root: Path) -> Path:
    """Name files relative to the working directory when they are under it (clickable in CI)."""
    cwd = Path.cwd().resolve()
    return cwd if root.resolve().is_relative_to(cwd) else root.resolve()


def outcome(ctx: CheckContext) -> Outcome:
    """Run the schema's pgTAP files (once per run) and return the results."""
    files = ctx.schema.tests
    if not files:
        raise CheckSkipped(f"the schema has no pgTAP files ({TESTS_GLOB} in {ctx.schema.root})")
    key = (ctx.dsn, tuple(f.checksum for f in files))
    if key in _CACHE:
        return _CACHE[key]
    ctx.progress(f"pgTAP: running {len(files)} file(s) with pg_prove")
    with ctx.fresh_database() as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            setup = prepare(conn)
            tests = assertion_functions(conn)
        run = run_pg_prove(dsn, [f.path for f in files], cwd=_workdir(ctx.schema.root))
    lines = {
        tap.label: locate_tests(tap.path.read_text(encoding="utf-8"), tap, tests,
                                [t.number for t in tap.tests])
        for tap in run.files
    }
    _CACHE.clear()
    _CACHE[key] = Outcome(run, setup, lines)
    return _CACHE[key]


def _summary(tap: TapFile) -> str:
    passed = sum(t.passed for t in tap.tests)
    failed = [str(t.number) for t in tap.failed]
    text = f"{passed}/{len(tap.tests)} ok"
    if failed:
        text += f", not ok #{', #'.join(failed)}"
    if not tap.complete:
        text += " (incomplete)"
    return text


@check(
    "TAP001",
    title="pgTAP test fails",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="A pgTAP file under the schema's tests/ is the team's own statement of what the "
    "database must do (policies, functions, constraints); a test that fails there fails in "
    "`supabase test db` too, and one report should carry it with everything else.",
    remedy="Open the file at the line the finding names: pgTAP's have/want diagnostics say what "
    "differed. Fix the schema, or the test if the test is wrong; run it alone with "
    "`pg_prove -d <db> <file>`.",
)
def tap_tests_pass(ctx: CheckContext) -> Iterator[Finding]:
    """One finding per failing TAP test, at its file and line."""
    out = outcome(ctx)
    tests = [t for tap in out.run.files for t in tap.tests]
    ctx.stats.update(
        files=len(out.run.files),
        tests=len(tests),
        passed=sum(t.passed for t in tests),
        failed=sum(not t.passed for t in tests),
        todo=sum(t.todo for t in tests),
        skipped=sum(t.skip for t in tests),
        results={tap.label: _summary(tap) for tap in out.run.files},
    )
    for tap in out.run.files:
        for t in tap.failed:
            line = out.lines.get(tap.label, {}).get(t.number)
            diag = [d for d in t.diagnostics if not d.startswith("Failed test")]
            text = f"not ok {t.number} - {t.description or '(no description)'}"
            if diag:
                text += " | " + "; ".join(" ".join(d.split()) for d in diag)
            yield Finding(
                "TAP001",
                f"{tap.label} #{t.number}",
                text,
                details={
                    "file": tap.label,
                    **({"line": line} if line else {}),
                    "test_number": t.number,
                    "description": t.description,
                    "diagnostics": list(t.diagnostics),
                    "kind": "pgtap test",
                },
            )


def _file_hint(tap: TapFile) -> str:
    text = " ".join(e.message for e in tap.errors)
    if any(name in text for name in _HELPER_EXTENSIONS):
        return (" (dbharness installs the tests.* helpers itself: guard the CREATE EXTENSION "
                "with IF NOT EXISTS or drop it)")
    return ""


@check(
    "TAP002",
    title="pgTAP file does not run to its plan",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="A file that stops on an SQL error, has no plan or runs fewer tests than it "
    "planned has not judged what it was written to judge; its remaining tests never ran.",
    remedy="Fix the statement at the line named (psql's error says why it failed); start every "
    "file with `select plan(n)` (or `select * from no_plan()`) and end it with "
    "`select * from finish()`.",
)
def tap_files_complete(ctx: CheckContext) -> Iterator[Finding]:
    """One finding per file that stopped early, has no plan or ran other than it planned."""
    out = outcome(ctx)
    broken = [tap for tap in out.run.files if not tap.complete]
    ctx.stats.update(
        files=len(out.run.files),
        complete=len(out.run.files) - len(broken),
        incomplete=len(broken),
        **out.setup,
    )
    for tap in broken:
        line = tap.errors[0].line if tap.errors else 1
        yield Finding(
            "TAP002",
            tap.label,
            "; ".join(tap.problems) + _file_hint(tap),
            details={
                "file": tap.label,
                "line": line,
                "planned": tap.planned,
                "ran": len(tap.tests),
                "errors": [
                    {"line": e.line, "message": e.message, "context": list(e.context)}
                    for e in tap.errors
                ],
                "kind": "pgtap file",
            },
        )
