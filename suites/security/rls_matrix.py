"""SEC100: the access matrix (``dbharness/access.toml``) holds for generated requests.

Anti-pattern: policies reviewed by reading them. Best practice: generate requests (actor x table x
command x row x new values), ask the oracle what must happen, run them as the actor and compare;
on a mismatch, hypothesis shrinks to a minimal case and the finding carries the seed and a SQL
script reproducing it.

Every cell of principal kind x table x command is tried first by the coverage sweep
(:mod:`harness.sweep`), then ``rls_cases`` random cases follow. ``ctx.stats`` says how much was
exercised; below the floors (``options.SEC100``) the check reports itself (:mod:`.floors`).
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings

from harness.access.matrix import AccessMatrix, load_matrix
from harness.access.oracle import Oracle
from harness.access.probe import COMMAND_VERBS, Verdict, judge
from harness.context import CheckContext
from harness.errors import ConfigError
from harness.registry import REGISTRY, Finding, Severity, check
from harness.strategies import Model, cases, open_model
from harness.sweep import Cell, cell_case, cells, unbuildable
from suites.security.floors import Floor, below_floor

SUITE, FAMILY = "security", "rls"


class Mismatch(AssertionError):
    """The database disagreed with the oracle (raised inside hypothesis so it shrinks)."""


def load_access(ctx: CheckContext) -> AccessMatrix:
    """Load the schema's access matrix (the check's ``needs`` makes sure it exists)."""
    path = ctx.schema.plugin("access.toml")
    if path is None:
        raise ConfigError(f"{ctx.schema.root} has no dbharness/access.toml")
    return load_matrix(path)


def hypothesis_settings(ctx: CheckContext, examples: int) -> settings:
    """Return the settings of the property checks: no example database, no deadline, quiet."""
    return settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=False,
        phases=(Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        print_blob=False,
        verbosity=Verbosity.quiet,
    )


def verdict_details(v: Verdict, seed_value: int) -> dict[str, object]:
    """Return the machine-readable facts of a verdict, for reports."""
    c = v.case
    return {
        "table": c.table,
        "actor_role": c.actor.role_label,
        "actor": str(c.actor.principal),
        "command": COMMAND_VERBS[c.command],
        "expected": v.expected.describe(),
        "expected_reason": v.expected.reason,
        "actual": v.observed.describe(),
        "seed": seed_value,
    }


def verdict_finding(check_id: str, v: Verdict, seed_value: int, note: str) -> Finding:
    """Turn a disagreeing verdict into a finding of ``check_id``."""
    chk = REGISTRY.get(check_id)
    t = v.case.table
    return chk.finding(
        f"public.{t}",
        f"{v.summary()} ({note}; seed {seed_value})",
        repro_sql=v.repro,
        seed=seed_value,
        details=verdict_details(v, seed_value),
    )


Group = tuple[str, str, str]  # table, actor role label, command
SHRINK_GROUPS = 3  # mismatch groups re-found and shrunk to a minimal case
SHRINK_EXAMPLES = 300  # examples allowed to re-find one group
CELL_TRIES = 3  # sweep attempts per cell to reach a conclusive outcome
FLOORS = (
    Floor("min_cell_coverage", 1.0, "the share of principal kind x table x command cells tried",
          share=True),
    Floor("min_conclusive_share", 0.9, "the share of cases with a conclusive outcome "
          "(not refused by an integrity rule the generator could not foresee)", share=True),
)


def sweep(
    conn: Any, oracle: Oracle, model: Model, seed_value: int,
    groups: dict[Group, Verdict], stats: Counter[str],
) -> tuple[list[Cell], set[Cell], set[Cell]]:
    """Try every cell, up to ``CELL_TRIES`` times until its outcome is conclusive.

    Disagreements join ``groups`` like those of the random phase. Returns every cell, the cells
    tried and the cells with a conclusive outcome.
    """
    every = cells(model)
    tried: set[Cell] = set()
    conclusive: set[Cell] = set()
    for cell in every:
        for attempt in range(CELL_TRIES):
            case = cell_case(model, cell, seed_value, attempt)
            if case is None:
                break
            v = judge(conn, oracle, model.metas, case)
            stats[v.judgement] += 1
            stats["sweep cases"] += 1
            tried.add(cell)
            if v.judgement == "disagree":
                groups.setdefault((case.table, case.actor.role_label, case.command), v)
            if v.judgement != "inconclusive":
                conclusive.add(cell)
                break
    return every, tried, conclusive


def run_property(
    ctx: CheckContext, conn: Any, model: Model, examples: int,
    groups: dict[Group, Verdict] | None = None, stats: Counter[str] | None = None,
) -> tuple[dict[Group, Verdict], dict[Group, Verdict], Counter[str]]:
    """Generate ``examples`` cases, then shrink the first mismatch groups.

    Phase one never stops at a failure, so one bug cannot hide another; phase two re-runs
    hypothesis pinned to each failing (table, role, command) and lets it shrink. ``groups`` and
    ``stats`` carry what the sweep found. Returns the minimal verdict per shrunk group, the first
    verdict of every group, and the counts.
    """
    oracle = Oracle(model.matrix, model.snapshot)
    stats = stats if stats is not None else Counter()
    groups = groups if groups is not None else {}

    @hypothesis_settings(ctx, max(examples, 1))  # not run at all when examples is 0
    @seed(ctx.seed)
    @given(cases(model))
    def explore(case: Any) -> None:
        v = judge(conn, oracle, model.metas, case)
        stats[v.judgement] += 1
        stats["random cases"] += 1
        if v.judgement == "disagree":
            groups.setdefault((case.table, case.actor.role_label, case.command), v)

    if examples > 0:
        explore()
    minimal: dict[Group, Verdict] = {}
    for group in list(groups)[:SHRINK_GROUPS]:
        found = refind(ctx, conn, oracle, model, group)
        if found is not None:
            minimal[group] = found
    return minimal, groups, stats


def refind(
    ctx: CheckContext, conn: Any, oracle: Oracle, model: Model, group: Group
) -> Verdict | None:
    """Re-find a mismatch of ``group`` and let hypothesis shrink it; the minimal verdict."""
    last: list[Verdict] = []

    @hypothesis_settings(ctx, SHRINK_EXAMPLES)
    @seed(ctx.seed)
    @given(cases(model, table=group[0], role_label=group[1], command=group[2]))
    def again(case: Any) -> None:
        v = judge(conn, oracle, model.metas, case)
        if v.judgement == "disagree":
            last[:] = [v]
            raise Mismatch(v.summary())

    with contextlib.suppress(Mismatch):
        again()
    return last[0] if last else None


@check(
    "SEC100",
    title="RLS matrix holds for generated cases",
    severity=Severity.CRITICAL,
    family=FAMILY,
    suite=SUITE,
    needs=("access",),
    rationale="Policies are code: only running them as every role against rows of every warehouse "
    "shows that each actor reads and writes exactly what the access matrix allows (denied reads "
    "return no rows, denied writes fail with 42501 or affect no row, allowed writes succeed and "
    "stay readable by their author, anon and forged or missing claims reach nothing).",
    remedy="Run the repro SQL, compare the policy (and rule triggers) of the table with "
    "dbharness/access.toml; fix whichever is wrong, never both to agree with a bug.",
)
def rls_matrix_holds(ctx: CheckContext) -> Iterator[Finding]:
    """Sweep every cell, then compare the database with the oracle on generated cases."""
    matrix = load_access(ctx)
    groups: dict[Group, Verdict] = {}
    stats: Counter[str] = Counter()
    with ctx.connect() as conn:
        model = open_model(conn, matrix)
        started = time.perf_counter()
        every, tried, conclusive = sweep(
            conn, Oracle(model.matrix, model.snapshot), model, ctx.seed, groups, stats
        )
        swept = set(groups)
        minimal, groups, stats = run_property(
            ctx, conn, model, ctx.config.rls_cases, groups, stats
        )
        took = time.perf_counter() - started
    judged = stats["agree"] + stats["disagree"] + stats["inconclusive"]
    missing = unbuildable(model)
    measured = {
        "min_cell_coverage": len(tried) / len(every) if every else 1.0,
        "min_conclusive_share": (stats["agree"] + stats["disagree"]) / judged if judged else 0.0,
    }
    ctx.stats.update(
        cases=judged,
        sweep_cases=stats["sweep cases"],
        random_cases=stats["random cases"],
        agree=stats["agree"],
        disagree=stats["disagree"],
        inconclusive=stats["inconclusive"],
        conclusive_share=round(measured["min_conclusive_share"], 4),
        cells=len(every),
        cells_tried=len(tried),
        cells_conclusive=len(conclusive),
        cell_coverage=round(measured["min_cell_coverage"], 4),
        principal_kinds=model.kinds,
        **missing,
    )
    ctx.progress(
        f"SEC100: {judged} cases in {took:.1f}s (seed {ctx.seed}): sweep tried "
        f"{len(tried)}/{len(every)} cells ({len(conclusive)} conclusive), then "
        f"{stats['random cases']} random; "
        + ", ".join(f"{k} {stats[k]}" for k in ("agree", "disagree", "inconclusive"))
    )
    for group, v in groups.items():
        if group in minimal:
            note = "minimal case after shrinking"
            yield verdict_finding("SEC100", minimal[group], ctx.seed, note)
        else:
            note = "found by the coverage sweep" if group in swept else "seen while generating"
            yield verdict_finding("SEC100", v, ctx.seed, note)
    gaps = [f"{k.replace('_', ' ')}: {', '.join(v)}" for k, v in missing.items() if v]
    yield from below_floor(
        ctx, "SEC100", FLOORS, measured, {"min_cell_coverage": "; ".join(gaps)}
    )
