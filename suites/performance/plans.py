"""Reading ``EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`` output: the deterministic signals.

Plan shape, relations read by sequential scans, indexes used, shared buffers touched and the
worst row-estimate error come before time: they do not move with the machine's load.

A plan is also reduced to an *outline*: one line per node naming what it reads, partitions
folded into their partitioned table and the identical children of an ``Append`` listed once.
The number of partitions then does not show: a month's new (empty) partition of a table
partitioned by date adds a child scan to the plan, not a line to the outline.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

Plan = dict[str, Any]
# Nodes whose children are the partitions (or union arms) of one relation.
_APPENDS = frozenset({"Append", "Merge Append"})
MAX_DIFF_LINES = 24  # a finding's plan difference; the whole plans go to a file


def nodes(plan: Plan) -> Iterator[Plan]:
    """Yield every node of a plan tree, depth first (init plans and sub plans included)."""
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def shape(plan: Plan) -> str:
    """Render the node types as a nested string, e.g. ``Limit(Index Scan)``."""
    children = plan.get("Plans", [])
    inner = ",".join(shape(c) for c in children)
    return f"{plan['Node Type']}({inner})" if children else str(plan["Node Type"])


def relation_of(node: Plan) -> str | None:
    """``schema.name`` of the relation a scan node reads (None for other nodes)."""
    if "Relation Name" not in node:
        return None
    return f"{node.get('Schema', '?')}.{node['Relation Name']}"


def _label(node: Plan, roots: Mapping[str, str]) -> str:
    label = str(node["Node Type"])
    if node.get("Parent Relationship") in ("InitPlan", "SubPlan"):
        # a policy's `(select auth.uid())` is an InitPlan: name it, not just "Result"
        label = f"{node['Parent Relationship']} {label}"
    if "Join Type" in node:
        label += f" {node['Join Type']}"
    if "Index Name" in node:
        label += f" using {roots.get(node['Index Name'], node['Index Name'])}"
    rel = relation_of(node)
    if rel is not None:
        label += f" on {roots.get(rel, rel)}"
    if "Function Name" in node:
        label += f" of {node['Function Name']}()"
    return label


def outline(plan: Plan, roots: Mapping[str, str] | None = None, depth: int = 0) -> list[str]:
    """Return the plan as indented lines, one per node; ``roots`` maps partitions to tables.

    ``roots`` maps relation (``schema.name``) and index names to those of their partitioned
    table; an ``Append``'s children that read alike appear once, sorted, so that the outline
    of a partitioned table's scan does not depend on how many partitions exist.
    """
    roots = roots or {}
    lines = ["  " * depth + _label(plan, roots)]
    children = [outline(c, roots, depth + 1) for c in plan.get("Plans", [])]
    if plan["Node Type"] in _APPENDS:
        children = sorted({tuple(c): c for c in children}.values())
    for child in children:
        lines.extend(child)
    return lines


def outline_diff(old: list[str], new: list[str], limit: int = MAX_DIFF_LINES) -> list[str]:
    """Return the changed lines of two outlines (``-`` baseline, ``+`` now) with one of context."""
    body = [ln for ln in difflib.unified_diff(old, new, lineterm="", n=1)
            if not ln.startswith(("---", "+++"))]
    if len(body) > limit:
        body = [*body[:limit], f"... {len(body) - limit} more lines (see the plan files)"]
    return body


def buffers(plan: Plan) -> int:
    """Shared buffers hit + read by the whole statement (the root's counts include its nodes)."""
    return int(plan.get("Shared Hit Blocks", 0)) + int(plan.get("Shared Read Blocks", 0))


def seq_scanned(plan: Plan) -> list[str]:
    """Relations (``schema.name``, partitions as themselves) read by a Seq Scan in the plan."""
    return sorted({rel for n in nodes(plan)
                   if n["Node Type"] == "Seq Scan" and (rel := relation_of(n)) is not None})


def indexes_used(plan: Plan) -> set[str]:
    """Index names the plan reads (index, index-only and bitmap index scans)."""
    return {str(n["Index Name"]) for n in nodes(plan) if "Index Name" in n}


def relations_read(plan: Plan) -> set[str]:
    """Relations (``schema.name``) any node of the plan reads."""
    return {rel for n in nodes(plan) if (rel := relation_of(n)) is not None}


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
    """What one EXPLAIN ANALYZE says, reduced to what the checks judge and report.

    ``indexes`` are named as their partitioned table's index when they belong to a partition;
    ``seq_scans`` name the relation actually read (a partition's size is its own).
    """

    shape: str
    outline: tuple[str, ...]
    buffers: int
    seq_scans: tuple[str, ...]
    indexes: tuple[str, ...]
    estimate_error: float
    execution_ms: float
    planning_ms: float

    @classmethod
    def of(cls, explain: list[dict[str, Any]], roots: Mapping[str, str] | None = None
           ) -> PlanFacts:
        """Reduce the JSON document EXPLAIN returns (a one-element list)."""
        roots = roots or {}
        top = explain[0]
        plan = top["Plan"]
        return cls(
            shape=shape(plan),
            outline=tuple(outline(plan, roots)),
            buffers=buffers(plan),
            seq_scans=tuple(seq_scanned(plan)),
            indexes=tuple(sorted({roots.get(i, i) for i in indexes_used(plan)})),
            estimate_error=round(estimate_error(plan), 1),
            execution_ms=float(top.get("Execution Time", 0.0)),
            planning_ms=float(top.get("Planning Time", 0.0)),
        )
