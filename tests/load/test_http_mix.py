"""The HTTP operation mix runs, as every role of the mix, through a real PostgREST."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from harness.api_client import ApiClient
from harness.config import ApiSettings
from harness.impersonate import Actor
from harness.postgrest import PostgrestServer
from harness.server import Server
from load import dataset
from load.http_mix import HTTP_OPERATIONS, Caller, HttpFailure, api_of
from load.mix import ROLES
from tests.api.conftest import api_settings, postgrest_bin  # noqa: F401  (fixtures)
from tests.security.conftest import canonical_context

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pool_api(
    test_server: Server, tmp_path_factory: pytest.TempPathFactory, api_settings: ApiSettings,  # noqa: F811
    postgrest_bin: Path,  # noqa: F811
) -> Iterator[tuple[ApiClient, str]]:
    """The canonical schema with the load run's work pool, behind PostgREST."""
    with canonical_context(test_server, tmp_path_factory.mktemp("mix")) as ctx, \
            ctx.fresh_database() as dsn:
        dataset.prepare(dsn, users=10, pool_work_orders=50, login_role="authenticator")
        with PostgrestServer(dsn, api_settings, postgrest_bin) as srv:
            yield ApiClient(srv.url, srv.jwt_secret), dsn


@pytest.mark.parametrize("role", ROLES, ids=[r.name for r in ROLES])
def test_every_operation_of_the_role_runs_over_http(pool_api: tuple[ApiClient, str],
                                                    role: object) -> None:
    client, dsn = pool_api
    with psycopg.connect(dsn) as conn:
        pid, home = conn.execute(
            "select id::text, warehouse_id::text from public.profiles where role = %s"
            " and is_active order by id limit 1", (role.name,)).fetchone()  # type: ignore[attr-defined]
    me = Caller(pid, home, lambda: dt.datetime.fromtimestamp(client.server_now(), dt.UTC))
    api = api_of(client, Actor.user(pid))
    done: dict[str, int] = {}
    for op in role.tasks:  # type: ignore[attr-defined]
        try:
            done[op] = HTTP_OPERATIONS[op](api, me, role.audience)  # type: ignore[attr-defined]
        except HttpFailure as exc:
            pytest.fail(f"{role.name} {op}: {exc}")  # type: ignore[attr-defined]
    # Each operation found something to work on in the seed data plus the run's pool.
    assert all(n > 0 for n in done.values()), done


def _our_processes(marker: str) -> list[str]:
    from tests.load.test_load import _our_processes as find

    return find(marker)


def test_via_postgrest_runs_both_paths_side_by_side(tmp_path: Path) -> None:
    from harness.cli import main
    from tests.load.test_load import LOOSE
    from tests.support import TEST_DSN

    before = set(_our_processes("postgrest.conf"))
    rc = main(["load", "--dsn", TEST_DSN, "--report-dir", str(tmp_path), "--via", "postgrest",
               "--preset", "smoke", "--users", "10", "--duration", "8", *LOOSE])
    (run_dir,) = tmp_path.iterdir()
    data = json.loads((run_dir / "load.json").read_text())
    assert rc == 0, (data["findings"], data["failures"])
    assert data["settings"]["via"] == "postgrest"
    assert data["total_requests"] > 10 and data["total_failures"] == 0, data["failures"]
    http_ops = {o["name"] for o in data["ops"]}
    sql_ops = set(data["comparison"]["sql"]["ops"])
    assert http_ops & sql_ops >= {"my_work_orders"}
    assert data["comparison"]["sql"]["requests"] > 10
    assert data["pgbench"]["tps"] > 0
    md = (run_dir / "load.md").read_text()
    assert "HTTP (PostgREST) and SQL side by side" in md
    assert not _our_processes(str(run_dir)), "a PostgREST, pgbouncer or Locust is still running"
    assert set(_our_processes("postgrest.conf")) <= before, "the run's PostgREST still runs"


def test_via_postgrest_without_the_binary_is_exit_2(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from harness.cli import main
    from tests.support import TEST_DSN

    cfg = tmp_path / "dbharness.toml"
    cfg.write_text(f'schema = "{Path(__file__).resolve().parents[2] / "schema"}"\n'
                   f'[api]\npostgrest = "{tmp_path}/no-postgrest"\n')
    rc = main(["load", "--config", str(cfg), "--dsn", TEST_DSN, "--via", "postgrest",
               "--report-dir", str(tmp_path / "r")])
    assert rc == 2
    assert "make install" in capsys.readouterr().err
