"""The gate's work, independent of the runner.

Classify migrations against base, lint the new
ones (squawk, our pglast rules, sqlfluff), replay and compare, check the dump.

``dbharness gate`` calls :func:`run_gate` and hands the :class:`GateResult` to the runner in
``config.options["gate"]``; the registered checks in ``suites/gate`` only read it.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from harness.gate.dump import DEFAULT_DUMP, compare_dump, regenerate_command
from harness.gate.gitrev import GitRepo, MigrationChanges, checkout_schema_at, migration_changes
from harness.gate.replay import Apply, replay
from harness.gate.rules import MIG_INDEX_NOT_CONCURRENT, lint_migrations
from harness.gate.sqlstyle import run_sqlfluff, schema_sql_paths, sqlfluff_findings
from harness.gate.squawk import find_config, run_squawk, squawk_findings
from harness.registry import Finding
from harness.schema_dir import SchemaDir

OPTION_KEY = "gate"  # config.options key holding the GateResult
SQUAWK_INDEX_RULE = "require-concurrent-index-creation"


@dataclass(frozen=True)
class GateOptions:
    """What the gate compares and how much of it it does."""

    base: str
    schema: Path
    dump_path: Path | None = None  # default: <schema>/dump.sql
    full_lint: bool = True  # sqlfluff on every schema file, else only new/edited migrations
    replay: bool = True
    check_dump: bool = True


@dataclass
class GateResult:
    """Every gate finding by check ID, plus what a report wants to show about the run."""

    base_sha: str
    changes: MigrationChanges
    findings: list[Finding] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def for_check(self, check_id: str) -> list[Finding]:
        """Return the findings of one gate check."""
        return [f for f in self.findings if f.check_id == check_id]


def _mark_new(f: Finding, new: bool) -> Finding:
    return replace(f, details={**f.details, "new": new})


def static_findings(
    repo: GitRepo,
    schema: SchemaDir,
    changes: MigrationChanges,
    *,
    full_lint: bool = True,
    timings: dict[str, float] | None = None,
) -> list[Finding]:
    """MIG001/MIG002, MIG100 (squawk), MIG2xx (pglast rules) and MIG300 (sqlfluff); no database."""
    timings = timings if timings is not None else {}
    display = {p: repo.relpath(p) for p in changes.new}
    out = changes.findings()

    t0 = time.perf_counter()
    squawk = squawk_findings(
        run_squawk(list(changes.new), config=find_config(schema.root)), display
    )
    timings["squawk"] = time.perf_counter() - t0
    reported = {
        (f.details["file"], f.details["line"])
        for f in squawk
        if f.details["rule"] == SQUAWK_INDEX_RULE
    }

    t0 = time.perf_counter()
    new_names = {p.name for p in changes.new}
    base_files = [m.path for m in schema.migrations if m.name not in new_names]
    ours = [
        f
        for f in lint_migrations(base_files, changes.new, display)
        # squawk already says it (unless a project excluded its rule): one finding, not two
        if not (
            f.check_id == MIG_INDEX_NOT_CONCURRENT
            and (f.details["file"], f.details["line"]) in reported
        )
    ]
    timings["pglast_rules"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    changed = {*new_names, *changes.edited}
    paths = (
        schema_sql_paths(schema.root)
        if full_lint
        else [p for p in sorted((schema.root / "migrations").glob("*.sql")) if p.name in changed]
    )
    style = sqlfluff_findings(run_sqlfluff(paths, cwd=repo.root), relative_to=repo.root)
    timings["sqlfluff"] = time.perf_counter() - t0
    mig_rel = changes.migrations_rel + "/"
    style = [_mark_new(f, str(f.details["file"]).removeprefix(mig_rel) in changed) for f in style]
    return [*(_mark_new(f, True) for f in [*out, *squawk, *ours]), *style]


def run_gate(
    options: GateOptions, admin_dsn: str | None, *, apply: Apply | None = None
) -> GateResult:
    """All gate findings. ``admin_dsn`` None skips replay and dump (they need a server)."""
    schema = SchemaDir.open(options.schema)
    repo = GitRepo.containing(schema.root)
    changes = migration_changes(repo, schema.root / "migrations", options.base)
    result = GateResult(changes.base, changes)
    result.findings += static_findings(
        repo, schema, changes, full_lint=options.full_lint, timings=result.timings
    )
    if admin_dsn is None or not (options.replay or options.check_dump):
        return result
    with tempfile.TemporaryDirectory(prefix="dbharness-base-") as tmp:
        base: SchemaDir | None = None
        if changes.base_files:
            base = SchemaDir.open(checkout_schema_at(repo, changes.base, schema.root, Path(tmp)))
        rep = replay(
            admin_dsn,
            schema,
            base if options.replay else None,
            apply=apply,
            want_dump=options.check_dump,
        )
    result.timings.update(rep.timings)
    result.findings += [_mark_new(f, True) for f in rep.findings if options.replay]
    if options.check_dump and rep.dump is not None:
        dump_path = options.dump_path or schema.root / DEFAULT_DUMP
        shown = (
            repo.relpath(dump_path)
            if dump_path.resolve().is_relative_to(repo.root.resolve())
            else str(dump_path)
        )
        cmd = regenerate_command(options.schema, dump_path)
        result.findings += [
            _mark_new(f, True) for f in compare_dump(rep.dump, dump_path, shown=shown, command=cmd)
        ]
    return result
