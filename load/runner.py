"""One load run: database, pooler, Locust, pgbench, report; everything started is stopped.

Order matters for a clean machine: every binary and limit is checked before anything starts, and
each resource is a context manager or a ``finally``, so an error or Ctrl-C at any step stops
the Locust processes and pgbouncer (their whole process groups) and drops the databases.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from harness.api_client import ApiClient
from harness.config import ApiSettings
from harness.errors import HarnessError
from harness.postgrest import PostgrestServer, binary_version, find_postgrest
from harness.registry import Finding
from harness.schema_dir import SchemaDir
from harness.server import Server
from harness.workspace import Workspace
from load import dataset, latency, leak, report
from load.client import CONNECT_OP
from load.pgbench import run_pgbench
from load.pooler import PoolerSettings, PoolSampler, find_binary, free_port, run_pooler, stop_group

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
HTTP_LOCUSTFILE = Path(__file__).with_name("http_locustfile.py")
REPO_ROOT = Path(__file__).resolve().parent.parent
FD_MARGIN = 1024  # files besides client sockets: libraries, logs, CSVs, server connections
TARGET_MIN_CLIENT_CONN = 10_000
DIRECT_RESERVED = 10  # server connections left for the harness and others in --via direct
STARTUP_GRACE_S = 90
WARMUP_S = 2  # Locust start-up, worker hand-shake and spawn beyond --duration
WORKER_EXIT_S = 15  # a worker's own exit after the master's, before it is terminated


@dataclass(frozen=True)
class LoadSettings:
    """Every setting of a load run (a preset fills them, options override)."""

    users: int = 50
    spawn_rate: float = 25.0
    duration_s: int = 10
    via: str = "pgbouncer"
    processes: int = 1
    think: tuple[float, float] = (0.5, 1.5)
    port: int | None = None
    pool_size: int = 20
    pgbench_seconds: int = 5
    pgbench_clients: int = 20
    pool_work_orders: int = 2000
    scale: str = "ci"  # the schema generator's scale; "seed" (or no generator): seed data
    seed: int = 20261125
    login_role: str = "authenticator"
    batched: bool = True  # a transaction in one round trip (see load.client.run_batched)
    pgbouncer_bin: str = "pgbouncer"
    locust_bin: str = "locust"
    pgbench_bin: str = "pgbench"
    thresholds: report.Thresholds = field(default_factory=report.Thresholds)
    # --via postgrest: the PostgREST the HTTP users go through (its db_pool becomes pool_size)
    api: ApiSettings = field(default_factory=ApiSettings)


PRESETS: dict[str, LoadSettings] = {
    # CI: a minute at most, including database preparation.
    "smoke": LoadSettings(scale="tiny"),
    # BUDGETS.md: 10,000 concurrent users. Plant-floor users (technicians at the machine,
    # clerks at the store) touch a screen every one to two minutes: ~110 tx/s offered, a third
    # of what pgbench reaches on 2 cores beside the load generator. The ramp (100 users/s,
    # each opening a connection) takes 100 s of the 300; p95 is judged once all users run.
    "target": LoadSettings(
        users=10_000, spawn_rate=100.0, duration_s=300, processes=2, think=(60.0, 120.0),
        pgbench_seconds=20, pgbench_clients=40, pool_work_orders=20_000,
    ),
    # The same users acting every 10-30 s: ~500 tx/s offered, beyond the ceiling of a 2-core
    # machine (requests queue in the pooler); for capacity planning on bigger servers.
    "peak": LoadSettings(
        users=10_000, spawn_rate=500.0, duration_s=150, processes=2, think=(10.0, 30.0),
        pgbench_seconds=20, pgbench_clients=40, pool_work_orders=20_000,
    ),
}


def preset(name: str, **overrides: Any) -> LoadSettings:
    """Return preset ``name`` with the non-None ``overrides`` applied."""
    return replace(PRESETS[name], **{k: v for k, v in overrides.items() if v is not None})


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
    raise_fd_limit(s.users + FD_MARGIN)
    return bins


@contextmanager
def _started(cmd: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            cmd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield proc
    finally:
        stop_group(proc)


def run_locust(
    s: LoadSettings, locust: str, env: dict[str, str], prefix: Path, logdir: Path,
    locustfile: Path = LOCUSTFILE,
) -> int:
    """Run Locust headless (master + workers when processes > 1); return the master's code."""
    common = ["-f", str(locustfile), "--loglevel", "WARNING"]
    run = [
        "--headless", "-u", str(s.users), "-r", str(s.spawn_rate), "-t", f"{s.duration_s}s",
        "--csv", str(prefix), "--csv-full-history", "--only-summary", "--stop-timeout", "5",
    ]
    timeout = s.duration_s + s.users / max(s.spawn_rate, 0.1) + STARTUP_GRACE_S
    with ExitStack() as stack:
        if s.processes <= 1:
            master = stack.enter_context(
                _started([locust, *common, *run], env, logdir / "locust.log"))
        else:
            port = free_port()
            master = stack.enter_context(_started(
                [locust, *common, *run, "--master", "--master-bind-host", "127.0.0.1",
                 "--master-bind-port", str(port), "--expect-workers", str(s.processes),
                 "--expect-workers-max-wait", "60"],
                env, logdir / "locust.log"))
            workers = [stack.enter_context(_started(
                [locust, *common, "--worker", "--master-host", "127.0.0.1",
                 "--master-port", str(port)],
                env, logdir / f"locust-worker{i}.log")) for i in range(s.processes)]
        try:
            code = master.wait(timeout)
        except subprocess.TimeoutExpired:
            raise HarnessError(
                f"Locust did not finish within {timeout:.0f} s; see {logdir}/locust*.log"
            ) from None
        if s.processes > 1:
            # Workers quit on the master's word after writing their latency file (test_stop):
            # let them, rather than cut them off with the process group's TERM.
            for w in workers:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    w.wait(WORKER_EXIT_S)
        return code


def _server_counters(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(
            "select xact_commit, xact_rollback, deadlocks from pg_stat_database"
            " where datname = current_database()"
        ).fetchone()
    assert row is not None
    return {"xact_commit": row[0], "xact_rollback": row[1], "deadlocks": row[2]}


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


def _pgbench_args(dsn: str) -> list[str]:
    p = conninfo_to_dict(dsn)
    return ["-h", str(p.get("host", "127.0.0.1")), "-p", str(p.get("port", "5432")),
            "-U", str(p["user"]), str(p["dbname"])]


def execute(
    s: LoadSettings,
    server: Server,
    schema: SchemaDir,
    report_dir: Path,
    run_id: str,
    command: str,
    progress: Callable[[str], None] = lambda _m: None,
) -> report.LoadResult:
    """Run the whole load test and write its report; return the result (findings included)."""
    bins = check_environment(s)
    if s.port is not None and s.via != "direct":
        from load.pooler import require_free_port

        require_free_port(s.port)
    out = report_dir / run_id
    out.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        progress("creating the database")
        generated = dataset.has_generator(schema, s.scale)
        ws = stack.enter_context(
            Workspace(server, schema, seed_data=not generated, run_id=run_id))
        db_dsn = stack.enter_context(ws.clone())
        if generated:
            progress(f"generating the {s.scale} dataset")
            dataset.generate_data(db_dsn, schema, s.scale, s.seed, progress)
        by_role, n_actors, pool = dataset.prepare(
            db_dsn, users=s.users, pool_work_orders=s.pool_work_orders, login_role=s.login_role)
        progress(f"{sum(map(len, by_role.values()))} profiles, {pool} work orders in the pool")

        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dbh_load_")))
        actors = tmp / "actors.json"
        actors.write_text(json.dumps(
            {r: [{"id": p.id, "email": p.email, "warehouse_id": p.warehouse_id} for p in ps]
             for r, ps in by_role.items()}))
        http: HttpPhase | None = None
        if s.via == "postgrest":  # the API path first, on the same data as the SQL users after
            http = run_http_phase(s, bins, db_dsn, actors, out, progress)
        sampler: PoolSampler | None = None
        if s.via != "direct":
            pooler = stack.enter_context(run_pooler(PoolerSettings(
                db_dsn,
                max_client_conn=max(s.users + 200, TARGET_MIN_CLIENT_CONN if s.users >= 1000
                                    else 0),
                pool_size=s.pool_size, port=s.port, binary=bins["pgbouncer"],
                users=(s.login_role, "postgres"),
            )))
            client_dsn = pooler.dsn(s.login_role)
            progress(f"pgbouncer on 127.0.0.1:{pooler.port} (transaction pooling, pool "
                     f"{s.pool_size})")
            sampler = PoolSampler(pooler)
        else:
            _check_direct_capacity(s, db_dsn)
            client_dsn = make_conninfo(db_dsn, user=s.login_role)

        latency_dir = out / "latency"
        latency_dir.mkdir(exist_ok=True)
        env = dict(os.environ)
        env.update({
            "DBH_LOAD_DSN": client_dsn, "DBH_LOAD_ACTORS": str(actors),
            "DBH_LOAD_THINK": f"{s.think[0]},{s.think[1]}",
            "DBH_LOAD_BATCHED": "1" if s.batched else "0",
            latency.LATENCY_DIR_ENV: str(latency_dir),
            "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), env.get("PYTHONPATH", "")]),
        })
        # Warm every pooled server connection (catalog and plan caches, RLS functions) so that
        # the first second of the run does not measure backend start-up.
        run_pgbench(bins["pgbench"], _pgbench_args(client_dsn), clients=s.pool_size, threads=2,
                    seconds=WARMUP_S, actors=n_actors)
        before = _server_counters(db_dsn)
        progress(f"Locust: {s.users} users, {s.spawn_rate}/s, {s.duration_s} s")
        prefix = out / "locust"
        started = time.monotonic()
        if sampler is not None:
            with sampler:
                run_locust(s, bins["locust"], env, prefix, out)
        else:
            run_locust(s, bins["locust"], env, prefix, out)
        after = _server_counters(db_dsn)
        if not Path(f"{prefix}_stats.csv").exists():
            tail = "\n".join((out / "locust.log").read_text(errors="replace").splitlines()[-8:])
            raise HarnessError(f"Locust wrote no statistics; see {out}/locust.log:\n{tail}")
        progress(f"Locust done in {time.monotonic() - started:.0f} s; pgbench "
                 f"{s.pgbench_clients} clients, {s.pgbench_seconds} s")
        pg = run_pgbench(bins["pgbench"], _pgbench_args(client_dsn), clients=s.pgbench_clients,
                         threads=2, seconds=s.pgbench_seconds, actors=n_actors)
        (out / "pgbench.log").write_text(pg.output)
        leaks: list[leak.Leak] = []
        if s.via != "direct":
            ids = [p.id for ps in by_role.values() for p in ps][:20]
            _probes, leaks = leak.find_leaks(client_dsn, s.login_role, ids)

        ops = report.read_stats(prefix)
        history = report.read_history(prefix)
        result = report.LoadResult(
            run_id=run_id, command=command,
            settings={"users": s.users, "spawn_rate": s.spawn_rate, "duration_s": s.duration_s,
                      "via": s.via, "processes": s.processes, "batched": s.batched,
                      "think": list(s.think),
                      "pool_size": s.pool_size, "scale": s.scale, "pool_work_orders": pool,
                      "p95_ms": s.thresholds.p95_ms,
                      "max_failure_ratio": s.thresholds.max_failure_ratio},
            ops=ops, failures=report.read_failures(prefix),
            phases=latency.read(latency_dir),
            users_reached=report.users_reached(history),
            locust_tps=sum(o.rps for o in ops if o.name != CONNECT_OP),
            server={k: after[k] - before[k] for k in after},
            pgbench={"tps": pg.tps, "transactions": pg.transactions, "failed": pg.failed,
                     "clients": pg.clients, "seconds": pg.seconds, "command": pg.command},
        )
        result.server["serialization_failures"] = sum(
            v for k, v in result.failures.items() if k.startswith("40001"))
        result.server["leak_probes_failed"] = len(leaks)
        if sampler is not None:
            result.pooler = {
                "max_cl_waiting": sampler.max_cl_waiting, "max_maxwait_s": sampler.max_maxwait_s,
                "max_clients": sampler.max_cl_active, "pool_size": s.pool_size,
                "samples": len(sampler.samples), "sample_errors": sampler.errors,
                "stats": sampler.stats,
            }
        if http is not None:  # the verdict and the report are the API path's; SQL beside it
            sql_side = report.side_summary(result)
            result = replace(
                result, ops=http.ops, failures=http.failures, phases=http.phases,
                users_reached=report.users_reached(http.history),
                locust_tps=sum(o.rps for o in http.ops), server=http.server,
                comparison={"sql": sql_side, "http": {"postgrest": http.version,
                                                     "db_pool": s.pool_size}},
            )
            history = http.history
        findings = report.judge(result, s.thresholds) + [
            Finding("LOD101", "pooler", f"after a request that ended with {lk.after} "
                    f"({lk.actor}) a new transaction saw {lk.seen!r}")
            for lk in leaks[:20]
        ]
        result.findings = [{"check_id": f.check_id, "object": f.object, "message": f.message}
                           for f in findings]
        plot = out / "load.png"
        has_plot = report.write_plot(history, plot)
        report.write_json(result, out / "load.json")
        report.write_markdown(result, out / "load.md", plot if has_plot else None)
        return result


@dataclass
class HttpPhase:
    """What the HTTP users measured."""

    ops: list[report.OpStats]
    failures: dict[str, int]
    phases: dict[str, dict[str, latency.PhaseStats]]
    history: list[dict[str, str]]
    server: dict[str, Any]
    version: str


def run_http_phase(
    s: LoadSettings, bins: dict[str, str], db_dsn: str, actors: Path, out: Path,
    progress: Callable[[str], None],
) -> HttpPhase:
    """Run the HTTP users (FastHttpUser) through a private PostgREST on ``db_dsn``."""
    binary = Path(bins["postgrest"])
    settings = replace(s.api, db_pool=s.pool_size, login_role=s.login_role)
    http_out = out / "http"
    latency_dir = http_out / "latency"
    latency_dir.mkdir(parents=True, exist_ok=True)
    with PostgrestServer(db_dsn, settings, binary) as api:
        client = ApiClient(api.url, api.jwt_secret)
        offset = client.server_now() - time.time()
        progress(f"PostgREST {binary_version(binary)} on {api.url} (db-pool {s.pool_size})")
        env = dict(os.environ)
        env.update({
            "DBH_LOAD_API_URL": api.url, "DBH_LOAD_JWT_SECRET": api.jwt_secret,
            "DBH_LOAD_CLOCK_OFFSET": f"{offset:.3f}", "DBH_LOAD_ACTORS": str(actors),
            "DBH_LOAD_THINK": f"{s.think[0]},{s.think[1]}",
            latency.LATENCY_DIR_ENV: str(latency_dir),
            "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), env.get("PYTHONPATH", "")]),
        })
        before = _server_counters(db_dsn)
        progress(f"Locust over HTTP: {s.users} users, {s.spawn_rate}/s, {s.duration_s} s")
        prefix = http_out / "locust"
        run_locust(s, bins["locust"], env, prefix, http_out, locustfile=HTTP_LOCUSTFILE)
        after = _server_counters(db_dsn)
    if not Path(f"{prefix}_stats.csv").exists():
        tail = "\n".join((http_out / "locust.log").read_text(errors="replace").splitlines()[-8:])
        raise HarnessError(f"Locust wrote no statistics; see {http_out}/locust.log:\n{tail}")
    return HttpPhase(
        ops=report.read_stats(prefix), failures=report.read_failures(prefix),
        phases=latency.read(latency_dir), history=report.read_history(prefix),
        server={k: after[k] - before[k] for k in after}, version=binary_version(binary),
    )


def command_line(argv: list[str] | None = None) -> str:
    """Return the command as typed, for the report."""
    return "dbharness " + shlex.join(argv if argv is not None else sys.argv[1:])
