"""The SARIF report is valid SARIF 2.1.0 and meets what GitHub code scanning requires.

Validated against the official schema and by Microsoft's SARIF validator (both from the pinned
npm package `make install` puts in .tools/), on a real run whose findings have every kind of
location: a migration line, an object the runner located, and none (the schema folder).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest

from harness.cli import main
from tests.support import TEST_DSN

REPO = Path(__file__).resolve().parents[1]
MULTITOOL_DIR = REPO / ".tools" / "sarif-multitool-linux-5.7.0"
SCHEMA = MULTITOOL_DIR / "sarif-2.1.0.json"
VALIDATOR = MULTITOOL_DIR / "Sarif.Multitool"

MIGRATION = """
create table public.open_notes (id bigint primary key, body text);
grant select on public.open_notes to anon;
create table public.no_key (x int);
create function public.lookup(p text) returns text language plpgsql as $$
begin return p; end $$;
"""


@pytest.fixture(scope="module")
def sarif(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    if not SCHEMA.is_file() or not VALIDATOR.is_file():
        pytest.fail(f"SARIF schema and validator missing under {MULTITOOL_DIR}: run make install")
    tmp = tmp_path_factory.mktemp("sarif")
    mig = tmp / "schema" / "migrations"
    mig.mkdir(parents=True)
    (mig / "0001_init.sql").write_text(MIGRATION)
    cwd = Path.cwd()
    os.chdir(tmp)  # paths in the report are relative to where dbharness runs, as in CI
    try:
        main(["check", "--schema", "schema", "--dsn", TEST_DSN, "--report-dir", "reports",
              "--format", "sarif", "--suite", "security", "--suite", "integrity",
              "--check", "MIG410", "-q"])
    finally:
        os.chdir(cwd)
    path = tmp / "reports" / "latest" / "results.sarif"
    return path, json.loads(path.read_text())


def test_valid_against_the_official_schema(sarif: tuple[Path, dict[str, object]]) -> None:
    _, log = sarif
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)


def test_microsofts_validator_reports_no_error(
    sarif: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    path, _ = sarif
    out = tmp_path / "validation.sarif"
    proc = subprocess.run(
        [str(VALIDATOR), "validate", str(path), "--output", str(out), "--log", "ForceOverwrite"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads(out.read_text())["runs"][0]["results"]
    errors = [r for r in results if r.get("level", "warning") == "error"]
    assert not errors, errors


def test_every_result_has_what_github_requires(sarif: tuple[Path, dict[str, object]]) -> None:
    """A location with a non-empty, repository-relative artifact URI on every result."""
    _, log = sarif
    results = log["runs"][0]["results"]  # type: ignore[index]
    assert {r["ruleId"] for r in results} >= {"SEC001", "INT001", "PRV002"}
    for r in results:
        (loc,) = r["locations"]
        uri = loc["physicalLocation"]["artifactLocation"]["uri"]
        assert uri and not uri.startswith(("/", "file:")), r
        assert uri.startswith("schema"), uri
    located = [r for r in results if r["ruleId"] == "INT001"]
    assert located[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "schema/migrations/0001_init.sql"
    )
    # line 4: the file starts with an empty line, then open_notes and its grant
    assert located[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 4


def test_security_checks_are_ranked_as_security_alerts(
    sarif: tuple[Path, dict[str, object]],
) -> None:
    rules = {r["id"]: r for r in log_rules(sarif[1])}
    for rid in ("SEC001", "PRV002", "SEC100", "PRV006", "MIG410"):
        assert "security-severity" in rules[rid]["properties"], rid
    assert "security-severity" not in rules["INT001"]["properties"]


def log_rules(log: dict[str, object]) -> list[dict[str, object]]:
    return log["runs"][0]["tool"]["driver"]["rules"]  # type: ignore[index,no-any-return]
