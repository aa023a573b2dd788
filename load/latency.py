"""Latency, throughput and CPU per phase: "ramp" while users are spawned, "held" once all run.

docs/budgets.md asks for p95 under 100 ms with 10,000 users *held*; Locust's own statistics mix the
ramp (thousands of connections opening per second) with the held load. Every Locust process that
runs users records here, switches phase on Locust's ``spawning_complete`` event (fired on the
master first, then on every worker) and writes its histogram to the latency directory
(``--dbh-latency-dir``) when the test stops; the runner merges the files. Each process also
notes when each phase began and ended and the CPU it had used by then (its own ``getrusage``),
so throughput and the load generator's CPU are reported per phase as well. A distributed worker
sends the same data to the master in a message (:mod:`load.locustfile`) instead of writing a
file on its own machine. Failures are never split by phase: the verdict counts them over the
whole run.

Response times are bucketed as Locust buckets them (exact below 100 ms, then two significant
digits), so percentiles here match Locust's for the same requests.
"""

from __future__ import annotations

import itertools
import json
import os
import resource
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

RAMP, HELD = "ramp", "held"
LATENCY_DIR_ENV = "DBH_LOAD_LATENCY_DIR"  # the HTTP users' locustfile takes its folder from here

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


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Recorder:
    """Histograms of one process (phase -> operation -> bucket -> count), with marks.

    A mark is the wall-clock time and the process's CPU seconds at the start of each phase and
    at the end.
    """

    def __init__(self) -> None:
        self.phase = RAMP
        self.hist: dict[str, dict[str, Histogram]] = {
            RAMP: defaultdict(lambda: defaultdict(int)),
            HELD: defaultdict(lambda: defaultdict(int)),
        }
        self.marks: dict[str, tuple[float, float]] = {}  # "ramp"/"held"/"end" -> (time, cpu)

    def mark(self, what: str) -> None:
        """Note the time and CPU now as the start of phase ``what`` (or "end")."""
        self.marks.setdefault(what, (time.time(), _cpu_s()))

    def start_held(self) -> None:
        """Every user runs from now on."""
        self.mark(HELD)
        self.phase = HELD

    def record(self, name: str, ms: float) -> None:
        """Count one request of operation ``name`` in the current phase."""
        self.hist[self.phase][name][bucket(ms)] += 1

    def empty(self) -> bool:
        """Tell whether this process ran no request (a distributed master runs none)."""
        return not any(self.hist[p] for p in self.hist)

    def payload(self, *, final: bool = True) -> dict[str, object]:
        """Return what :meth:`dump` writes (and a distributed worker sends its master).

        A snapshot (``final`` false) ends "now" without fixing the end: a later one replaces
        it, and the last one stands when a process cannot send its final one in time.
        """
        if final:
            self.mark("end")
        marks = {k: list(v) for k, v in self.marks.items()}
        marks.setdefault("end", [time.time(), _cpu_s()])
        return {
            "hist": {p: {op: {str(b): n for b, n in h.items()} for op, h in ops.items()}
                     for p, ops in self.hist.items()},
            "marks": marks,
        }

    def dump(self, directory: Path, tag: str | None = None) -> Path:
        """Write :meth:`payload` to ``directory/latency-<tag or pid>.json``."""
        return write_payload(directory, self.payload(), tag or str(os.getpid()))


def write_payload(directory: Path, payload: Mapping[str, object], tag: str) -> Path:
    """Write one process's payload to ``directory/latency-<tag>.json`` (atomically)."""
    path = directory / f"latency-{tag}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload))
    tmp.replace(path)
    return path


def merge(paths: Iterable[Path]) -> dict[str, dict[str, Histogram]]:
    """Sum the histograms of several processes."""
    out: dict[str, dict[str, Histogram]] = {RAMP: {}, HELD: {}}
    for path in paths:
        data: Mapping[str, Mapping[str, Mapping[str, int]]] = json.loads(path.read_text())["hist"]
        for phase, ops in data.items():
            for op, h in ops.items():
                into = out.setdefault(phase, {}).setdefault(op, {})
                for b, n in h.items():
                    into[int(b)] = into.get(int(b), 0) + int(n)
    return out


@dataclass(frozen=True)
class PhaseClock:
    """How long a phase lasted and the CPU the load generator spent in it (all processes)."""

    seconds: float  # the longest of the processes' (they run side by side)
    generator_cpu_s: float  # summed over the processes
    processes: int


def clocks(directory: Path) -> dict[str, PhaseClock]:
    """Phase -> duration and generator CPU, from the marks of every process's file."""
    spans: dict[str, list[tuple[float, float]]] = {RAMP: [], HELD: []}
    for path in sorted(directory.glob("latency-*.json")):
        marks = {k: tuple(v) for k, v in json.loads(path.read_text()).get("marks", {}).items()}
        # a held mark after the end (the word came after the stop) means no held phase
        order = [m for m in (RAMP, HELD, "end") if m in marks
                 and (m != HELD or "end" not in marks or marks[HELD][0] <= marks["end"][0])]
        for this, nxt in itertools.pairwise(order):
            (t0, c0), (t1, c1) = marks[this], marks[nxt]
            spans[this].append((t1 - t0, c1 - c0))
    return {phase: PhaseClock(max((d for d, _c in v), default=0.0), sum(c for _d, c in v),
                              len(v))
            for phase, v in spans.items() if v}


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


def windows(directory: Path) -> dict[str, tuple[float, float]]:
    """Return phase -> (start, end) wall-clock times over all processes.

    The earliest start of the ramp, the latest start of the held phase (every process holds its
    users from there) and the latest end.
    """
    marks: dict[str, list[float]] = {RAMP: [], HELD: [], "end": []}
    for path in sorted(directory.glob("latency-*.json")):
        for k, v in json.loads(path.read_text()).get("marks", {}).items():
            marks.setdefault(k, []).append(float(v[0]))
    out = {}
    ramp0 = min(marks[RAMP], default=None)
    end = max(marks["end"], default=None)
    held0 = max(marks[HELD], default=None)
    if held0 is not None and end is not None and held0 > end:
        held0 = None
    if ramp0 is not None:
        out[RAMP] = (ramp0, held0 if held0 is not None else end or ramp0)
    if held0 is not None and end is not None:
        out[HELD] = (held0, end)
    return out
