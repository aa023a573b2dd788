"""``--via postgrest``: the HTTP users (Locust FastHttpUser) through a private PostgREST.

Runs before the SQL users, on the same database and the same profiles; the run's verdict and
report are then the API path's, with the SQL path beside it (:func:`adopt`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from harness.api_client import ApiClient
from harness.errors import HarnessError
from harness.postgrest import PostgrestServer, binary_version
from load import latency, report, server_info
from load.dataset import Prepared
from load.settings import LoadSettings
from load.swarm import run_locust

HTTP_LOCUSTFILE = Path(__file__).with_name("http_locustfile.py")


@dataclass
class HttpPhase:
    """What the HTTP users measured."""

    ops: list[report.OpStats]
    failures: dict[str, int]
    phases: dict[str, dict[str, latency.PhaseStats]]
    history: list[dict[str, str]]
    server: dict[str, Any]
    version: str


def write_actors(prepared: Prepared, path: Path) -> Path:
    """Write the callers as the HTTP locustfile reads them: {role: [{id, email, warehouse_id}]}."""
    by_role: dict[str, list[dict[str, str]]] = {}
    for p in prepared.actors:
        by_role.setdefault(p.role, []).append(
            {"id": p.id, "email": p.email, "warehouse_id": p.warehouse_id})
    path.write_text(json.dumps(by_role))
    return path


def run_http_phase(
    s: LoadSettings, bins: dict[str, str], db_dsn: str, prepared: Prepared, out: Path,
    progress: Callable[[str], None],
) -> HttpPhase:
    """Run the HTTP users through a private PostgREST on ``db_dsn``."""
    binary = Path(bins["postgrest"])
    settings = replace(s.api, db_pool=s.pool_size, login_role=s.login_role)
    http_out = out / "http"
    latency_dir = http_out / "latency"
    latency_dir.mkdir(parents=True, exist_ok=True)
    actors = write_actors(prepared, http_out / "actors.json")
    with PostgrestServer(db_dsn, settings, binary) as api:
        client = ApiClient(api.url, api.jwt_secret)
        offset = client.server_now() - time.time()
        progress(f"PostgREST {binary_version(binary)} on {api.url} (db-pool {s.pool_size})")
        env = {
            "DBH_LOAD_API_URL": api.url, "DBH_LOAD_JWT_SECRET": api.jwt_secret,
            "DBH_LOAD_CLOCK_OFFSET": f"{offset:.3f}", "DBH_LOAD_ACTORS": str(actors),
            "DBH_LOAD_THINK": f"{s.think[0]},{s.think[1]}",
            latency.LATENCY_DIR_ENV: str(latency_dir),
        }
        before = server_info.counters(db_dsn)
        progress(f"Locust over HTTP: {s.users} users, {s.spawn_rate}/s, {s.duration_s} s")
        prefix = http_out / "locust"
        run_locust(s, bins["locust"], None, prefix, http_out, locustfile=HTTP_LOCUSTFILE,
                   env=env)
        after = server_info.counters(db_dsn)
    if not Path(f"{prefix}_stats.csv").exists():
        tail = "\n".join((http_out / "locust.log").read_text(errors="replace").splitlines()[-8:])
        raise HarnessError(f"Locust wrote no statistics; see {http_out}/locust.log:\n{tail}")
    return HttpPhase(
        ops=report.read_stats(prefix), failures=report.read_failures(prefix),
        phases=latency.read(latency_dir), history=report.read_history(prefix),
        server={k: after[k] - before[k] for k in after}, version=binary_version(binary),
    )


def adopt(result: report.LoadResult, http: HttpPhase, pool_size: int) -> report.LoadResult:
    """Return ``result`` judged on the API path, the SQL path's figures kept beside it."""
    sql_side = report.side_summary(result)
    return replace(
        result, ops=http.ops, failures=http.failures, phases=http.phases,
        users_reached=report.users_reached(http.history),
        locust_tps=sum(o.rps for o in http.ops), server=http.server,
        comparison={"sql": sql_side, "http": {"postgrest": http.version, "db_pool": pool_size}},
        plot_history=http.history, throughput={},
    )
