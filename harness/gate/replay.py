"""Replay and drift.

The schema built from zero must equal the base schema upgraded by the new
migrations (MIG400), and applying the schema again must change nothing (MIG401).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from harness.errors import HarnessError
from harness.gate.catalog import Snapshot, snapshot_of
from harness.gate.scratch import scratch_database
from harness.registry import Finding
from harness.schema_dir import SchemaDir

MIG_DRIFT = "MIG400"
MIG_NOT_IDEMPOTENT = "MIG401"
MIGRATIONS_STEP = "migrations/"  # how apply_schema labels a migration it ran

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


def replay(
    admin_dsn: str,
    head: SchemaDir,
    base: SchemaDir | None,
    *,
    apply: Apply | None = None,
    want_dump: bool = False,
) -> ReplayResult:
    """Build head from zero (A) and base-then-head (B), compare; re-apply head to A, compare.

    ``base`` None skips the incremental build (no base schema: every migration is new).
    Errors applying the head from zero propagate (exit 2: the schema is broken); an error in
    the incremental step is a finding, since it is exactly what the step exists to catch.
    """
    import time

    from harness.gate.dump import pg_dump

    apply = apply or _default_apply()
    result = ReplayResult()
    with scratch_database(admin_dsn, "zero") as a_dsn:
        t0 = time.perf_counter()
        apply(a_dsn, head, bootstrap=True, seed=False)
        result.timings["replay_from_zero"] = time.perf_counter() - t0
        result.head = snapshot_of(a_dsn)
        if want_dump:
            result.dump = pg_dump(a_dsn)
        t0 = time.perf_counter()
        # bootstrap files rerun by design (they are idempotent); migrations must not
        again = [
            step
            for step in apply(a_dsn, head, bootstrap=True, seed=False)
            if step.startswith(MIGRATIONS_STEP)
        ]
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
    if base is None:
        return result
    with scratch_database(admin_dsn, "incr") as b_dsn:
        t0 = time.perf_counter()
        apply(b_dsn, base, bootstrap=True, seed=False)
        try:
            apply(b_dsn, head, bootstrap=True, seed=False)
        except HarnessError as exc:
            result.findings.append(
                Finding(
                    MIG_DRIFT,
                    "incremental apply",
                    f"applying the new migrations on top of the base schema failed: {exc}",
                )
            )
            return result
        result.timings["incremental"] = time.perf_counter() - t0
        result.findings += drift_findings(result.head, snapshot_of(b_dsn))
    return result
