"""The suite's numbers, shared by its checks and written as ``performance.json`` and PNG plots.

The whole plans go to ``plans.json`` beside it (findings name the entry instead of carrying
tens of kilobytes of plan each).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from suites.performance.catalog import Catalog
from suites.performance.measure import Measurement

RESULTS_FILE = "performance.json"
PLANS_FILE = "plans.json"


@dataclass(frozen=True)
class Growth:
    """One list page measured at two scales."""

    key: str
    small_scale: str
    large_scale: str
    small_ms: float
    large_ms: float
    small_buffers: int
    large_buffers: int

    @property
    def time_ratio(self) -> float:
        """Median at the large scale over the small one."""
        return round(self.large_ms / self.small_ms, 2) if self.small_ms else 0.0

    @property
    def buffer_ratio(self) -> float:
        """Buffers at the large scale over the small one."""
        return round(self.large_buffers / max(self.small_buffers, 1), 2)


@dataclass
class Results:
    """Everything measured in a run, for the checks, the report file and ``dbharness bench``."""

    scale: str
    seed: int
    catalog: Catalog
    measurements: list[Measurement]
    runs: int
    major: int = 0  # PostgreSQL major version of the server measured
    growth: list[Growth] = field(default_factory=list)
    plan_problems: dict[str, list[str]] = field(default_factory=dict)
    # Second measurements taken to confirm a finding (PRF102, PRF104), by measurement key.
    again: dict[str, Measurement | None] = field(default_factory=dict)

    def row(self, m: Measurement) -> dict[str, Any]:
        """One measurement as a JSON object."""
        f = m.facts
        return {
            "query": m.query.name, "role": m.role, "class": m.query.cls, "user_id": m.user_id,
            "skipped": m.skipped, "error": m.error, "rows": m.rows,
            "budget_ms": self.catalog.budget_ms(m.query), "median_ms": m.median_ms,
            "timings_ms": m.timings_ms, "service_median_ms": m.service_median_ms,
            "rls_ratio": m.rls_ratio, "same_rows_as_service": m.same_rows_as_service,
            "buffers": f.buffers if f else None,
            "max_buffers": self.catalog.buffer_budget(m.query),
            "estimate_error": f.estimate_error if f else None,
            "execution_ms": f.execution_ms if f else None,
            "indexes": list(f.indexes) if f else [], "seq_scans": list(f.seq_scans) if f else [],
            "plan": list(f.outline) if f else None,
            "plan_ok": not self.plan_problems.get(m.key) if f else None,
            "plan_problems": self.plan_problems.get(m.key, []),
        }

    def to_json(self) -> dict[str, Any]:
        """Return the whole report as a JSON object."""
        return {
            "scale": self.scale, "seed": self.seed, "runs": self.runs,
            "server_major": self.major, "plans_file": PLANS_FILE,
            "note": "medians of warm runs on a shared machine: timings are noisy, "
                    "plans and buffers are not",
            "queries": [self.row(m) for m in self.measurements],
            "growth": [
                {"query": g.key, "small_scale": g.small_scale, "large_scale": g.large_scale,
                 "small_ms": g.small_ms, "large_ms": g.large_ms, "time_ratio": g.time_ratio,
                 "small_buffers": g.small_buffers, "large_buffers": g.large_buffers,
                 "buffer_ratio": g.buffer_ratio} for g in self.growth],
        }

    def write(self, report_dir: Path | None) -> list[Path]:
        """Write ``performance.json`` and the plots into ``report_dir``; return the files."""
        if report_dir is None:
            return []
        report_dir.mkdir(parents=True, exist_ok=True)
        path = report_dir / RESULTS_FILE
        path.write_text(json.dumps(self.to_json(), indent=2, default=str) + "\n",
                        encoding="utf-8")
        plans = report_dir / PLANS_FILE
        plans.write_text(json.dumps(self.plans(), indent=1, default=str) + "\n",
                         encoding="utf-8")
        return [path, plans, *self.plot(report_dir)]

    def plans(self) -> dict[str, Any]:
        """Return every plan measured, as EXPLAIN (ANALYZE, BUFFERS, VERBOSE) gave it, by key.

        The key is ``query/role``, or ``query/role (again)`` for a second measurement.
        """
        out: dict[str, Any] = {m.key: m.plan for m in self.measurements if m.plan}
        out.update({f"{k} (again)": a.plan for k, a in self.again.items() if a and a.plan})
        return out

    def plot(self, report_dir: Path) -> list[Path]:
        """Latency per query against its budget; growth between scales. Needs matplotlib."""
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:  # the plots extra is optional; the JSON has the same numbers
            return []
        written = []
        done = [m for m in self.measurements if m.median_ms is not None]
        if done:
            fig, ax = plt.subplots(figsize=(10, 0.35 * len(done) + 1.5))
            ys = range(len(done))
            medians = [m.median_ms or 0.0 for m in done]
            budgets = [self.catalog.budget_ms(m.query) for m in done]
            colors = ["tab:red" if md > b else "tab:green"
                      for md, b in zip(medians, budgets, strict=True)]
            ax.barh(list(ys), medians, color=colors)
            for y, b in zip(ys, budgets, strict=True):
                ax.plot([b, b], [y - 0.4, y + 0.4], color="black", linewidth=2)
            ax.set_yticks(list(ys), [m.key for m in done], fontsize=8)
            ax.set_xscale("log")
            ax.set_xlabel("median latency, ms (log); black bar = budget")
            ax.set_title(f"Query latency as the real role under RLS ({self.scale} scale)")
            ax.invert_yaxis()
            fig.tight_layout()
            written.append(report_dir / "latency.png")
            fig.savefig(written[-1], dpi=100)
            plt.close(fig)
        if self.growth:
            fig, ax = plt.subplots(figsize=(8, 0.5 * len(self.growth) + 1.5))
            ys = range(len(self.growth))
            ax.barh([y - 0.2 for y in ys], [g.small_ms for g in self.growth], height=0.4,
                    label=self.growth[0].small_scale)
            ax.barh([y + 0.2 for y in ys], [g.large_ms for g in self.growth], height=0.4,
                    label=self.growth[0].large_scale)
            ax.set_yticks(list(ys), [f"{g.key} (x{g.time_ratio})" for g in self.growth],
                          fontsize=8)
            ax.set_xlabel("median latency, ms")
            ax.set_title("Cost of a page as the table grows")
            ax.legend()
            ax.invert_yaxis()
            fig.tight_layout()
            written.append(report_dir / "growth.png")
            fig.savefig(written[-1], dpi=100)
            plt.close(fig)
        return written
