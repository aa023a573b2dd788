"""One load run, phase by phase: database, pooler, Locust, ceiling, cost, report.

Order matters for a clean machine: every binary and limit is checked before anything starts, and
each resource is a context manager, so an error or Ctrl-C at any step stops the Locust processes
and pgbouncer (their whole process groups) and drops the databases.

The phases, each a function below: :func:`prepare_database` (schema, dataset, a profile per
simulated user, the work pool), :func:`open_target` (the private pgbouncer, or the server
directly), :func:`load_phase` (Locust; latency, throughput and CPU per phase),
:func:`ceiling_phase` (pgbench on the same SQL through the same pooler, in a separate phase
right after the load), :func:`cost_phase` (optional: each operation alone, see
:mod:`load.cost`) and the leak probe; :func:`execute` strings them together and writes the
report.
"""

from __future__ import annotations

import resource
import shlex
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from harness.errors import HarnessError
from harness.platform import profile
from harness.postgrest import find_postgrest
from harness.registry import Finding
from harness.schema_dir import SchemaDir
from harness.server import Server
from harness.workspace import Workspace
from load import cost, cpu, dataset, latency, leak, report, server_info
from load.client import CONNECT_OP
from load.http_phase import adopt, run_http_phase
from load.pgbench import PgbenchResult, run_pgbench
from load.pooler import Pooler, PoolerSettings, PoolSampler, find_binary, run_pooler
from load.settings import PRESETS, LoadSettings, preset
from load.swarm import Swarm, SwarmOptions, run_locust

__all__ = ["PRESETS", "LoadSettings", "execute", "preset", "raise_fd_limit"]

FD_MARGIN = 1024  # files besides client sockets: libraries, logs, CSVs, server connections
TARGET_MIN_CLIENT_CONN = 10_000
DIRECT_RESERVED = 10  # server connections left for the harness and others in --via direct
WARMUP_S = 2
TOP_STATEMENTS = 12  # statements of the load phase shown, most server time first
DRAIN_S = 60  # the load's clients leave the pooler before the ceiling is measured
WILDCARDS = ("0.0.0.0", "*", "::")

Progress = Callable[[str], None]


def raise_fd_limit(needed: int) -> int:
    """Raise the soft open-files limit to the hard one; HarnessError if that is below ``needed``.

    Children (pgbouncer, Locust) inherit the limit.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise HarnessError(
            f"the open-files limit is {hard} (hard); this run needs about {needed} "
            "(one socket per simulated user in pgbouncer)",
            hint=f"raise it: `ulimit -n {needed}` in the shell (as root, or after raising "
            "the hard limit in /etc/security/limits.conf: `* hard nofile 65536`), or run "
            "fewer --users",
        )
    if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or soft < hard):
        new = hard if hard != resource.RLIM_INFINITY else max(soft, needed)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        return int(new)
    return int(soft)


def check_environment(s: LoadSettings) -> dict[str, str]:
    """Resolve the binaries and limits a run needs, before anything is started."""
    bins = {
        "locust": find_binary(s.locust_bin, "locust", "pip install 'dbharness[load]' (locust) "
                              "or pass --locust-bin"),
        "pgbench": find_binary(s.pgbench_bin, "pgbench", "install postgresql-contrib / the "
                               "PostgreSQL client tools or pass --pgbench-bin"),
    }
    if s.via == "postgrest":
        bins["postgrest"] = str(find_postgrest(s.api))
    if s.via != "direct":  # --via postgrest also runs the SQL users through pgbouncer, beside
        bins["pgbouncer"] = find_binary(
            s.pgbouncer_bin, "pgbouncer",
            "install it (apt-get install pgbouncer) or pass --pgbouncer-bin /path/to/pgbouncer",
        )
    elif s.distributed:
        raise HarnessError("--expect-workers needs --via pgbouncer (workers on other machines "
                           "reach the database through the run's pooler)")
    raise_fd_limit(s.users + FD_MARGIN)
    if s.port is not None and s.via != "direct":
        from load.pooler import require_free_port

        require_free_port(s.port, _listen_host(s))
    return bins


def _listen_host(s: LoadSettings) -> str:
    return s.bind if s.distributed else "127.0.0.1"


def _pgbench_args(dsn: str) -> list[str]:
    p = conninfo_to_dict(dsn)
    host = str(p.get("host") or "127.0.0.1")
    return ["-h", "127.0.0.1" if host in WILDCARDS else host, "-p", str(p.get("port", "5432")),
            "-U", str(p["user"]), str(p["dbname"])]


# -------------------------------------------------------------------------------- database


@dataclass(frozen=True)
class Database:
    """The run's database: where it is and what :func:`load.dataset.prepare` put in it."""

    dsn: str
    prepared: dataset.Prepared


@contextmanager
def prepare_database(
    s: LoadSettings, server: Server, schema: SchemaDir, run_id: str, progress: Progress
) -> Iterator[Database]:
    """Yield a fresh database with the schema, its dataset, a profile per user and the work pool."""
    generated = dataset.has_generator(schema, s.scale)
    with Workspace(server, schema, seed_data=not generated, run_id=run_id,
                   platform=profile(s.platform)) as ws, \
            ws.clone() as dsn:
        if generated:
            progress(f"generating the {s.scale} dataset")
            dataset.generate_data(dsn, schema, s.scale, s.seed, progress)
        prepared = dataset.prepare(dsn, users=s.users, workers=s.worker_count,
                                   pool_work_orders=s.pool_work_orders, login_role=s.login_role)
        progress("vacuum and checkpoint: the load must not pay for the data just written")
        settle_database(dsn, checkpoint=server.embedded)
        progress(f"{len(prepared.actors)} profiles act as the {s.users} users "
                 f"({prepared.profiles_added} added), {prepared.pool_work_orders} work orders "
                 "in the pool")
        yield Database(dsn, prepared)


def settle_database(dsn: str, *, checkpoint: bool) -> None:
    """Vacuum and analyze, then (on a server of our own) checkpoint, before anything is measured.

    Generating the dataset writes gigabytes: without this, autovacuum and the checkpoint it
    triggers (with durable commits, flushing every page) run during the load and its CPU and
    I/O are charged to the operations. A server shared with others is left to checkpoint on its
    own schedule.
    """
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("vacuum (analyze)")
        if checkpoint:
            conn.execute("checkpoint")


# -------------------------------------------------------------------------------- target


@dataclass(frozen=True)
class Target:
    """Where the simulated users connect: the pooler (when there is one) or the server."""

    client_dsn: str  # as the login role; the host workers elsewhere use is in worker_dsn
    worker_dsn: str
    pooler: Pooler | None


@contextmanager
def open_target(
    s: LoadSettings, db_dsn: str, bins: dict[str, str], progress: Progress
) -> Iterator[Target]:
    """Start the private pgbouncer (or check the server can take every user directly)."""
    if s.via == "direct":
        dsn = make_conninfo(db_dsn, user=s.login_role)
        yield Target(dsn, dsn, None)
        return
    with run_pooler(PoolerSettings(
        db_dsn,
        max_client_conn=max(s.users + 200, TARGET_MIN_CLIENT_CONN if s.users >= 1000 else 0),
        pool_size=s.pool_size, port=s.port, binary=bins["pgbouncer"],
        users=(s.login_role, "postgres"), listen=_listen_host(s),
    )) as pooler:
        progress(f"pgbouncer on {pooler.listen}:{pooler.port} (transaction pooling, pool "
                 f"{s.pool_size})")
        local = pooler.dsn(s.login_role)
        # Workers on other machines: the bound address, or (bound to every address) an empty
        # host, which a worker replaces with its master's.
        remote = make_conninfo(local, host="" if s.bind in WILDCARDS else s.bind)
        yield Target(local, remote if s.distributed else local, pooler)


def _check_direct_capacity(s: LoadSettings, dsn: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute("select current_setting('max_connections')::int").fetchone()
    limit = int(row[0]) - DIRECT_RESERVED if row else 0
    if s.users > limit:
        raise HarnessError(
            f"--via direct opens one server connection per user: {s.users} users exceed the "
            f"{limit} the server can spare (max_connections - {DIRECT_RESERVED})",
            hint="use --via pgbouncer (the default) or fewer --users",
        )


# -------------------------------------------------------------------------------- CPU


@contextmanager
def server_cpu(server: Server, db_dsn: str) -> Iterator[Callable[[], float]]:
    """Yield a function giving the CPU seconds the server has spent so far.

    The embedded server's whole process tree (background writers included), else the backends
    of this database that this machine can see (a backend that exited keeps what it had spent).
    """
    pid = server_info.postmaster_pid(server.base_dir) if server.embedded else None
    if pid is not None:
        yield lambda: cpu.tree_seconds(pid)
        return
    seen: dict[int, float] = {}
    with psycopg.connect(db_dsn, autocommit=True) as conn:

        def backends() -> float:
            for (bpid,) in conn.execute("select pid from pg_stat_activity"
                                        " where datname = current_database()"):
                seen[int(bpid)] = max(seen.get(int(bpid), 0.0), cpu.cpu_seconds(int(bpid)))
            return sum(seen.values())

        yield backends


def cpu_groups(
    server: Callable[[], float], target: Target, swarm: Swarm
) -> dict[str, Callable[[], float]]:
    """Return the parts whose CPU a run accounts: server, pooler, the local Locust processes."""
    groups: dict[str, Callable[[], float]] = {
        "server": server,
        "generator": lambda: sum(cpu.tree_seconds(p) for p in swarm.pids()),
    }
    if target.pooler is not None:
        pooler_pid = target.pooler.process.pid
        groups["pooler"] = lambda: cpu.tree_seconds(pooler_pid)
    return groups


# -------------------------------------------------------------------------------- phases


@dataclass(frozen=True)
class LoadPhase:
    """What the Locust phase left: its CSV prefix and latency files, and what it cost."""

    prefix: Path
    latency_dir: Path
    server: dict[str, int]
    pooler: dict[str, Any]
    swarm_pids: list[int]


def load_phase(
    s: LoadSettings, bins: dict[str, str], db: Database, target: Target, out: Path,
    swarm: Swarm, progress: Progress,
) -> LoadPhase:
    """Run Locust against the target; the pool is sampled meanwhile."""
    latency_dir = out / "latency"
    latency_dir.mkdir(exist_ok=True)
    opts = SwarmOptions(target.worker_dsn, s.think, s.batched, s.worker_count, latency_dir)
    before = server_info.counters(db.dsn)
    where = (f"a master on {s.bind}:{s.master_port} waiting for {s.expect_workers} "
             "worker(s)" if s.distributed else f"{s.worker_count} process(es)")
    progress(f"Locust: {s.users} users, {s.spawn_rate}/s, {s.duration_s} s, {where}")
    prefix = out / "locust"
    started = time.monotonic()
    pool: dict[str, Any] = {}
    with ExitStack() as stack:
        sampler = (stack.enter_context(PoolSampler(target.pooler))
                   if target.pooler is not None else None)
        run_locust(s, bins["locust"], opts, prefix, out, swarm)
    if sampler is not None:
        pool = {"max_cl_waiting": sampler.max_cl_waiting, "max_maxwait_s": sampler.max_maxwait_s,
                "max_clients": sampler.max_cl_active, "pool_size": s.pool_size,
                "samples": len(sampler.samples), "sample_errors": sampler.errors,
                "stats": sampler.stats}
    after = server_info.counters(db.dsn)
    if not Path(f"{prefix}_stats.csv").exists():
        tail = "\n".join((out / "locust.log").read_text(errors="replace").splitlines()[-8:])
        raise HarnessError(f"Locust wrote no statistics; see {out}/locust.log:\n{tail}")
    progress(f"Locust done in {time.monotonic() - started:.0f} s")
    return LoadPhase(prefix, latency_dir, {k: after[k] - before[k] for k in after}, pool,
                     swarm.pids())


def ceiling_phase(
    s: LoadSettings, bins: dict[str, str], db: Database, target: Target, progress: Progress
) -> tuple[PgbenchResult, tuple[float, float]]:
    """Run pgbench on the mix's SQL through the same pooler (same pool) right after the load.

    Returns the result and the wall-clock window of pgbench alone (for its CPU), measured once
    the load's clients have left the pooler.
    """
    if target.pooler is not None and not target.pooler.wait_idle(DRAIN_S):
        progress(f"the pooler still had clients of the load after {DRAIN_S} s")
    progress(f"ceiling: pgbench {s.pgbench_clients} clients, {s.pgbench_seconds} s, same "
             "pooler")
    start = time.time()
    result = run_pgbench(bins["pgbench"], _pgbench_args(target.client_dsn),
                         clients=s.pgbench_clients, threads=2, seconds=s.pgbench_seconds,
                         variables=db.prepared.pgbench_variables())
    return result, (start, time.time())


def cost_phase(
    s: LoadSettings, bins: dict[str, str], db: Database, target: Target,
    admin: psycopg.Connection[Any], groups: dict[str, Callable[[], float]], statements: bool,
    progress: Progress,
) -> list[cost.OpCost]:
    """Each operation alone for ``s.cost_seconds`` (none when 0 or without a pooler)."""
    if not s.cost_seconds or target.pooler is None:
        return []
    return cost.measure(
        pgbench=bins["pgbench"], dsn_args=_pgbench_args(target.client_dsn), pooler=target.pooler,
        admin=admin, prepared=db.prepared, seconds=s.cost_seconds, server_cpu=groups["server"],
        pooler_cpu=groups["pooler"], statements=statements, progress=progress)


def _leaks(s: LoadSettings, db: Database, target: Target) -> list[leak.Leak]:
    if target.pooler is None:
        return []
    ids = [p.id for p in db.prepared.actors][:20]
    _probes, leaks = leak.find_leaks(target.client_dsn, s.login_role, ids)
    return leaks


# -------------------------------------------------------------------------------- the run


def execute(
    s: LoadSettings,
    server: Server,
    schema: SchemaDir,
    report_dir: Path,
    run_id: str,
    command: str,
    progress: Progress = lambda _m: None,
) -> report.LoadResult:
    """Run the whole load test and write its report; return the result (findings included)."""
    bins = check_environment(s)
    if s.via == "direct":  # refused before the database is built (that takes the longest)
        _check_direct_capacity(s, server.admin_dsn)
    out = report_dir / run_id
    out.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        progress("creating the database")
        db = stack.enter_context(prepare_database(s, server, schema, run_id, progress))
        # --via postgrest: the API path first, on the same data as the SQL users after
        http = (run_http_phase(s, bins, db.dsn, db.prepared, out, progress)
                if s.via == "postgrest" else None)
        admin = stack.enter_context(psycopg.connect(db.dsn, autocommit=True))
        settings = server_info.read_settings(admin)
        statements = server_info.enable_statements(admin)
        target = stack.enter_context(open_target(s, db.dsn, bins, progress))
        spent_by_server = stack.enter_context(server_cpu(server, db.dsn))
        swarm = Swarm()
        groups = cpu_groups(spent_by_server, target, swarm)
        # Warm every pooled server connection (catalog and plan caches, RLS functions) so that
        # the first second of the run does not measure backend start-up.
        run_pgbench(bins["pgbench"], _pgbench_args(target.client_dsn), clients=s.pool_size,
                    threads=2, seconds=WARMUP_S, variables=db.prepared.pgbench_variables())
        with cpu.CpuSampler(groups) as sampler:
            snap = server_info.statements(admin) if statements else {}
            phase = load_phase(s, bins, db, target, out, swarm, progress)
            ran = (server_info.statement_delta(snap, server_info.statements(admin))
                   if statements else [])
            pg, ceiling_window = ceiling_phase(s, bins, db, target, progress)
        (out / "pgbench.log").write_text(pg.output)
        costs = cost_phase(s, bins, db, target, admin, groups, statements, progress)
        leaks = _leaks(s, db, target)
        result = _result(s, run_id, command, db, phase, pg, sampler, ceiling_window, settings,
                         costs, leaks)
        if http is not None:  # the verdict and the report are the API path's; SQL beside it
            result = adopt(result, http, s.pool_size)
        judge(result, s, leaks)
        result.statements = [
            {"query": " ".join(st.query.split())[:200], "toplevel": st.toplevel,
             "calls": st.calls, "total_ms": round(st.total_ms, 1)}
            for st in ran[:TOP_STATEMENTS]]
    report.write_all(result, out)
    return result


def _result(
    s: LoadSettings, run_id: str, command: str, db: Database, phase: LoadPhase,
    pg: PgbenchResult, sampler: cpu.CpuSampler, ceiling_window: tuple[float, float],
    settings: dict[str, str], costs: list[cost.OpCost], leaks: list[leak.Leak],
) -> report.LoadResult:
    ops = report.read_stats(phase.prefix)
    history = report.read_history(phase.prefix)
    phases = latency.read(phase.latency_dir)
    clocks = latency.clocks(phase.latency_dir)
    windows = latency.windows(phase.latency_dir)
    throughput = {}
    for name, clock in clocks.items():
        requests = sum(st.requests for op, st in phases.get(name, {}).items() if op != CONNECT_OP)
        spent = sampler.between(*windows[name]) if name in windows else {}
        throughput[name] = report.PhaseFigures(
            seconds=clock.seconds, requests=requests,
            tps=requests / clock.seconds if clock.seconds else 0.0,
            cpu_s={**spent, "generator": clock.generator_cpu_s if s.distributed
                   else spent.get("generator", clock.generator_cpu_s)},
        )
    ceiling_cpu = sampler.between(*ceiling_window)
    result = report.LoadResult(
        run_id=run_id, command=command,
        settings={"users": s.users, "spawn_rate": s.spawn_rate, "duration_s": s.duration_s,
                  "via": s.via, "processes": s.processes, "expect_workers": s.expect_workers,
                  "batched": s.batched, "think": list(s.think), "pool_size": s.pool_size,
                  "scale": s.scale, "pool_work_orders": db.prepared.pool_work_orders,
                  "profiles": db.prepared.by_role(),
                  "profiles_added": db.prepared.profiles_added,
                  "p95_ms": s.thresholds.p95_ms,
                  "max_failure_ratio": s.thresholds.max_failure_ratio},
        server_settings=settings,
        ops=ops, failures=report.read_failures(phase.prefix),
        phases=phases, throughput=throughput,
        users_reached=report.users_reached(history),
        locust_tps=sum(o.rps for o in ops if o.name != CONNECT_OP),
        server=dict(phase.server),
        pooler=phase.pooler,
        pgbench={"tps": pg.tps, "transactions": pg.transactions, "failed": pg.failed,
                 "clients": pg.clients, "seconds": pg.seconds, "command": pg.command,
                 "cpu_s": ceiling_cpu, "pool_size": s.pool_size if s.via != "direct"
                 else None},
        costs=[asdict(c) for c in costs],
    )
    result.stopped_early = stopped_early(phase.prefix.parent / "locust.log")
    result.server["serialization_failures"] = sum(
        v for k, v in result.failures.items() if k.startswith("40001"))
    result.server["leak_probes_failed"] = len(leaks)
    result.plot_history = history
    return result


def judge(result: report.LoadResult, s: LoadSettings, leaks: list[leak.Leak]) -> None:
    """Set the run's findings: LOD100's thresholds, LOD101's leaks."""
    findings = report.judge(result, s.thresholds) + [
        Finding("LOD101", "pooler", f"after a request that ended with {lk.after} "
                f"({lk.actor}) a new transaction saw {lk.seen!r}")
        for lk in leaks[:20]
    ]
    result.findings = [{"check_id": f.check_id, "object": f.object, "message": f.message}
                       for f in findings]


EARLY_STOP_MARKERS = ("went missing", "Timeout waiting for all workers")


def stopped_early(log: Path) -> str:
    """Return the master's log lines that say the test was cut short or starved ("" if none)."""
    if not log.exists():
        return ""
    lines = [ln.split(": ", 1)[-1].strip() for ln in log.read_text(errors="replace").splitlines()
             if any(m in ln for m in EARLY_STOP_MARKERS)]
    return "; ".join(dict.fromkeys(lines))[:500]


def command_line(argv: list[str] | None = None) -> str:
    """Return the command as typed, for the report."""
    return "dbharness " + shlex.join(argv if argv is not None else sys.argv[1:])

