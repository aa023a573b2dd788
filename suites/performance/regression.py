"""What counts as a performance regression against the baseline, and what is only a change.

A regression is what a performance engineer would block a merge for:

- a large relation (more rows than the catalog's ``seq_scan_max_rows``) now read by Seq Scan;
- an index the catalog expects for the query, used by the baseline's plan, no longer used;
- shared buffers beyond the tolerance: more than ``buffers`` x the baseline *and* more than
  ``buffers_floor`` buffers more (three buffers becoming seven is not a regression);
- latency beyond the tolerance: the median, divided by the run's speed factor (the median over
  all queries of now / baseline, so that a slower machine or a busy neighbour does not count),
  more than ``latency`` x the baseline *and* more than ``latency_floor_ms`` slower.

Each must hold again in a second, independent measurement. Anything else that differs -- the
plan's outline, buffers within the tolerance -- is a change, reported as information.

The tolerances are ``[tool.dbharness.options.performance.regression]`` in the config.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from harness.errors import ConfigError
from suites.performance.baseline import Entry
from suites.performance.measure import Measurement
from suites.performance.plans import outline_diff

OPTION = "regression"
MIN_SPEED_SAMPLES = 3  # fewer common queries than this: no speed factor (1.0)


@dataclass(frozen=True)
class Tolerance:
    """How much worse than the baseline a measurement may be before it is a regression."""

    buffers: float = 0.5  # +50% ...
    buffers_floor: int = 20  # ... and at least this many buffers more
    # Latency is the noisiest signal (medians of a few ms on a shared machine move by 2x under
    # a neighbour's burst): +200% after the speed factor and at least 5 ms slower.
    latency: float = 2.0
    latency_floor_ms: float = 5.0

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Tolerance:
        """Read ``options.performance.regression``; a bad value is a usage error naming it."""
        raw = options.get(OPTION, {})
        where = f"options.performance.{OPTION}"
        if not isinstance(raw, Mapping):
            raise ConfigError(f"{where} must be a table")
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ConfigError(f"{where}: unknown keys {unknown}",
                              hint=f"known keys: {', '.join(known)}")
        values: dict[str, Any] = {}
        for name, value in raw.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ConfigError(f"{where}.{name} must be a number >= 0, not {value!r}")
            values[name] = int(value) if name == "buffers_floor" else float(value)
        return cls(**values)


@dataclass
class Judgement:
    """What one measurement shows against its baseline entry."""

    regressions: dict[str, str] = field(default_factory=dict)  # kind -> what regressed
    changes: list[str] = field(default_factory=list)  # what differs without being a regression
    plan_diff: list[str] = field(default_factory=list)


def speed_factor(measured: Iterable[Measurement], base: Mapping[str, Entry]) -> float:
    """Return the median of now / baseline latency over the queries both measured, at least 1.

    One query that got slower moves the median little; a run twice as slow as the one that
    recorded the baseline (another machine, a busy neighbour) moves it to 2, and every median is
    divided by it before it is compared. A faster run is not scaled up: that would multiply its
    noise (and a baseline recorded on a busy machine would make every run look fast).
    """
    ratios = [m.median_ms / base[m.key]["median_ms"] for m in measured
              if m.median_ms and m.key in base and base[m.key].get("median_ms")]
    if len(ratios) < MIN_SPEED_SAMPLES:
        return 1.0
    return max(1.0, float(statistics.median(ratios)))


def expected_groups(m: Measurement) -> list[tuple[str, ...]]:
    """Return the catalog's index expectations of ``m``: groups of which one must be used."""
    q = m.query
    return [(i,) for i in q.expect_indexes] + ([q.expect_any_index] if q.expect_any_index else [])


def judge(
    m: Measurement,
    old: Entry,
    tolerance: Tolerance,
    *,
    speed: float = 1.0,
    same_major: bool = True,
) -> Judgement:
    """Compare ``m`` with its baseline entry ``old``.

    With ``same_major`` false (the baseline is of another PostgreSQL major) only the
    version-independent properties are compared: Seq Scans of large relations and the expected
    indexes.
    """
    assert m.facts is not None
    f, out = m.facts, Judgement()
    new_scans = [r for r in m.large_seq_scans if r not in old.get("seq_scans", [])]
    if new_scans:
        out.regressions["seq_scan"] = "now reads " + ", ".join(
            f"{r} ({m.large_relations[r]:,} rows)" for r in new_scans) + " by Seq Scan"
    used_before, used_now = set(old.get("indexes", [])), set(f.indexes)
    lost = [" or ".join(g) for g in expected_groups(m)
            if used_before & set(g) and not used_now & set(g)]
    if lost:
        out.regressions["index"] = f"no longer uses the expected index {', '.join(lost)}"
    if not same_major:
        return out
    was = int(old["buffers"])
    grew = f.buffers - was
    if f.buffers > was * (1 + tolerance.buffers) and grew > tolerance.buffers_floor:
        out.regressions["buffers"] = f"buffers {was:,} -> {f.buffers:,} (+{grew:,})"
    elif f.buffers != was:
        out.changes.append(f"buffers {was:,} -> {f.buffers:,} (within tolerance)")
    base_ms, now_ms = old.get("median_ms"), m.median_ms
    if base_ms and now_ms is not None:
        adjusted = now_ms / speed
        if adjusted > base_ms * (1 + tolerance.latency) and \
                adjusted - base_ms > tolerance.latency_floor_ms:
            note = f", {adjusted:.2f} ms at the baseline's speed" if speed > 1 else ""
            out.regressions["latency"] = f"median {base_ms:.2f} -> {now_ms:.2f} ms{note}"
    old_plan = list(old.get("plan", []))
    if old_plan and old_plan != list(f.outline):
        out.plan_diff = outline_diff(old_plan, list(f.outline))
        out.changes.append("plan changed")
    return out


def tolerance_text(kind: str, t: Tolerance) -> str:
    """Return how the tolerance of ``kind`` reads in a finding ("" for plan properties)."""
    if kind == "buffers":
        return f"tolerance +{t.buffers:.0%} and +{t.buffers_floor}"
    if kind == "latency":
        return f"tolerance +{t.latency:.0%} and +{t.latency_floor_ms:g} ms"
    return ""
