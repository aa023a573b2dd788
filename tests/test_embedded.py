"""The embedded throwaway cluster: starts (also as root), is usable, and leaves nothing behind."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg
import pytest

from harness.config import HarnessConfig
from harness.embedded import THROWAWAY_SETTINGS, find_bindir
from harness.errors import ConnectionFailed, ServerBinariesMissing
from harness.server import open_server
from harness.workspace import Workspace
from tests.support import NOTES_MIGRATION, ROLES_BOOTSTRAP, SchemaFactory, scalar

REPO = Path(__file__).resolve().parents[1]
# Starts an embedded cluster, prints "<base_dir> <dsn>", then waits to be signalled.
HOLD_SCRIPT = textwrap.dedent("""
    import time
    from harness.config import HarnessConfig
    from harness.server import open_server
    with open_server(HarnessConfig(dsn=None)) as server:
        print(server.base_dir, server.admin_dsn, flush=True)
        time.sleep(120)
""")


def _port_of(dsn: str) -> int:
    return int(psycopg.conninfo.conninfo_to_dict(dsn)["port"] or 0)


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_embedded_cluster_runs_a_workspace_and_is_fully_removed(
    make_schema: SchemaFactory,
) -> None:
    schema = make_schema(
        migrations={"0001_notes.sql": NOTES_MIGRATION}, bootstrap={"00_roles.sql": ROLES_BOOTSTRAP}
    )
    started = time.perf_counter()
    with open_server(HarnessConfig(dsn=None)) as server:
        startup = time.perf_counter() - started
        assert server.embedded and server.is_superuser
        assert server.base_dir is not None and server.base_dir.is_dir()
        base_dir, port = server.base_dir, _port_of(server.admin_dsn)
        postmaster_pid = int((base_dir / "data" / "postmaster.pid").read_text().split()[0])
        if os.geteuid() == 0:  # initdb/postgres refuse root: they must run as someone else
            assert (base_dir / "data").stat().st_uid != 0
        with server.connect() as conn:
            settings = dict(conn.execute(
                "select name, setting || coalesce(unit, '') from pg_settings"
                " where name = any(%s)", (list(THROWAWAY_SETTINGS),),
            ).fetchall())
            assert conn.execute("select current_user").fetchone() == ("postgres",)
        assert settings["fsync"] == "off" and settings["max_connections"] == "200"
        assert settings["shared_buffers"] == "32768" + "8kB"  # 256MB in 8kB pages
        with Workspace(server, schema, seed_data=False) as ws, ws.clone() as dsn:
            assert scalar(dsn, "select count(*) from public.notes") == 0
        stopping = time.perf_counter()
    shutdown = time.perf_counter() - stopping
    print(f"embedded start {startup:.2f}s, stop {shutdown:.2f}s")

    assert not base_dir.exists()
    assert _port_is_free(port)
    assert not _alive(postmaster_pid)


def test_cluster_is_removed_when_the_block_raises() -> None:
    with pytest.raises(RuntimeError), open_server(HarnessConfig(dsn=None)) as server:
        base_dir = server.base_dir
        raise RuntimeError("boom")
    assert base_dir is not None and not base_dir.exists()


def test_sigterm_stops_and_removes_the_cluster(tmp_path: Path) -> None:
    script = tmp_path / "hold.py"
    script.write_text(HOLD_SCRIPT)
    proc = subprocess.Popen(
        [sys.executable, str(script)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else ""
        base_dir, dsn = line.split(" ", 1)
        with psycopg.connect(dsn.strip()) as conn:
            conn.execute("select 1")
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not Path(base_dir).exists()
    assert _port_is_free(_port_of(dsn.strip()))


def test_postmaster_dies_with_a_killed_harness(tmp_path: Path) -> None:
    """SIGKILL skips every cleanup; the parent-death signal still stops the server."""
    script = tmp_path / "hold.py"
    script.write_text(HOLD_SCRIPT)
    proc = subprocess.Popen(
        [sys.executable, str(script)], cwd=REPO, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None
    base_dir = Path(proc.stdout.readline().split(" ", 1)[0])
    try:
        pid = int((base_dir / "data" / "postmaster.pid").read_text().split()[0])
        proc.kill()
        proc.wait(timeout=30)
        deadline = time.monotonic() + 20
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(pid)
    finally:
        shutil.rmtree(base_dir, ignore_errors=True)  # nothing else can remove it after SIGKILL


def test_missing_binaries_say_what_was_probed_and_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ServerBinariesMissing) as info:
        find_bindir([tmp_path / "nowhere"])
    assert str(tmp_path / "nowhere") in str(info.value)
    assert "apt-get install postgresql-15" in str(info.value)
    assert info.value.exit_code == 2


def test_unreachable_dsn_names_what_was_probed() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dsn = f"host=127.0.0.1 port={port} user=postgres password=hunter2 dbname=postgres"
    with pytest.raises(ConnectionFailed) as info, open_server(HarnessConfig(dsn=dsn)):
        pass
    message = str(info.value)
    assert f"port={port}" in message and "hint:" in message
    assert "hunter2" not in message
