"""A distributed load run across test hosts: the database, the Locust master (with its pooler)
and two workers each in a network namespace of its own, talking over a bridged test network.

``dbharness load --expect-workers 2 --bind <master>`` runs the master only; ``dbharness
load-worker --master <master>`` runs on each worker host. The workers get everything from the
master (pooler address, think time, worker count) and their callers from the database through
the pooler, so the run proves the whole path: every simulated user on a worker host, its SQL
through the master host's pooler to the database host.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.load.netns import Hosts, namespaces_left, network_hosts

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
USERS = 40

# Runs inside the database host: an embedded server listening on its test address as well,
# trusting the test network; it prints its port and runs until stdin closes.
DATABASE_HOST = """
import sys
from harness.embedded import EmbeddedCluster
addr, net = sys.argv[1], sys.argv[2]
with EmbeddedCluster(settings={"max_connections": "100", "listen_addresses": f"127.0.0.1,{addr}",
                               "fsync": "on", "synchronous_commit": "on"}) as pg:
    with open(pg.data_dir / "pg_hba.conf", "a") as hba:
        hba.write(f"host all all {net} trust\\n")
    import psycopg
    with psycopg.connect(pg.admin_dsn, autocommit=True) as conn:
        conn.execute("select pg_reload_conf()")
    print(pg.port, flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def hosts() -> Iterator[Hosts]:
    with network_hosts(["db", "master", "w1", "w2"]) as made:
        yield made
    assert not [ns for ns in namespaces_left() if ns in made.namespace.values()]


def _start(hosts: Hosts, host: str, cmd: list[str], log: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(hosts.run(host, cmd), cwd=ROOT, stdin=subprocess.PIPE, text=True,
                            stdout=open(log, "w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_master_and_workers_on_other_hosts(hosts: Hosts, tmp_path: Path) -> None:
    db_addr, master_addr = hosts.address["db"], hosts.address["master"]
    net = db_addr.rsplit(".", 1)[0] + ".0/24"
    database = subprocess.Popen(
        hosts.run("db", [sys.executable, "-c", textwrap.dedent(DATABASE_HOST), db_addr, net]),
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        start_new_session=True)
    workers: list[subprocess.Popen[str]] = []
    try:
        assert database.stdout is not None
        port = int(database.stdout.readline())
        dsn = f"host={db_addr} port={port} user=postgres dbname=postgres"
        workers = [_start(hosts, w, [str(BIN / "dbharness"), "load-worker", "--master",
                                     master_addr, "--users", str(USERS)], tmp_path / f"{w}.log")
                   for w in ("w1", "w2")]
        master = subprocess.run(
            hosts.run("master", [
                str(BIN / "dbharness"), "load", "--dsn", dsn, "--scale", "seed",
                "--users", str(USERS), "--spawn-rate", "20", "--duration", "12",
                "--think-time", "0.5:1.5", "--expect-workers", "2", "--bind", master_addr,
                "--pgbench-seconds", "2", "--report-dir", str(tmp_path / "reports"),
                "--p95-simple-ms", "600000", "--p95-complex-ms", "600000"]),
            cwd=ROOT, capture_output=True, text=True, timeout=600)
        for w in workers:
            w.wait(60)  # a worker exits when its master ends the run
    finally:
        for w in workers:
            _stop(w)
        if database.stdin is not None:
            database.stdin.close()
        _stop(database)
    assert master.returncode == 0, master.stdout[-3000:] + master.stderr[-3000:]
    assert [w.returncode for w in workers] == [0, 0]
    (run,) = (tmp_path / "reports").iterdir()
    data = json.loads((run / "load.json").read_text())
    assert data["settings"]["expect_workers"] == 2
    assert data["users_reached"] == USERS and data["total_failures"] == 0
    # both worker hosts ran users and sent their latency to the master host
    sent = sorted(p.name for p in (run / "latency").glob("latency-*.json"))
    assert sent == ["latency-worker0.json", "latency-worker1.json"]
    per_worker = [sum(sum(h.values()) for h in json.loads(p.read_text())["hist"]["held"].values())
                  for p in sorted((run / "latency").glob("latency-*.json"))]
    assert all(n > 0 for n in per_worker), per_worker
    assert data["throughput"]["held"]["requests"] == sum(per_worker)
    assert data["pgbench"]["tps"] > 0  # the ceiling, from the master host through its pooler
    print(f"distributed run: hosts db={db_addr} master={master_addr} w1={hosts.address['w1']} "
          f"w2={hosts.address['w2']}; {USERS} users, {data['total_requests']} operations "
          f"({per_worker} held per worker), verdict {'FAIL' if data['findings'] else 'PASS'}")
