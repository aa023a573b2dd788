"""CPU time of the processes a load run depends on, read from ``/proc``.

On a shared machine the load average says little about what one operation costs; the CPU time
each process spent does. Linux keeps it per process in ``/proc/<pid>/stat`` (user and system
time in clock ticks), and a parent gains its reaped children's times, so a postmaster's own
counters plus those of its live children cover every backend that ever ran under it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

TICK_S = 1.0 / os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")

PidSource = Callable[[], Iterable[int]]


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:  # gone, or not visible in this pid namespace
        return None
    # the command name (field 2) may hold spaces and parentheses: split after its last ")"
    return text[text.rindex(")") + 2:].split()


def cpu_seconds(pid: int, *, with_reaped_children: bool = False) -> float:
    """User + system CPU seconds of ``pid`` (0 when it is gone).

    With ``with_reaped_children``, also the times of the children it has waited for.
    """
    f = _stat_fields(pid)
    if f is None:
        return 0.0
    # fields after the name, counted from 0: 11 utime, 12 stime, 13 cutime, 14 cstime
    ticks = int(f[11]) + int(f[12])
    if with_reaped_children:
        ticks += int(f[13]) + int(f[14])
    return ticks * TICK_S


def _parents() -> dict[int, int]:
    """Pid -> parent pid of every visible process (one scan of /proc)."""
    out = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            f = _stat_fields(int(entry.name))
            if f is not None:
                out[int(entry.name)] = int(f[1])
    return out


def tree_seconds(root: int) -> float:
    """Return the CPU seconds of ``root`` and of every process under it.

    Its live descendants count, and so does every descendant that exited and was reaped (0 when
    ``root`` is gone).
    """
    parents = _parents()
    tree, frontier = {root}, [root]
    while frontier:
        frontier = [pid for pid, ppid in parents.items() if ppid in frontier and pid not in tree]
        tree.update(frontier)
    return sum(cpu_seconds(pid, with_reaped_children=True) for pid in tree)


@dataclass
class CpuSample:
    """CPU seconds per process group at one moment (wall clock)."""

    at: float
    seconds: dict[str, float]


@dataclass
class CpuSampler:
    """Samples the CPU seconds of named process groups every ``interval`` s while open.

    ``groups`` maps a name to a function returning the CPU seconds of that group now (see
    :func:`tree_seconds`); the deltas between two samples say what each group spent then.
    """

    groups: dict[str, Callable[[], float]]
    interval: float = 1.0
    samples: list[CpuSample] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> CpuSample:
        """Take one sample now and keep it."""
        s = CpuSample(time.time(), {name: fn() for name, fn in self.groups.items()})
        self.samples.append(s)
        return s

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> CpuSampler:
        self.sample()
        self._thread = threading.Thread(target=self._run, name="cpu-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.sample()

    def between(self, start: float, end: float) -> dict[str, float]:
        """CPU seconds each group spent between two wall-clock times (nearest samples)."""
        if not self.samples:
            return {}
        first = min(self.samples, key=lambda s: abs(s.at - start))
        last = min(self.samples, key=lambda s: abs(s.at - end))
        return {k: max(0.0, last.seconds.get(k, 0.0) - first.seconds.get(k, 0.0))
                for k in self.groups}

    def span(self) -> tuple[float, float]:
        """Wall-clock times of the first and last sample."""
        return (self.samples[0].at, self.samples[-1].at) if self.samples else (0.0, 0.0)
