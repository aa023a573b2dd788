"""The load command end to end, the pooled-state leak check, and bad input (exit 2)."""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from harness.cli import main
from harness.errors import HarnessError
from harness.impersonate import Actor
from harness.schema_dir import SchemaDir
from harness.server import Server
from harness.workspace import Workspace
from load import leak, pgbench
from load.client import connect, timed, usable
from load.pooler import PoolerSettings, find_binary, run_pooler
from load.runner import raise_fd_limit
from tests.support import SUPABASE, TEST_DSN

SCHEMA = Path(__file__).resolve().parents[2] / "schema"
PGBOUNCER = "/usr/sbin/pgbouncer"
LOGIN_ROLE = "authenticator"
# Timings are reported, never asserted in a test (docs/budgets.md): the e2e run gets loose budgets.
LOOSE = ["--p95-simple-ms", "60000", "--p95-complex-ms", "60000"]


def _our_processes(marker: str) -> list[str]:
    """Command lines of live processes mentioning ``marker`` (pgbouncer / Locust leftovers)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in cmd:
            found.append(cmd)
    return found


def _load(*args: str, report_dir: Path) -> int:
    return main(["load", "--dsn", TEST_DSN, "--report-dir", str(report_dir), *args])


def _leaked_poolers() -> list[str]:
    """pgbouncers of a load run whose run is over (their temporary config folder is gone).

    Others on a shared machine run poolers of their own at the same moment: those still have
    their folder, and are none of this test's business.
    """
    return [cmd for cmd in _our_processes("dbh_pgbouncer_")
            if not any(Path(arg).exists() for arg in cmd.split() if "dbh_pgbouncer_" in arg)]


@pytest.fixture(scope="module")
def seeded_db(test_server: Server) -> Iterator[str]:
    """A clone of the MaintAInPro schema with its seed data."""
    with Workspace(test_server, SchemaDir.open(SCHEMA), seed_data=True, platform=SUPABASE) as ws, \
            ws.clone() as dsn:
        yield dsn


@pytest.mark.slow
def test_smoke_preset_end_to_end(tmp_path: Path) -> None:
    rc = _load("--preset", "smoke", "--users", "20", "--duration", "15", *LOOSE,
               report_dir=tmp_path)
    assert rc == 0
    (run_dir,) = tmp_path.iterdir()
    data = json.loads((run_dir / "load.json").read_text())
    assert data["total_failures"] == 0
    assert data["failures"] == {}
    assert data["total_requests"] > 50
    assert data["users_reached"] == 20
    assert {o["name"] for o in data["ops"]} >= {"my_work_orders", "work_order_detail"}
    # every request Locust counted is in one phase of the latency files; a user still in an
    # operation when the run stops may land in one count and not the other (20 users)
    phases = data["phases"]
    assert sum(p["requests"] for p in phases["held"].values()) > 0
    for op in data["ops"]:
        in_phases = sum(phases[ph].get(op["name"], {"requests": 0})["requests"]
                        for ph in ("ramp", "held"))
        assert abs(in_phases - op["requests"]) <= 20, op["name"]
    assert data["pgbench"]["tps"] > 0 and data["ratio_held_to_ceiling"] > 0
    # throughput per phase: the held phase ran every user, and the requests add up
    held = data["throughput"]["held"]
    assert held["requests"] == sum(p["requests"] for p in phases["held"].values())
    assert held["seconds"] > 0 and held["tps"] == pytest.approx(held["requests"] / held["seconds"])
    assert set(held["cpu_s"]) == {"server", "pooler", "generator"}
    # a real profile per simulated user, in the mix's role shares
    assert sum(data["settings"]["profiles"].values()) >= 20
    assert data["server_settings"]["fsync"] in ("on", "off")
    assert data["pooler"]["samples"] > 0
    assert data["server"]["leak_probes_failed"] == 0
    assert (run_dir / "load.md").read_text().startswith(f"# Load run {run_dir.name}: PASS")
    assert (run_dir / "load.png").stat().st_size > 0
    assert not _leaked_poolers() and not _our_processes(str(tmp_path))  # Locust's --csv path


def test_no_state_leaks_between_pooled_clients(seeded_db: str) -> None:
    with psycopg.connect(seeded_db) as conn:
        ids = [str(r[0]) for r in conn.execute("select id from public.profiles limit 10")]
    settings = PoolerSettings(seeded_db, max_client_conn=200, pool_size=2, binary=PGBOUNCER)
    with run_pooler(settings) as pooler:
        probes, leaks = leak.find_leaks(pooler.dsn(LOGIN_ROLE), LOGIN_ROLE, ids, clients=16,
                                        rounds=30)
    assert probes == 16 * 30  # every client ran every round: a probe that died would be missing
    assert leaks == []


def test_leak_check_sees_a_session_level_setting(seeded_db: str) -> None:
    """The probe is not blind: a set_config(..., false) on the only server connection shows."""
    settings = PoolerSettings(seeded_db, max_client_conn=50, pool_size=1, binary=PGBOUNCER)
    with run_pooler(settings) as pooler:
        with psycopg.connect(pooler.dsn(LOGIN_ROLE), autocommit=True,
                             prepare_threshold=None) as bad:
            bad.execute("select set_config('request.jwt.claims', '{\"sub\":\"x\"}', false)")
        probes, leaks = leak.find_leaks(pooler.dsn(LOGIN_ROLE), LOGIN_ROLE, [], clients=2,
                                        rounds=3)
    assert len(leaks) == probes


@pytest.mark.parametrize("batched", [True, False])
def test_failed_statement_is_reported_by_sqlstate_and_leaves_the_connection_reusable(
    seeded_db: str, batched: bool
) -> None:
    actor = Actor.user("00000000-0000-0000-0000-000000000001")
    with connect(seeded_db) as conn:
        failed = timed(conn, actor, ["select 1", "select 1 / 0", "select 2"], batched=batched)
        assert failed.failure is not None and failed.failure.sqlstate == "22012"
        assert usable(conn)  # rolled back, no result left unread
        again = timed(conn, actor, ["select 1"], batched=batched)
        assert again.failure is None


# Run under gevent as Locust runs the locustfile: the user's greenlet is killed mid-query.
_KILLED_MID_QUERY = """
from gevent import monkey
monkey.patch_all()
import sys, time, gevent, psycopg
from harness.impersonate import Actor
from load.client import connect, timed, usable

conn = connect(sys.argv[1])
actor = Actor.user("00000000-0000-0000-0000-000000000001")
user = gevent.spawn(timed, conn, actor, ["select pg_sleep(5)"], batched=sys.argv[2] == "1")
gevent.sleep(0.5)  # the query is in flight
t0 = time.monotonic()
user.kill(block=True, timeout=3)
print("dead" if user.dead else "alive", type(user.value).__name__,  # GreenletExit: killed
      "closed" if conn.closed else "open", "usable" if usable(conn) else "discarded",
      round(time.monotonic() - t0, 1))
with connect(sys.argv[1]) as fresh:
    print("fresh", timed(fresh, actor, ["select 1"], batched=True).failure)
"""


@pytest.mark.parametrize("batched", ["1", "0"])
def test_user_killed_mid_query_dies_and_its_connection_is_discarded(
    seeded_db: str, batched: str
) -> None:
    """Locust's stop kills users mid-operation: the kill must not be swallowed (a master that
    never exits), nor the connection reused with its results unread ("another command")."""
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_KILLED_MID_QUERY), seeded_db, batched],
        capture_output=True, text=True, timeout=60, check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout.split()
    # The kill took effect while pg_sleep(5) still ran: the user is dead before the query ended.
    assert out[:4] == ["dead", "GreenletExit", "closed", "discarded"], out
    assert out[5:] == ["fresh", "None"]


def test_pgbench_script_is_rendered_from_the_mix() -> None:
    assert pgbench.SCRIPT.read_text() == pgbench.render()


@pytest.mark.parametrize("option", ["--pgbouncer-bin", "--locust-bin", "--pgbench-bin"])
def test_missing_binary_exits_2(
    option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _load("--preset", "smoke", option, "/nonexistent/bin", report_dir=tmp_path) == 2
    err = capsys.readouterr().err
    assert "not found" in err and "hint:" in err
    assert not list(tmp_path.iterdir())  # failed before anything was created


def test_pgbouncer_missing_from_path_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    locust = find_binary("locust", "locust", "")
    pgb = find_binary("pgbench", "pgbench", "")
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on PATH and no sbin to fall back on
    monkeypatch.setattr("harness.tools.SYSTEM_DIRS", ())
    rc = _load("--preset", "smoke", "--locust-bin", locust, "--pgbench-bin", pgb,
               report_dir=tmp_path / "r")
    assert rc == 2
    assert "apt-get install pgbouncer" in capsys.readouterr().err


def test_port_in_use_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        rc = _load("--preset", "smoke", "--port", str(port), report_dir=tmp_path)
    assert rc == 2
    assert f"port {port}" in capsys.readouterr().err
    assert not _leaked_poolers()


def test_too_many_direct_users_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = _load("--preset", "smoke", "--via", "direct", "--users", "5000", report_dir=tmp_path)
    assert rc == 2
    assert "--via pgbouncer" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())  # refused before anything was built or written


def test_fd_limit_too_low_names_the_remedy() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        pytest.skip("no hard open-files limit here")
    with pytest.raises(HarnessError) as info:
        raise_fd_limit(hard + 1)
    assert "ulimit -n" in str(info.value) and "limits.conf" in str(info.value)


def test_users_beyond_the_fd_limit_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        pytest.skip("no hard open-files limit here")
    assert _load("--preset", "smoke", "--users", str(hard + 1), report_dir=tmp_path) == 2
    assert "ulimit -n" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
