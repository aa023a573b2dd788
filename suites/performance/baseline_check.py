"""PRF104: each query of the catalog against ``dbharness/perf-baseline.json``.

What a regression is, and what is only a change, is :mod:`suites.performance.regression`; this
module runs the comparison, confirms a regression with a second measurement and words the
finding: what regressed against which tolerance, and the difference of the plan's outline (the
whole plans are in ``plans.json`` beside the report).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from harness.context import CheckContext
from harness.errors import CheckSkipped as SkipCheck
from harness.registry import REGISTRY, Finding, Severity, check
from suites.performance.baseline import BASELINE_FILE, FORMAT, read_baseline
from suites.performance.budgets import (
    FAMILY,
    NEEDS,
    SUITE,
    details_of,
    measure_again,
    measured_of,
    repro_of,
    results_of,
)
from suites.performance.dataset import options
from suites.performance.measure import Measurement
from suites.performance.regression import Tolerance, judge, speed_factor, tolerance_text
from suites.performance.results import Results


@check(
    "PRF104",
    title="Query regressed against the performance baseline",
    severity=Severity.MEDIUM,
    family=FAMILY,
    suite=SUITE,
    needs=NEEDS,
    rationale="A change that makes a hot query read a large table by Seq Scan, drop the index "
    "it was built around, or read many more buffers (or take much longer) than the baseline "
    "is a regression the reviewer should see, even while still inside the budget. A plan that "
    "merely changed is reported as information (severity info).",
    remedy="If the change is intended, run `dbharness bench --update-baseline` and commit "
    "dbharness/perf-baseline.json; otherwise fix the schema change that caused it. The "
    "finding shows the plan's difference; the whole plans are in plans.json beside the report.",
)
def baseline_regression(ctx: CheckContext) -> Iterator[Finding]:
    """Compare each measurement with ``dbharness/perf-baseline.json`` (see ``regression``)."""
    chk = REGISTRY.get("PRF104")
    path = ctx.schema.plugin(BASELINE_FILE)
    if path is None:
        raise SkipCheck(f"no dbharness/{BASELINE_FILE}; write one with "
                        "`dbharness bench --update-baseline`")
    base = read_baseline(path)
    if base.format != FORMAT:
        raise SkipCheck(f"dbharness/{BASELINE_FILE} is of an older format (no per-major "
                        "entries); rewrite it with `dbharness bench --update-baseline`")
    if (base.scale, base.seed) != (ctx.config.scale, ctx.seed):
        raise SkipCheck(f"the baseline is of scale {base.scale} seed {base.seed}, "
                        f"this run {ctx.config.scale} seed {ctx.seed}")
    tolerance = Tolerance.from_options(options(ctx))
    res = results_of(ctx)
    major, entries = base.closest(res.major)
    same = major == res.major
    measured = [m for m in measured_of(res) if m.key in entries]
    speed = speed_factor(measured, entries) if same else 1.0
    ctx.stats.update({
        "compared": len(measured), "baseline_major": major, "server_major": res.major,
        "compared_properties": "all" if same else "Seq Scans of large relations and "
        "expected indexes (the baseline is of another major)",
        "speed_factor": round(speed, 2),
        "not_in_baseline": [m.key for m in measured_of(res) if m.key not in entries],
    })
    counts = {"regressions": 0, "changes": 0, "unconfirmed": 0}
    for m in measured:
        old = entries[m.key]
        first = judge(m, old, tolerance, speed=speed, same_major=same)
        if first.regressions:
            again = measure_again(ctx, res, m)
            second = judge(again, old, tolerance, speed=speed, same_major=same) \
                if again is not None else first
            held = {k: v for k, v in first.regressions.items() if k in second.regressions}
            gone = [v for k, v in first.regressions.items() if k not in held]
            if held:
                counts["regressions"] += 1
                yield _regression(ctx, res, m, again, old, held, first.plan_diff, tolerance)
                continue
            counts["unconfirmed"] += 1
            yield chk.finding(
                m.key, f"not confirmed by a second measurement: {'; '.join(gone)}",
                severity=Severity.INFO,
                details=details_of(res, m, baseline=old, again=res.row(again) if again else None))
            continue
        if first.changes and first.plan_diff:
            counts["changes"] += 1
            numbers = "; ".join(c for c in first.changes if c != "plan changed")
            yield chk.finding(
                m.key, f"plan changed, not a regression ({numbers or 'same buffers'}); "
                "plan (- baseline, + now):\n" + "\n".join(first.plan_diff),
                severity=Severity.INFO,
                details=details_of(res, m, baseline=old, plan_diff=first.plan_diff))
    ctx.stats.update(counts)


def _regression(
    ctx: CheckContext,
    res: Results,
    m: Measurement,
    again: Measurement | None,
    old: dict[str, Any],
    held: dict[str, str],
    plan_diff: list[str],
    tolerance: Tolerance,
) -> Finding:
    """Build the finding of a confirmed regression: what, the tolerance, the plan's diff."""
    parts = [f"{text} ({tol})" if (tol := tolerance_text(kind, tolerance)) else text
             for kind, text in held.items()]
    if again is not None and again.facts is not None:
        confirm = (f"confirmed by a second measurement ({again.facts.buffers:,} buffers, "
                   f"median {again.median_ms or 0:.2f} ms)")
    else:
        confirm = "the second measurement did not run"
    diff = ("\nplan (- baseline, + now):\n" + "\n".join(plan_diff)) if plan_diff else ""
    return REGISTRY.get("PRF104").finding(
        m.key, "; ".join(parts) + f"; {confirm}{diff}",
        repro_sql=repro_of(ctx, m),
        details=details_of(res, m, baseline=old, regressions=held, plan_diff=plan_diff,
                         again=res.row(again) if again is not None else None))
