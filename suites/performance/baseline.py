"""The performance baseline (``dbharness/perf-baseline.json``): plan shape and buffers per query.

Deterministic signals only, so that a regression shows as a changed plan or a buffer count beyond
a tolerance, never as a noisy timing. ``dbharness bench --update-baseline`` rewrites it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from suites.performance.results import Results

BASELINE_FILE = "perf-baseline.json"
DEFAULT_TOLERANCE = 0.5  # buffers may grow by half before it is a regression


def baseline_of(results: Results) -> dict[str, Any]:
    """Return the baseline document for ``results``."""
    return {
        "scale": results.scale,
        "seed": results.seed,
        "queries": {
            m.key: {"plan_shape": m.facts.shape, "buffers": m.facts.buffers}
            for m in results.measurements if m.facts is not None
        },
    }


def write_baseline(path: Path, results: Results) -> None:
    """Rewrite the baseline file from ``results``."""
    path.write_text(json.dumps(baseline_of(results), indent=2, sort_keys=True) + "\n",
                    encoding="utf-8")


def read_baseline(path: Path) -> dict[str, Any]:
    """Read a baseline file."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
