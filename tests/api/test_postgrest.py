"""The managed PostgREST serves a scratch database and leaves nothing behind, however it ends."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import jwt
import pytest

from harness.cli import main
from harness.config import ApiSettings, parse_table
from harness.errors import ConfigError
from harness.postgrest import PostgrestMissing, PostgrestServer, find_postgrest, resolve
from tests.support import TEST_DSN, notes_dsn

REPO = Path(__file__).resolve().parents[2]


def _get(url: str, token: str | None = None) -> tuple[int, object]:
    req = urllib.request.Request(url)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serves_the_database_with_its_own_secret_and_is_fully_removed(
    postgrest_bin: Path, api_settings: ApiSettings
) -> None:
    with notes_dsn() as dsn:
        with PostgrestServer(dsn, replace(api_settings, pre_request=None), postgrest_bin) as srv:
            assert srv.base_dir is not None
            base_dir, port, pid = srv.base_dir, srv.port, srv.pid
            assert port is not None and pid is not None
            token = jwt.encode({"role": "authenticated", "sub": "00000000-0000-4000-8000-"
                                "00000000a11c"}, srv.jwt_secret, algorithm="HS256")
            status, body = _get(f"{srv.url}/notes?select=body&order=body", token)
            assert status == 200 and body == [{"body": "alice 1"}, {"body": "alice 2"}]
            # Another server's secret is not this one's: a token signed with it is refused.
            forged = jwt.encode({"role": "authenticated"}, "x" * 40, algorithm="HS256")
            status, body = _get(f"{srv.url}/notes", forged)
            assert status == 401 and isinstance(body, dict) and body["code"] == "PGRST301"
            assert "db-tx-end = \"commit-allow-override\"" in srv.config_text()
        assert not base_dir.exists()
        assert _port_is_free(port)
        assert not _alive(pid)


HOLD_SCRIPT = textwrap.dedent("""
    import sys, time
    from harness.config import ApiSettings, HarnessConfig
    from harness.postgrest import PostgrestServer, find_postgrest
    from harness.server import open_server
    settings = ApiSettings()
    with open_server(HarnessConfig(dsn=sys.argv[1])):
        with PostgrestServer(sys.argv[1], settings, find_postgrest(settings)) as srv:
            print(srv.base_dir, srv.port, srv.pid, flush=True)
            time.sleep(120)
""")


@pytest.mark.parametrize("how", ["sigterm", "sigint", "sigkill"])
def test_stopped_when_the_harness_is_signalled_or_killed(
    tmp_path: Path, postgrest_bin: Path, how: str
) -> None:
    script = tmp_path / "hold.py"
    script.write_text(HOLD_SCRIPT)
    with notes_dsn() as dsn:
        proc = subprocess.Popen(
            [sys.executable, str(script), dsn], cwd=REPO, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else ""
            base_dir, port, pid = line.split()
            assert _alive(int(pid))
            sig = {"sigterm": signal.SIGTERM, "sigint": signal.SIGINT,
                   "sigkill": signal.SIGKILL}[how]
            proc.send_signal(sig)
            proc.wait(timeout=30)
            deadline = time.monotonic() + 20
            while _alive(int(pid)) and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert not _alive(int(pid))
        assert _port_is_free(int(port))
        if how != "sigkill":  # SIGKILL skips every cleanup: only the process can be stopped
            assert not Path(base_dir).exists()


def test_a_server_that_cannot_start_says_why_and_leaves_nothing(
    postgrest_bin: Path, api_settings: ApiSettings
) -> None:
    with notes_dsn() as dsn:
        srv = PostgrestServer(dsn, replace(api_settings, login_role="dbh_no_such_role"),
                              postgrest_bin)
        with pytest.raises(Exception) as info:
            srv.start()
        assert "did not become ready" in str(info.value)
        assert "dbh_no_such_role" in str(info.value)
        assert srv.base_dir is None and not srv.running


def test_missing_binary_is_one_clear_message_and_exit_2(tmp_path: Path, capsys: object) -> None:
    missing = ApiSettings(mode="postgrest", postgrest=str(tmp_path / "postgrest"))
    with pytest.raises(PostgrestMissing) as info:
        find_postgrest(missing)
    assert "make install" in str(info.value) and info.value.exit_code == 2
    with pytest.raises(PostgrestMissing):
        resolve(missing)
    servers, why = resolve(replace(missing, mode="auto"))
    assert servers is None and "make install" in why
    assert resolve(ApiSettings(mode="none"))[0] is None
    cfg = tmp_path / "dbharness.toml"
    cfg.write_text(f'schema = "{REPO / "schema"}"\n[api]\npostgrest = "{tmp_path}/postgrest"\n')
    code = main(["check", "--config", str(cfg), "--dsn", TEST_DSN, "--api", "postgrest",
                 "--check", "SEC001", "--report-dir", str(tmp_path / "r")])
    assert code == 2
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "PostgREST not found" in err and "make install" in err
    assert not (tmp_path / "r").exists() or not any((tmp_path / "r").iterdir())


def test_api_section_is_validated(tmp_path: Path) -> None:
    cfg = parse_table({"api": {"mode": "postgrest", "schemas": ["public", "app"],
                               "pre_request": "public.check_rate_limit"}}, tmp_path / "x.toml")
    assert cfg.api.schemas == ("public", "app") and cfg.api.mode == "postgrest"
    for bad in ({"mode": "sometimes"}, {"schemas": []}, {"db_pool": 0}, {"port": 1}):
        with pytest.raises(ConfigError):
            parse_table({"api": bad}, tmp_path / "x.toml")
