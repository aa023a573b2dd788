"""The gate's work, independent of the runner.

Classify migrations against base, lint the new
ones (squawk, our pglast rules, sqlfluff), replay and compare, check the dump.

``dbharness gate`` calls :func:`run_gate` and hands the :class:`GateResult` to the runner in
``config.options["gate"]``; the registered checks in ``suites/gate`` only read it.
"""

from __future__ import annotations

import functools
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from harness.errors import SchemaApplyError
from harness.gate.dump import DEFAULT_DUMP, compare_dump, regenerate_command
from harness.gate.gitrev import GitRepo, MigrationChanges, checkout_schema_at, migration_changes
from harness.gate.locate import ChangeLocator
from harness.gate.replay import Apply, ReplayResult, replay
from harness.gate.rules import (
    MIG_DESTRUCTIVE,
    MIG_GRANT_WIDENED,
    MIG_INDEX_NOT_CONCURRENT,
    MIG_PARSE,
    MIG_POLICY_DROPPED,
    MIG_RLS_DISABLED,
    lint_migrations,
)
from harness.gate.sqlstyle import MIG_STYLE, SqlfluffRun, schema_sql_paths, sqlfluff_findings
from harness.gate.squawk import find_config, run_squawk, squawk_findings
from harness.platform import Profile
from harness.registry import Finding
from harness.schema_dir import SchemaDir

OPTION_KEY = "gate"  # config.options key holding the GateResult
SQUAWK_INDEX_RULE = "require-concurrent-index-creation"
SQUAWK_SYNTAX_RULE = "syntax-error"
# Statement rules the catalog comparison supersedes once it ran: (check ID, rule or None for
# all). The catalog sees the end state whatever SQL made it (DO blocks, dynamic SQL, a
# function) and sees through a drop followed by an identical re-create, so one finding, not two.
SUPERSEDED_BY_CATALOG: tuple[tuple[str, str | None], ...] = (
    (MIG_RLS_DISABLED, None),
    (MIG_POLICY_DROPPED, None),
    (MIG_GRANT_WIDENED, None),
    (MIG_DESTRUCTIVE, "drop-check-constraint"),
)


@dataclass(frozen=True)
class GateOptions:
    """What the gate compares and how much of it it does."""

    base: str
    schema: Path
    dump_path: Path | None = None  # default: <schema>/dump.sql
    full_lint: bool = True  # sqlfluff on every schema file, else only new/edited migrations
    replay: bool = True
    check_dump: bool = True
    client_roles: tuple[str, ...] = ("anon", "authenticated")  # API roles that obey RLS
    # leave sqlfluff running after run_gate returns; MIG300 waits for it (GateResult.close)
    defer_style: bool = False
    platform: Profile | None = None  # the base both revisions are replayed on


@dataclass
class GateResult:
    """Every gate finding by check ID, plus what a report wants to show about the run."""

    base_sha: str
    changes: MigrationChanges
    findings: list[Finding] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # check ID -> why it did not run
    head_error: SchemaApplyError | None = None  # the head does not apply from zero (MIG010)
    # sqlfluff still running (GateOptions.defer_style): MIG300's findings, when first asked for
    _style: Callable[[], list[Finding]] | None = field(default=None, repr=False)
    _cancel: Callable[[], None] | None = field(default=None, repr=False)

    def for_check(self, check_id: str) -> list[Finding]:
        """Return the findings of one gate check (waiting for sqlfluff for MIG300)."""
        if check_id == MIG_STYLE and self._style is not None:
            style, self._style, self._cancel = self._style, None, None
            self.findings += style()
        return [f for f in self.findings if f.check_id == check_id]

    def close(self) -> None:
        """Stop sqlfluff if MIG300 never asked for its report."""
        if self._cancel is not None:
            self._cancel()
            self._style = self._cancel = None


def superseded(f: Finding) -> bool:
    """Whether the catalog comparison judges what this statement-rule finding says."""
    return any(
        f.check_id == cid and (rule is None or f.details.get("rule") == rule)
        for cid, rule in SUPERSEDED_BY_CATALOG
    )


def _mark_new(f: Finding, new: bool) -> Finding:
    return replace(f, details={**f.details, "new": new})


def _start_sqlfluff(
    repo: GitRepo, schema: SchemaDir, changes: MigrationChanges, *, full_lint: bool
) -> SqlfluffRun:
    changed = {*(p.name for p in changes.new), *changes.edited}
    paths = (
        schema_sql_paths(schema.root)
        if full_lint
        else [p for p in sorted((schema.root / "migrations").glob("*.sql")) if p.name in changed]
    )
    return SqlfluffRun(paths, cwd=repo.root)


def _style_findings(
    run: SqlfluffRun, repo: GitRepo, changes: MigrationChanges, timings: dict[str, float]
) -> list[Finding]:
    t0 = time.perf_counter()
    style = sqlfluff_findings(run.report(), relative_to=repo.root)
    timings["sqlfluff_wait"] = time.perf_counter() - t0
    changed = {*(p.name for p in changes.new), *changes.edited}
    mig_rel = changes.migrations_rel + "/"
    return [_mark_new(f, str(f.details["file"]).removeprefix(mig_rel) in changed) for f in style]


def _text_findings(
    repo: GitRepo, schema: SchemaDir, changes: MigrationChanges, timings: dict[str, float]
) -> list[Finding]:
    """MIG001/MIG002, MIG100 (squawk) and MIG2xx (pglast rules)."""
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
    # PostgreSQL's own parser (MIG200) already says a file does not parse: squawk's
    # syntax-error findings (one per token it skipped) would say it again
    unparsed = {f.details["file"] for f in ours if f.check_id == MIG_PARSE}
    squawk = [
        f for f in squawk
        if not (f.details["rule"] == SQUAWK_SYNTAX_RULE and f.details["file"] in unparsed)
    ]
    return [_mark_new(f, True) for f in [*out, *squawk, *ours]]


def run_gate(
    options: GateOptions, admin_dsn: str | None, *, apply: Apply | None = None
) -> GateResult:
    """All gate findings. ``admin_dsn`` None skips replay and dump (they need a server)."""
    schema = SchemaDir.open(options.schema)
    repo = GitRepo.containing(schema.root)
    changes = migration_changes(repo, schema.root / "migrations", options.base)
    result = GateResult(changes.base, changes)
    # sqlfluff runs in the background, beside the other lints and the replay
    style = _start_sqlfluff(repo, schema, changes, full_lint=options.full_lint)
    try:
        result.findings += _text_findings(repo, schema, changes, result.timings)
        rep = _replay(options, admin_dsn, repo, schema, changes, apply)
    except BaseException:
        style.cancel()
        raise
    if options.defer_style:
        result._style = lambda: _style_findings(style, repo, changes, result.timings)
        result._cancel = style.cancel
    else:
        result.findings += _style_findings(style, repo, changes, result.timings)
    if rep is None:
        return result
    result.timings.update(rep.timings)
    result.skipped.update(rep.skipped)
    result.head_error = rep.head_error
    if rep.compared_catalogs:
        result.findings = [f for f in result.findings if not superseded(f)]
    changed = [*changes.new, *(schema.root / "migrations" / n for n in changes.edited)]
    locator = ChangeLocator(changed, {p: repo.relpath(p) for p in changed})
    result.findings += [
        _mark_new(_located(f, repo, schema, locator), True) for f in rep.findings if options.replay
    ]
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


def _replay(
    options: GateOptions,
    admin_dsn: str | None,
    repo: GitRepo,
    schema: SchemaDir,
    changes: MigrationChanges,
    apply: Apply | None,
) -> ReplayResult | None:
    """Replay and compare (None without a server, or when neither is asked for)."""
    if admin_dsn is None or not (options.replay or options.check_dump):
        return None
    with tempfile.TemporaryDirectory(prefix="dbharness-base-") as tmp:
        base: SchemaDir | None = None
        if changes.base_files:
            base = SchemaDir.open(checkout_schema_at(repo, changes.base, schema.root, Path(tmp)))
        if apply is None and options.platform is not None:
            from harness.migrate import apply_schema  # provisioning, needed only here

            apply = functools.partial(apply_schema, platform=options.platform)
        return replay(
            admin_dsn,
            schema,
            base if options.replay else None,
            apply=apply,
            want_dump=options.check_dump,
            client_roles=options.client_roles,
        )


def _located(f: Finding, repo: GitRepo, schema: SchemaDir, locator: ChangeLocator) -> Finding:
    """Give a replay or catalog finding a repository-relative file and line.

    A failed statement knows its own (schema-relative) file; a catalog finding is placed in
    the new migrations (harness.gate.locate).
    """
    file = f.details.get("file")
    if isinstance(file, str):
        if (schema.root / file).is_file():
            return replace(f, details={**f.details, "file": repo.relpath(schema.root / file)})
        return f
    table = f.details.get("table")
    obj = f.object.split(":", 1)[-1]  # drift keys read kind:name
    hit = locator.locate(obj, table if isinstance(table, str) else None)
    if hit is None:
        return f
    return replace(f, details={**f.details, "file": hit[0], "line": hit[1]})
