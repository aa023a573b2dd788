"""Replay, drift and what got weaker.

The schema built from zero must equal the base schema upgraded by the new migrations
(MIG400), applying the schema again must change nothing (MIG401), and the base catalog is
compared with the head catalog for what the change made weaker (MIG410-MIG418).

A head that does not apply is the change's defect, not an error of the harness: the replay
records it (``head_error``) and says which comparisons could not be made; the runner reports
the failing statement once, as MIG010. A base that does not apply leaves the base comparisons
undone, with the reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from harness.errors import HarnessError, SchemaApplyError
from harness.gate.catalog import Snapshot, snapshot_of
from harness.gate.catalog_model import CatalogModel, read_model_of
from harness.gate.scratch import scratch_database
from harness.gate.weakening import WEAKENING_CHECKS, weakening_findings
from harness.registry import Finding
from harness.schema_dir import SchemaDir

MIG_DRIFT = "MIG400"
MIG_NOT_IDEMPOTENT = "MIG401"
MIG_DUMP_STALE = "MIG402"
MIGRATIONS_STEP = "migrations/"  # how apply_schema labels a migration it ran
HEAD_FAILED = "the head schema does not apply (MIG010 names the statement)"

Apply = Callable[..., list[str]]


def _default_apply() -> Apply:
    # Imported lazily: the migration runner is a sibling module the gate only needs here.
    from harness.migrate import apply_schema

    return apply_schema


@dataclass
class ReplayResult:
    """The findings plus what was built, for the report and the dump step."""

    findings: list[Finding] = field(default_factory=list)
    head: Snapshot | None = None
    dump: str | None = None  # normalized dump of the head built from zero, when asked for
    timings: dict[str, float] = field(default_factory=dict)
    head_error: SchemaApplyError | None = None  # the head does not apply from zero
    skipped: dict[str, str] = field(default_factory=dict)  # check ID -> why it could not run
    compared_catalogs: bool = False  # MIG410-MIG418 judged base against head


def apply_error_details(exc: SchemaApplyError) -> dict[str, object]:
    """File, line, statement, server error and SQLSTATE of a failed apply, for a finding."""
    file, _, line = exc.file.rpartition(":")
    return {
        "file": file or exc.file,
        "line": int(line) if line.isdigit() else 0,
        "statement": exc.statement,
        "error": exc.error,
        "sqlstate": exc.sqlstate,
    }


def _describe(mine: str | None, theirs: str | None) -> str:
    if mine is None:
        return "only in the incremental build"
    if theirs is None:
        return "missing from the incremental build"
    return f"from zero: {mine!r}; incremental: {theirs!r}"


def drift_findings(from_zero: Snapshot, incremental: Snapshot) -> list[Finding]:
    """One MIG400 finding per object that differs between the two builds."""
    return [
        Finding(
            MIG_DRIFT,
            key,
            f"{key} differs between replay from zero and incremental apply: "
            + _describe(mine, theirs),
            details={"from_zero": mine, "incremental": theirs},
        )
        for key, mine, theirs in from_zero.diff(incremental)
    ]


def _skip(result: ReplayResult, checks: tuple[str, ...], why: str) -> None:
    for c in checks:
        result.skipped.setdefault(c, why)


def _from_zero(
    result: ReplayResult, a_dsn: str, head: SchemaDir, apply: Apply, want_dump: bool
) -> CatalogModel | None:
    from harness.gate.dump import pg_dump

    t0 = time.perf_counter()
    try:
        apply(a_dsn, head, bootstrap=True, seed=False)
    except SchemaApplyError as exc:
        result.head_error = exc
        _skip(result, (MIG_DRIFT, MIG_NOT_IDEMPOTENT, MIG_DUMP_STALE, *WEAKENING_CHECKS),
              HEAD_FAILED)
        return None
    result.timings["replay_from_zero"] = time.perf_counter() - t0
    result.head = snapshot_of(a_dsn)
    model = read_model_of(a_dsn)
    if want_dump:
        result.dump = pg_dump(a_dsn)
    t0 = time.perf_counter()
    try:
        # bootstrap files rerun by design (they are idempotent); migrations must not
        again = [
            step
            for step in apply(a_dsn, head, bootstrap=True, seed=False)
            if step.startswith(MIGRATIONS_STEP)
        ]
    except SchemaApplyError as exc:
        result.findings.append(
            Finding(
                MIG_NOT_IDEMPOTENT,
                exc.file,
                f"applying the schema a second time failed at {exc.file}"
                + (f" [{exc.sqlstate}]" if exc.sqlstate else "")
                + f": {exc.error}",
                details=apply_error_details(exc),
            )
        )
        return model
    result.timings["apply_twice"] = time.perf_counter() - t0
    if again:
        result.findings.append(
            Finding(
                MIG_NOT_IDEMPOTENT,
                ", ".join(again),
                f"applying the schema a second time applied again: {', '.join(again)}",
                details={"applied": list(again)},
            )
        )
    for key, mine, theirs in result.head.diff(snapshot_of(a_dsn)):
        result.findings.append(
            Finding(
                MIG_NOT_IDEMPOTENT,
                key,
                f"applying the schema a second time changed {key}: {mine!r} -> {theirs!r}",
                details={"before": mine, "after": theirs},
            )
        )
    return model


def replay(
    admin_dsn: str,
    head: SchemaDir,
    base: SchemaDir | None,
    *,
    apply: Apply | None = None,
    want_dump: bool = False,
    client_roles: tuple[str, ...] = (),
) -> ReplayResult:
    """Build head from zero (A) and base-then-head (B), compare; re-apply head to A, compare.

    ``base`` None skips the incremental build and the catalog comparison (no base schema:
    every migration is new). Nothing here raises for a schema that does not apply.
    """
    apply = apply or _default_apply()
    result = ReplayResult()
    with scratch_database(admin_dsn, "zero") as a_dsn:
        head_model = _from_zero(result, a_dsn, head, apply, want_dump)
    if base is None:
        _skip(result, (MIG_DRIFT, *WEAKENING_CHECKS), "no base schema: every migration is new")
        return result
    if head_model is None:
        return result
    with scratch_database(admin_dsn, "incr") as b_dsn:
        t0 = time.perf_counter()
        try:
            apply(b_dsn, base, bootstrap=True, seed=False)
        except SchemaApplyError as exc:
            _skip(result, (MIG_DRIFT, *WEAKENING_CHECKS),
                  f"the base revision's schema does not apply ({exc.file}: {exc.error})")
            return result
        base_model = read_model_of(b_dsn)
        t1 = time.perf_counter()
        result.findings += weakening_findings(base_model, head_model, client_roles=client_roles)
        result.compared_catalogs = True
        result.timings["catalog_compare"] = time.perf_counter() - t1
        try:
            apply(b_dsn, head, bootstrap=True, seed=False)
        except SchemaApplyError as exc:
            result.findings.append(
                Finding(
                    MIG_DRIFT,
                    exc.file,
                    "the new migrations apply from zero but not on top of the base schema: "
                    f"{exc.file}" + (f" [{exc.sqlstate}]" if exc.sqlstate else "")
                    + f": {exc.error}",
                    details=apply_error_details(exc),
                )
            )
            return result
        except HarnessError as exc:  # an applied migration was edited (MIG001 says which)
            _skip(result, (MIG_DRIFT,), f"the base database refuses the head: {exc.message}")
            return result
        result.timings["incremental"] = time.perf_counter() - t0
        result.findings += drift_findings(result.head or Snapshot({}), snapshot_of(b_dsn))
    return result
