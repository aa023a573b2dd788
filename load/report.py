"""Reading Locust's CSV output, judging it against thresholds, and writing the load report.

Locust writes ``<prefix>_stats.csv`` (whole-run figures per operation), ``_failures.csv`` (one
row per operation and error text, which :mod:`load.client` makes the SQLSTATE) and, with
``--csv-full-history``, ``_stats_history.csv`` (one row per operation per second). The report is
``load.json`` (for machines), ``load.md`` (for people) and ``load.png`` (throughput and p95 over
time).
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from harness.registry import Finding
from load.client import CONNECT_OP
from load.latency import HELD, RAMP, PhaseStats
from load.mix import OPERATIONS, OpClass

AGGREGATED = "Aggregated"
_ERROR_REPR = re.compile(r"^\w+\('(.*)'\)$")  # Locust stores repr(exc): keep the text


@dataclass(frozen=True)
class Thresholds:
    """Pass/fail limits (docs/budgets.md, Load): failure ratio and p95 per latency class."""

    max_failure_ratio: float = 0.0
    p95_ms: dict[str, float] = field(
        default_factory=lambda: {OpClass.SIMPLE.value: 100.0, OpClass.COMPLEX.value: 1000.0}
    )


@dataclass(frozen=True)
class OpStats:
    """Whole-run figures of one operation."""

    name: str
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


@dataclass(frozen=True)
class PhaseFigures:
    """Throughput of one phase and the CPU seconds each part spent in it."""

    seconds: float
    requests: int
    tps: float
    cpu_s: dict[str, float]  # "server", "pooler", "generator" -> CPU seconds in the phase

    def cpu_ms_per_op(self, part: str) -> float | None:
        """CPU milliseconds ``part`` spent per operation of the phase."""
        if part not in self.cpu_s or not self.requests:
            return None
        return self.cpu_s[part] * 1000 / self.requests


@dataclass
class LoadResult:
    """Everything a run measured; what the report files hold."""

    run_id: str
    command: str
    settings: dict[str, Any]
    ops: list[OpStats]
    failures: dict[str, int]  # SQLSTATE + class -> occurrences
    users_reached: int
    locust_tps: float  # over the whole run (Locust's own figure); per phase in ``throughput``
    pooler: dict[str, Any] = field(default_factory=dict)
    server: dict[str, Any] = field(default_factory=dict)
    pgbench: dict[str, Any] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)
    # phase ("ramp", "held") -> operation -> percentiles (load.latency); empty if not recorded
    phases: dict[str, dict[str, PhaseStats]] = field(default_factory=dict)
    throughput: dict[str, PhaseFigures] = field(default_factory=dict)
    server_settings: dict[str, str] = field(default_factory=dict)
    costs: list[dict[str, Any]] = field(default_factory=list)  # load.cost.OpCost, per operation
    plot_history: list[dict[str, str]] = field(default_factory=list, repr=False)
    stopped_early: str = ""  # why Locust ended the test before its time, from its log
    statements: list[dict[str, Any]] = field(default_factory=list)  # load phase, pg_stat_statements
    # --via postgrest: the SQL users' figures of the same run, beside the HTTP users' (above)
    comparison: dict[str, Any] = field(default_factory=dict)

    def judged_p95(self, op: OpStats) -> tuple[float, str]:
        """Return the p95 the verdict uses and its phase.

        With every user running ("held") when that phase has requests of the operation, else
        over the whole run.
        """
        held = self.phases.get(HELD, {}).get(op.name)
        if held is not None and held.requests:
            return held.p95_ms, "with all users running"
        return op.p95_ms, "over the whole run"

    @property
    def total_requests(self) -> int:
        """Operations run (connection attempts not counted)."""
        return sum(o.requests for o in self.ops if o.name != CONNECT_OP)

    @property
    def total_failures(self) -> int:
        """Failed operations, connection failures included."""
        return sum(o.failures for o in self.ops)

    @property
    def held_tps(self) -> float | None:
        """Operations per second with every user running (None when no phase was held)."""
        held = self.throughput.get(HELD)
        return held.tps if held is not None and held.seconds else None

    @property
    def ratio(self) -> float | None:
        """Throughput held as a fraction of the pgbench ceiling (None without either)."""
        tps = self.pgbench.get("tps")
        held = self.held_tps
        return held / tps if tps and held is not None else None


def _f(value: str) -> float:
    try:
        return float(value)
    except ValueError:  # "N/A" when an operation never ran
        return 0.0


def read_stats(prefix: Path) -> list[OpStats]:
    """Per-operation figures from ``<prefix>_stats.csv`` (the Aggregated row left out)."""
    with open(f"{prefix}_stats.csv", newline="") as f:
        return [
            OpStats(row["Name"], int(row["Request Count"]), int(row["Failure Count"]),
                    _f(row["Requests/s"]), _f(row["50%"]), _f(row["95%"]), _f(row["99%"]),
                    _f(row["Max Response Time"]))
            for row in csv.DictReader(f) if row["Name"] != AGGREGATED
        ]


def read_failures(prefix: Path) -> dict[str, int]:
    """Failure counts by error text (SQLSTATE and class), over all operations."""
    out: dict[str, int] = defaultdict(int)
    path = Path(f"{prefix}_failures.csv")
    if path.exists():
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                out[_ERROR_REPR.sub(r"\1", row["Error"].strip())] += int(row["Occurrences"])
    return dict(out)


def read_history(prefix: Path) -> list[dict[str, str]]:
    """Rows of the per-second history (aggregated over operations)."""
    path = Path(f"{prefix}_stats_history.csv")
    if not path.exists():
        return []
    with open(path, newline="") as f:
        return [row for row in csv.DictReader(f) if row["Name"] == AGGREGATED]


def users_reached(history: list[dict[str, str]]) -> int:
    """Return the most simulated users seen running at once."""
    return max((int(r["User Count"]) for r in history), default=0)


def judge(result: LoadResult, thresholds: Thresholds) -> list[Finding]:
    """LOD100 findings: failures above the ratio, operations whose p95 is over budget."""
    findings: list[Finding] = []
    requested = int(result.settings.get("users") or 0)
    if result.users_reached < requested or result.stopped_early:
        findings.append(Finding(
            "LOD100", "load:run",
            f"only {result.users_reached} of {requested} users ran"
            + (f"; the run ended early: {result.stopped_early}" if result.stopped_early else ""),
            details={"users_reached": result.users_reached, "users": requested},
        ))
    total = result.total_requests
    ratio = result.total_failures / total if total else 1.0
    if total == 0 or ratio > thresholds.max_failure_ratio:
        by_state = ", ".join(f"{k}: {v}" for k, v in sorted(result.failures.items()))
        findings.append(Finding(
            "LOD100", "load:failures",
            f"{result.total_failures} of {total} operations failed (ratio {ratio:.4%}, limit "
            f"{thresholds.max_failure_ratio:.4%})" + (f"; by SQLSTATE: {by_state}" if by_state
                                                      else ""),
            details={"failures": result.failures},
        ))
    for op in result.ops:
        if op.name not in OPERATIONS:
            continue
        op_class = OPERATIONS[op.name].op_class.value
        limit = thresholds.p95_ms.get(op_class)
        p95, phase = result.judged_p95(op)
        if limit is not None and p95 > limit:
            findings.append(Finding(
                "LOD100", f"load:{op.name}",
                f"p95 of {op.name} ({op_class}) {phase} is {p95:.0f} ms, over the {limit:.0f} ms "
                f"budget ({op.requests} requests in the run, whole-run p95 {op.p95_ms:.0f} ms, "
                f"p99 {op.p99_ms:.0f} ms)",
                details={"p95_ms": p95, "phase": phase, "limit_ms": limit},
            ))
    return unique(findings)


def unique(findings: list[Finding]) -> list[Finding]:
    """Return ``findings`` without repeats (same check, object and message), in order."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for f in findings:
        key = (f.check_id, f.object, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def write_all(result: LoadResult, out: Path) -> None:
    """Write ``load.json``, ``load.md`` and (with matplotlib) ``load.png`` into ``out``."""
    plot = out / "load.png"
    has_plot = write_plot(result.plot_history, plot)
    write_json(result, out / "load.json")
    write_markdown(result, out / "load.md", plot if has_plot else None)


def side_summary(result: LoadResult) -> dict[str, Any]:
    """Return the figures of one path for the side-by-side table: tx/s and p95 per operation."""
    return {
        "tps": result.locust_tps,
        "requests": result.total_requests,
        "failures": result.total_failures,
        "ops": {o.name: {"rps": o.rps, "requests": o.requests, "failures": o.failures,
                         "p95_ms": result.judged_p95(o)[0]}
                for o in result.ops if o.name in OPERATIONS},
    }


def _side_by_side(result: LoadResult) -> list[str]:
    """Render the HTTP (PostgREST) and SQL (pgbouncer) paths of one run, per operation."""
    sql = result.comparison.get("sql", {})
    ceiling = result.pgbench.get("tps") or 0.0
    http_ops = {o.name: o for o in result.ops if o.name in OPERATIONS}

    def ratio(tps: float) -> str:
        return f"{tps / ceiling:.2f}" if ceiling else "n/a"

    sql_tps = float(sql.get("tps", 0.0))
    lines = [
        "", "## HTTP (PostgREST) and SQL side by side", "",
        "The same operation mix, users and think time through the real API path (Locust "
        "FastHttpUser, one JWT per user, through PostgREST) and as SQL through pgbouncer, in "
        "the same run; p95 with all users running. pgbench runs the SQL mix at full speed: the "
        "machine's ceiling.", "",
        f"- throughput: HTTP {result.locust_tps:.1f} tx/s ({ratio(result.locust_tps)} of the "
        f"pgbench ceiling), SQL {sql_tps:.1f} tx/s ({ratio(sql_tps)}), pgbench {ceiling:.1f} "
        "tx/s",
        f"- operations: HTTP {result.total_requests} ({result.total_failures} failed), SQL "
        f"{sql.get('requests', 0)} ({sql.get('failures', 0)} failed)", "",
        "| operation | HTTP req/s | HTTP p95 ms | SQL req/s | SQL p95 ms | HTTP/SQL p95 |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for name in sorted(set(http_ops) | set(sql.get("ops", {}))):
        h = http_ops.get(name)
        h_p95 = result.judged_p95(h)[0] if h else None
        q = sql.get("ops", {}).get(name, {})
        q_p95 = q.get("p95_ms")
        lines.append(
            f"| {name} | {h.rps if h else 0:.1f} | {_ms(h_p95) if h_p95 is not None else '-'} "
            f"| {q.get('rps', 0):.1f} | {_ms(q_p95) if q_p95 is not None else '-'} | "
            + (f"{h_p95 / q_p95:.1f}x" if h_p95 and q_p95 else "-") + " |"
        )
    return lines


def write_json(result: LoadResult, path: Path) -> None:
    """Write ``load.json``."""
    data = asdict(result)
    data.pop("plot_history")
    data["total_requests"] = result.total_requests
    data["total_failures"] = result.total_failures
    data["held_tps"] = result.held_tps
    data["ratio_held_to_ceiling"] = result.ratio
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")


def _ms(v: float) -> str:
    return f"{v:.0f}"


def _opt(v: float | None, fmt: str = "{:.2f}") -> str:
    return "-" if v is None else fmt.format(v)


def _summary(result: LoadResult) -> list[str]:
    s = result.settings
    workers = (f"{s.get('expect_workers')} remote worker(s)" if s.get("expect_workers")
               else f"{s.get('processes')} Locust process(es)")
    lines = [
        f"- users: {s.get('users')} requested, {result.users_reached} reached "
        f"(spawn rate {s.get('spawn_rate')}/s, {s.get('duration_s')} s, via {s.get('via')}, "
        f"{workers}, think time {s.get('think')} s), each a profile of its own "
        f"({sum((s.get('profiles') or {}).values())} profiles: {s.get('profiles')})",
        f"- operations: {result.total_requests}, failed: {result.total_failures}",
    ]
    for name in (RAMP, HELD):
        ph = result.throughput.get(name)
        if ph is not None:
            lines.append(f"- {name}: {ph.tps:.1f} tx/s ({ph.requests} operations in "
                         f"{ph.seconds:.0f} s)")
    if result.pgbench:
        pg = result.pgbench
        lines.append(
            f"- ceiling (pgbench on the same SQL through the same pooler, pool "
            f"{pg.get('pool_size') or '-'}, {pg.get('clients')} clients, {pg.get('seconds')} s, "
            f"a phase of its own right after the load): {pg.get('tps', 0):.1f} tx/s, "
            f"{pg.get('failed', 0)} failed; held / ceiling = {_opt(result.ratio)}"
        )
    if result.pooler:
        p = result.pooler
        lines.append(
            f"- pooler: max cl_waiting {p.get('max_cl_waiting')}, max maxwait "
            f"{p.get('max_maxwait_s', 0):.3f} s, max clients {p.get('max_clients')}, "
            f"pool size {p.get('pool_size')}"
        )
    if result.server:
        sv = result.server
        lines.append(
            f"- server: {sv.get('xact_commit', 0)} commits, {sv.get('xact_rollback', 0)} "
            f"rollbacks, {sv.get('deadlocks', 0)} deadlocks, "
            f"{sv.get('serialization_failures', 0)} serialization failures"
        )
    if result.server_settings:
        st = result.server_settings
        durable = st.get("fsync") == "on" and st.get("synchronous_commit") == "on"
        lines.append(
            f"- server settings ({'durable commits' if durable else 'commits NOT durable'}): "
            + ", ".join(f"{k} {v}" for k, v in st.items())
        )
    return lines


def _ops_table(result: LoadResult) -> list[str]:
    lines = ["| operation | class | requests | failures | p50 ms | p95 ms | p99 ms | max ms "
             "| ramp: requests, p95 ms | held: requests, tx/s, p50, p95, p99 ms |",
             "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    held_s = result.throughput[HELD].seconds if HELD in result.throughput else 0.0
    for o in sorted(result.ops, key=lambda o: o.name):
        cls = OPERATIONS[o.name].op_class.value if o.name in OPERATIONS else "-"
        ramp = result.phases.get(RAMP, {}).get(o.name)
        held = result.phases.get(HELD, {}).get(o.name)
        ramp_cell = f"{ramp.requests}, {_ms(ramp.p95_ms)}" if ramp else "-"
        held_cell = (f"{held.requests}, {held.requests / held_s if held_s else 0:.1f}, "
                     f"{_ms(held.p50_ms)}, {_ms(held.p95_ms)}, {_ms(held.p99_ms)}"
                     if held else "-")
        lines.append(
            f"| {o.name} | {cls} | {o.requests} | {o.failures} | {_ms(o.p50_ms)} "
            f"| {_ms(o.p95_ms)} | {_ms(o.p99_ms)} | {_ms(o.max_ms)} | {ramp_cell} | {held_cell} |"
        )
    return lines


def _cpu_table(result: LoadResult) -> list[str]:
    parts = ("server", "pooler", "generator")
    lines = ["| phase | seconds | tx/s | CPU ms per operation: server | pooler | load generator "
             "| cores busy (all three) |", "|---|--:|--:|--:|--:|--:|--:|"]
    rows: list[tuple[str, float, float, dict[str, float], int]] = [
        (n, ph.seconds, ph.tps, ph.cpu_s, ph.requests) for n, ph in result.throughput.items()]
    pg = result.pgbench
    if pg.get("cpu_s") and pg.get("transactions"):
        rows.append(("ceiling (pgbench)", float(pg["seconds"]), float(pg["tps"]),
                     dict(pg["cpu_s"]), int(pg["transactions"])))
    for name, seconds, tps, spent, n in rows:
        per = [_opt(spent[p] * 1000 / n if p in spent and n else None) for p in parts]
        if name.startswith("ceiling"):
            per[2] = "(pgbench)"
        busy = sum(spent.get(p, 0.0) for p in parts) / seconds if seconds else None
        lines.append(f"| {name} | {seconds:.0f} | {tps:.1f} | {' | '.join(per)} "
                     f"| {_opt(busy)} |")
    return lines


def _cost_table(result: LoadResult) -> list[str]:
    lines = ["Each operation alone through the same pooler (pgbench, 8 clients): CPU per "
             "operation, round trips the pooler saw, and the statements that ran "
             "(pg_stat_statements, nested ones from triggers and functions included).", "",
             "| operation | as | tx/s alone | server CPU ms | pooler CPU ms | round trips "
             "| server exec ms | heaviest statements (calls, ms per operation) |",
             "|---|---|--:|--:|--:|--:|--:|---|"]
    for c in result.costs:
        top = "; ".join(
            f"`{st['query'][:70]}` ({st['calls_per_op']}, {st['ms_per_op']})"
            for st in c["statements"][:3]).replace("|", "\\|")
        lines.append(
            f"| {c['op']} | {c['role']} | {c['tps']:.0f} | {c['server_cpu_ms']:.2f} "
            f"| {c['pooler_cpu_ms']:.2f} | {c['round_trips']:.1f} "
            f"| {_opt(c['server_exec_ms'])} | {top} |")
    return lines


def write_markdown(result: LoadResult, path: Path, plot: Path | None) -> None:
    """Write ``load.md``: verdict, figures per phase, CPU, per-operation tables, failures."""
    verdict = "FAIL" if result.findings else "PASS"
    lines = [f"# Load run {result.run_id}: {verdict}", "", f"`{result.command}`", "",
             *_summary(result)]
    lines += ["", "## Operations", "",
              "Whole run (Locust), then the two phases: while users were being spawned (ramp) "
              "and with all of them running (held). The verdict judges p95 held.", "",
              *_ops_table(result)]
    if result.throughput:
        lines += ["", "## Where the CPU went", "", *_cpu_table(result)]
    if result.statements:
        for st in result.statements:
            st["query"] = str(st["query"]).replace("|", "/")
        lines += ["", "## Statements of the load phase", "",
                  "Most server time first (pg_stat_statements; nested: run by a trigger or a "
                  "function).", "", "| statement | nested | calls | ms in all | ms per call |",
                  "|---|---|--:|--:|--:|"]
        lines += [f"| `{st['query'][:120]}` | {'' if st['toplevel'] else 'yes'} "
                  f"| {st['calls']} | {st['total_ms']:.0f} "
                  f"| {st['total_ms'] / max(st['calls'], 1):.3f} |"
                  for st in result.statements]
    if result.costs:
        lines += ["", "## Cost per operation", "", *_cost_table(result)]
    if result.comparison:
        lines += _side_by_side(result)
    lines += ["", "## Failures by SQLSTATE" + (" (HTTP: status and code)" if result.comparison
                                                else ""), ""]
    if result.failures:
        lines += ["| SQLSTATE and class | occurrences |", "|---|--:|"]
        lines += [f"| {k} | {v} |" for k, v in sorted(result.failures.items())]
    else:
        lines.append("none")
    lines += ["", "## Verdict (LOD100)", ""]
    lines += [f"- {f['object']}: {f['message']}" for f in result.findings] or ["all thresholds met"]
    if plot is not None:
        lines += ["", f"![throughput and p95 over time]({plot.name})"]
    path.write_text("\n".join(lines) + "\n")


def write_plot(history: list[dict[str, str]], path: Path) -> bool:
    """Plot throughput and p95 over time from the stats history; False without matplotlib."""
    if not history:
        return False
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    t0 = int(history[0]["Timestamp"])
    t = [int(r["Timestamp"]) - t0 for r in history]
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
    ax1.plot(t, [_f(r["Requests/s"]) for r in history], label="tx/s")
    ax1.plot(t, [_f(r["Failures/s"]) for r in history], label="failures/s", color="red")
    ax1.set_ylabel("per second")
    ax1.legend(loc="upper left")
    users = ax1.twinx()
    users.plot(t, [int(r["User Count"]) for r in history], color="grey", linestyle=":")
    users.set_ylabel("users")
    ax2.plot(t, [_f(r["95%"]) for r in history], label="p95 (ms)", color="orange")
    ax2.plot(t, [_f(r["50%"]) for r in history], label="p50 (ms)", color="green")
    ax2.set_ylabel("ms")
    ax2.set_xlabel("seconds")
    peak = max(int(r["User Count"]) for r in history)
    held = next(x for x, r in zip(t, history, strict=True) if int(r["User Count"]) == peak)
    for ax in (ax1, ax2):  # the verdict judges p95 from here on (load.latency)
        ax.axvline(held, color="grey", linewidth=0.8, linestyle="--")
    ax2.annotate(" all users running", (held, 0), xycoords=("data", "axes fraction"),
                 va="bottom", fontsize=8, color="grey")
    ax2.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True
