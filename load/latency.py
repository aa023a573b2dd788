"""Latency per operation and phase: "ramp" while users are spawned, "held" once all run.

BUDGETS.md asks for p95 under 100 ms with 10,000 users *held*; Locust's own statistics mix the
ramp (thousands of connections opening per second) with the held load. Every Locust process that
runs users records here, switches phase on Locust's ``spawning_complete`` event (fired on the
master first, then on every worker) and writes its histogram to ``$DBH_LOAD_LATENCY_DIR`` when
the test stops; the runner merges the files. Failures are never split by phase: the verdict
counts them over the whole run.

Response times are bucketed as Locust buckets them (exact below 100 ms, then two significant
digits), so percentiles here match Locust's for the same requests.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

RAMP, HELD = "ramp", "held"
LATENCY_DIR_ENV = "DBH_LOAD_LATENCY_DIR"

Histogram = dict[int, int]  # bucket (ms) -> requests


def bucket(ms: float) -> int:
    """Round ``ms`` like Locust: exact below 100, to 10 below 1,000, then two digits."""
    v = round(ms)
    if v < 100:
        return v
    if v < 1000:
        return round(v, -1)
    if v < 10000:
        return round(v, -2)
    return round(v, -3)


class Recorder:
    """Histograms of one process: phase -> operation -> bucket -> count."""

    def __init__(self) -> None:
        self.phase = RAMP
        self.hist: dict[str, dict[str, Histogram]] = {
            RAMP: defaultdict(lambda: defaultdict(int)),
            HELD: defaultdict(lambda: defaultdict(int)),
        }

    def record(self, name: str, ms: float) -> None:
        """Count one request of operation ``name`` in the current phase."""
        self.hist[self.phase][name][bucket(ms)] += 1

    def empty(self) -> bool:
        """Tell whether this process ran no request (a distributed master runs none)."""
        return not any(self.hist[p] for p in self.hist)

    def dump(self, directory: Path, tag: str | None = None) -> Path:
        """Write the histograms to ``directory/latency-<tag or pid>.json`` (atomically)."""
        path = directory / f"latency-{tag or os.getpid()}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(
            {p: {op: {str(b): n for b, n in h.items()} for op, h in ops.items()}
             for p, ops in self.hist.items()}))
        tmp.replace(path)
        return path


def merge(paths: Iterable[Path]) -> dict[str, dict[str, Histogram]]:
    """Sum the histograms of several processes."""
    out: dict[str, dict[str, Histogram]] = {RAMP: {}, HELD: {}}
    for path in paths:
        data: Mapping[str, Mapping[str, Mapping[str, int]]] = json.loads(path.read_text())
        for phase, ops in data.items():
            for op, h in ops.items():
                into = out.setdefault(phase, {}).setdefault(op, {})
                for b, n in h.items():
                    into[int(b)] = into.get(int(b), 0) + int(n)
    return out


@dataclass(frozen=True)
class PhaseStats:
    """Percentiles of one operation in one phase."""

    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


def percentile(h: Histogram, q: float) -> float:
    """Return Locust's percentile ``q`` of a histogram.

    As ``calculate_response_time_percentile``: walking down from the slowest bucket, the first
    at which no more than ``int(total * q)`` requests remain below.
    """
    total = sum(h.values())
    if total == 0:
        return 0.0
    allowed = int(total * q)
    processed = 0
    for b in sorted(h, reverse=True):
        processed += h[b]
        if total - processed <= allowed:
            return float(b)
    return float(min(h))


def phase_stats(h: Histogram) -> PhaseStats:
    """Return the requests and p50/p95/p99 of one histogram."""
    return PhaseStats(sum(h.values()), percentile(h, 0.50), percentile(h, 0.95),
                      percentile(h, 0.99))


def read(directory: Path) -> dict[str, dict[str, PhaseStats]]:
    """Phase -> operation -> stats, from every process's file in ``directory``."""
    merged = merge(sorted(directory.glob("latency-*.json")))
    return {phase: {op: phase_stats(h) for op, h in ops.items()} for phase, ops in merged.items()}
