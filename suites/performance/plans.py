"""Reading ``EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`` output: the deterministic signals.

Plan shape, relations read by sequential scans, indexes used, shared buffers touched and the
worst row-estimate error come before time: they do not move with the machine's load.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Plan = dict[str, Any]


def nodes(plan: Plan) -> Iterator[Plan]:
    """Yield every node of a plan tree, depth first (init plans and sub plans included)."""
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def shape(plan: Plan) -> str:
    """Render the node types as a nested string, e.g. ``Limit(Index Scan)`` (PRF104 compares)."""
    children = plan.get("Plans", [])
    inner = ",".join(shape(c) for c in children)
    return f"{plan['Node Type']}({inner})" if children else str(plan["Node Type"])


def buffers(plan: Plan) -> int:
    """Shared buffers hit + read by the whole statement (the root's counts include its nodes)."""
    return int(plan.get("Shared Hit Blocks", 0)) + int(plan.get("Shared Read Blocks", 0))


def seq_scanned(plan: Plan) -> list[str]:
    """Relations (``schema.name``) read by a Seq Scan anywhere in the plan."""
    return sorted({f"{n.get('Schema', '?')}.{n['Relation Name']}"
                   for n in nodes(plan) if n["Node Type"] == "Seq Scan"})


def indexes_used(plan: Plan) -> set[str]:
    """Index names the plan reads (index, index-only and bitmap index scans)."""
    return {str(n["Index Name"]) for n in nodes(plan) if "Index Name" in n}


def estimate_error(plan: Plan) -> float:
    """Return the worst estimated/actual rows factor per loop over executed nodes (>= 1)."""
    worst = 1.0
    for n in nodes(plan):
        if not n.get("Actual Loops"):
            continue  # never executed: no actual count to compare
        est = max(float(n.get("Plan Rows", 0)), 1.0)
        act = max(float(n.get("Actual Rows", 0)), 1.0)
        worst = max(worst, est / act, act / est)
    return worst


@dataclass(frozen=True)
class PlanFacts:
    """What one EXPLAIN ANALYZE says, reduced to what the checks judge and report."""

    shape: str
    buffers: int
    seq_scans: tuple[str, ...]
    indexes: tuple[str, ...]
    estimate_error: float
    execution_ms: float
    planning_ms: float

    @classmethod
    def of(cls, explain: list[dict[str, Any]]) -> PlanFacts:
        """Reduce the JSON document EXPLAIN returns (a one-element list)."""
        top = explain[0]
        plan = top["Plan"]
        return cls(
            shape=shape(plan),
            buffers=buffers(plan),
            seq_scans=tuple(seq_scanned(plan)),
            indexes=tuple(sorted(indexes_used(plan))),
            estimate_error=round(estimate_error(plan), 1),
            execution_ms=float(top.get("Execution Time", 0.0)),
            planning_ms=float(top.get("Planning Time", 0.0)),
        )
