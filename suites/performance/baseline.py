"""The performance baseline (``dbharness/perf-baseline.json``): what each query read, per major.

For each (query, role) it records what PRF104 compares: shared buffers, the median latency, the
large relations read by Seq Scan, the indexes used and the plan's outline (see
:func:`suites.performance.plans.outline`). ``dbharness bench --update-baseline`` rewrites the
section of the server's major version and keeps the others::

    {"format": 2, "scale": "ci", "seed": 20261125,
     "majors": {"15": {"queries": {"wo_list_first_page/manager": {
         "buffers": 13, "median_ms": 0.45, "seq_scans": [],
         "indexes": ["work_orders_created_idx"], "plan": ["Limit", "  Index Scan using ..."]}}}}}

Buffers, latency and the outline belong to one major: another planner may read other pages
through other nodes. Which large relations are read by Seq Scan and whether the catalog's
expected indexes are used follow from the schema and the data, not from the planner's version:
against a baseline recorded on another major, only those are compared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import ConfigError
from suites.performance.results import Results

BASELINE_FILE = "perf-baseline.json"
FORMAT = 2
Entry = dict[str, Any]  # one (query, role): buffers, median_ms, seq_scans, indexes, plan


@dataclass(frozen=True)
class Baseline:
    """A baseline file: its scale and seed, and the entries of each major version."""

    scale: str
    seed: int
    majors: dict[int, dict[str, Entry]] = field(default_factory=dict)
    format: int = FORMAT

    def closest(self, major: int) -> tuple[int | None, dict[str, Entry]]:
        """Return the entries of ``major``, else of the nearest major recorded (newest on a tie)."""
        if major in self.majors:
            return major, self.majors[major]
        if not self.majors:
            return None, {}
        nearest = min(self.majors, key=lambda v: (abs(v - major), -v))
        return nearest, self.majors[nearest]

    def to_json(self) -> dict[str, Any]:
        """Return the document written to the file."""
        return {
            "format": self.format, "scale": self.scale, "seed": self.seed,
            "majors": {str(v): {"queries": q} for v, q in sorted(self.majors.items())},
        }


def entries_of(results: Results) -> dict[str, Entry]:
    """Return the baseline entries of every measured (query, role) of ``results``."""
    out: dict[str, Entry] = {}
    for m in results.measurements:
        if m.facts is None:
            continue
        out[m.key] = {
            "buffers": m.facts.buffers,
            "median_ms": round(m.median_ms, 3) if m.median_ms is not None else None,
            "seq_scans": m.large_seq_scans,
            "indexes": list(m.facts.indexes),
            "plan": list(m.facts.outline),
        }
    return out


def updated(previous: Baseline | None, results: Results) -> Baseline:
    """Return ``previous`` with the section of ``results``' major replaced by its measurements.

    The other majors' sections are kept when they are of the same scale and seed.
    """
    keep = previous.majors if previous and (previous.scale, previous.seed) == (
        results.scale, results.seed) and previous.format == FORMAT else {}
    return Baseline(results.scale, results.seed, {**keep, results.major: entries_of(results)})


def write_baseline(path: Path, results: Results) -> Baseline:
    """Rewrite the baseline file with ``results`` (other majors kept); return what was written."""
    previous = read_baseline(path) if path.is_file() else None
    base = updated(previous, results)
    path.write_text(json.dumps(base.to_json(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return base


def read_baseline(path: Path) -> Baseline:
    """Read a baseline file; one of an older format reads as format 1 with no entries.

    A file that is not a baseline is a usage error naming it.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        if data.get("format") != FORMAT:
            return Baseline(str(data.get("scale")), int(data.get("seed", 0)), {}, format=1)
        majors = {int(v): dict(section["queries"]) for v, section in data["majors"].items()}
        return Baseline(str(data["scale"]), int(data["seed"]), majors)
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"{path}: not a performance baseline ({exc})",
            hint="rewrite it with `dbharness bench --update-baseline`",
        ) from None
