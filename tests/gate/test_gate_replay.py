"""Replay, apply-twice and the checked-in dump, against a real PostgreSQL; and the CLI once."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.cli import main
from harness.commands.dump_schema import build_dump
from harness.gate.catalog import Snapshot
from harness.gate.dump import normalize
from harness.gate.pipeline import GateOptions, run_gate
from harness.gate.replay import drift_findings
from harness.schema_dir import SchemaDir

AddMigration = Callable[[str, str], Path]

# what squawk asks of a migration on a live table: bounded waits for locks and statements
SAFE_ADD_COLUMN = (
    "set lock_timeout = '2s';\nset statement_timeout = '30s';\n"
    "alter table public.parts add column bin text;\n"
)


@pytest.mark.proves("MIG400", clean=True)
@pytest.mark.proves("MIG401", clean=True)
@pytest.mark.proves("MIG402", clean=True)
def test_clean_change_replays_identically_and_dump_is_fresh(
    repo: Path, admin_dsn: str, add_migration: AddMigration
) -> None:
    add_migration("0003_bin.sql", SAFE_ADD_COLUMN)
    schema = SchemaDir.open(repo / "schema")
    (repo / "schema" / "dump.sql").write_text(build_dump(admin_dsn, schema))
    result = run_gate(GateOptions(base="HEAD", schema=repo / "schema"), admin_dsn)
    assert {f.check_id for f in result.findings} == set()
    assert {"replay_from_zero", "incremental", "apply_twice"} <= set(result.timings)


@pytest.mark.proves("MIG402")
def test_stale_dump(repo: Path, admin_dsn: str, add_migration: AddMigration) -> None:
    schema = SchemaDir.open(repo / "schema")
    (repo / "schema" / "dump.sql").write_text(build_dump(admin_dsn, schema))
    add_migration("0003_bin.sql", "alter table public.parts add column bin text;\n")
    [f] = run_gate(GateOptions(base="HEAD", schema=repo / "schema"), admin_dsn).for_check("MIG402")
    assert "+    bin text" in f.message and "dbharness dump-schema" in f.message


def test_drift_names_the_differing_objects() -> None:
    zero = Snapshot({"column:public.parts.bin": "text", "index:public.a": "x"})
    incr = Snapshot({"column:public.parts.bin": "character varying", "index:public.b": "y"})
    assert [f.object for f in drift_findings(zero, incr)] == [
        "column:public.parts.bin",
        "index:public.a",
        "index:public.b",
    ]


def test_normalize_strips_version_header_and_set_lines() -> None:
    dump = (
        "--\n-- PostgreSQL database dump\n--\n\\restrict abc\n"
        "-- Dumped from database version 15.2\n"
        "SET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\n"
        "\n\n\nCREATE TABLE public.t (\n    id integer\n);\n\\unrestrict abc\n"
    )
    assert normalize(dump) == "CREATE TABLE public.t (\n    id integer\n);\n"


def test_cli_gate_end_to_end(
    repo: Path, admin_dsn: str, add_migration, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    assert main(["dump-schema", "--schema", "schema", "--dsn", admin_dsn]) == 0
    add_migration("0003_pol.sql", "drop policy parts_select on public.parts;\n")
    reports = tmp_path / "reports"
    code = main(
        [
            "gate",
            "--base",
            "HEAD",
            "--schema",
            "schema",
            "--dsn",
            admin_dsn,
            "--gate-only",
            "--no-baseline",
            "--report-dir",
            str(reports),
            "--format",
            "sarif",
            "-q",
        ]
    )
    assert code == 1
    sarif = json.loads(next(reports.glob("*/*.sarif*")).read_text())
    results = sarif["runs"][0]["results"]
    # the catalog (MIG419: the access the policy gave is gone) judges it, not the text rule
    assert {r["ruleId"] for r in results} == {"MIG100", "MIG402", "MIG419"}  # MIG100: timeouts
    assert all(r["locations"][0]["physicalLocation"] for r in results)
    assert main(["gate", "--base", "nope", "--schema", "schema", "--dsn", admin_dsn]) == 2
