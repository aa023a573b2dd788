"""The pgtap suite: the fixture project's pgTAP files run by `dbharness check`, every format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import psycopg
import pytest

from harness.errors import ToolMissing
from harness.pgtap.locate import assertion_functions, locate_tests
from harness.pgtap.prove import parse_output, run_pg_prove
from harness.pgtap.setup import prepare
from tests.pgtap.conftest import dbharness, lay_out
from tests.support import TEST_DSN, scratch_database

FORMATS = ("json", "junit", "sarif", "markdown")
FAILING_TEST = "tests/database/03_rls_everywhere.test.sql"
STOPPED = "tests/database/04_profiles.test.sql"
NO_PLAN = "tests/database/05_no_plan.test.sql"


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One `dbharness check --suite pgtap` over the fixture project, with every report format."""
    base = tmp_path_factory.mktemp("tapfix")
    lay_out(base / "project")
    args = ["check", "--schema", "project", "--dsn", TEST_DSN, "--suite", "pgtap", "-v",
            "--report-dir", "reports"]
    for f in FORMATS:
        args += ["--format", f]
    proc = dbharness(*args, cwd=base)
    run_dir = next((base / "reports").glob("2*"))
    return {"proc": proc, "dir": run_dir, "project": "project"}


@pytest.mark.proves("TAP001")
@pytest.mark.proves("TAP002")
def test_terminal_names_each_failing_test_and_broken_file(fixture_run: dict[str, Any]) -> None:
    proc = fixture_run["proc"]
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = " ".join(proc.stdout.split())
    assert f"{FAILING_TEST} #2: not ok 2 - All tables in the public schema should have row level" \
        in out
    assert "stopped at line 8: column \"avatar_url\" does not exist" in out
    assert "You tried to run a test without a plan" in out
    # passing tests are counted (-v prints what each check exercised)
    assert "tests: 24, passed: 23, failed: 1" in out


def _json(run: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run["dir"] / "report.json").read_text())
    return data


def test_json_has_every_failure_with_file_line_and_number(fixture_run: dict[str, Any]) -> None:
    data = _json(fixture_run)
    tap = [f for f in data["findings"] if f["check_id"] == "TAP001"]
    assert [(f["object"], f["details"]["line"], f["details"]["test_number"]) for f in tap] == [
        (f"project/{FAILING_TEST} #2", 6, 2)
    ]
    files = {f["object"]: f["details"]["line"] for f in data["findings"]
             if f["check_id"] == "TAP002"}
    assert files == {f"project/{STOPPED}": 8, f"project/{NO_PLAN}": 3}
    stats = {c["id"]: c["stats"] for c in data["checks"]}
    assert stats["TAP001"]["results"][f"project/{FAILING_TEST}"] == "1/2 ok, not ok #2"
    assert stats["TAP001"]["results"]["project/tests/database/02_notes_rls.test.sql"] == "7/7 ok"
    assert stats["TAP002"]["incomplete"] == 2


def test_junit_has_a_failure_per_test_and_the_passing_counts(fixture_run: dict[str, Any]) -> None:
    root = ET.parse(fixture_run["dir"] / "junit.xml").getroot()
    cases = {tc.get("name", "").split()[0]: tc for tc in root.iter("testcase")}
    failures = [f.get("message", "") for f in cases["TAP001"].iter("failure")]
    assert len(failures) == 1 and failures[0].startswith(f"project/{FAILING_TEST} #2: not ok 2")
    assert len(list(cases["TAP002"].iter("failure"))) == 2
    out = cases["TAP001"].findtext("system-out") or ""
    assert "exercised: passed: 23" in out and "06_helpers.test.sql': '9/9 ok'" in out


def test_sarif_points_at_the_file_and_line(fixture_run: dict[str, Any]) -> None:
    sarif = json.loads((fixture_run["dir"] / "results.sarif").read_text())
    located = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
         r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in sarif["runs"][0]["results"]
    }
    assert located == {
        ("TAP001", f"project/{FAILING_TEST}", 6),
        ("TAP002", f"project/{STOPPED}", 8),
        ("TAP002", f"project/{NO_PLAN}", 3),
    }


def test_markdown_lists_the_results(fixture_run: dict[str, Any]) -> None:
    md = (fixture_run["dir"] / "report.md").read_text()
    assert f"project/{FAILING_TEST} #2" in md and "passed: 23" in md


@pytest.mark.proves("TAP001", clean=True)
@pytest.mark.proves("TAP002", clean=True)
def test_passing_files_pass(supabase_project: Path) -> None:
    for name in ("03_rls_everywhere", "04_profiles", "05_no_plan"):
        (supabase_project / "tests" / "database" / f"{name}.test.sql").unlink()
    proc = dbharness("check", "--schema", str(supabase_project), "--dsn", TEST_DSN,
                     "--suite", "pgtap", "-v", "--report-dir", str(supabase_project.parent / "r"),
                     "--format", "json", cwd=supabase_project.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(next((supabase_project.parent / "r").glob("2*/report.json")).read_text())
    stats = {c["id"]: c["stats"] for c in report["checks"]}
    assert stats["TAP001"]["tests"] == stats["TAP001"]["passed"] == 20
    assert stats["TAP002"]["complete"] == 3


def test_no_pgtap_files_skips(tmp_path: Path) -> None:
    (tmp_path / "s" / "migrations").mkdir(parents=True)
    (tmp_path / "s" / "migrations" / "0001_t.sql").write_text("create table t (id int);\n")
    proc = dbharness("check", "--schema", "s", "--dsn", TEST_DSN, "--check", "TAP001",
                     cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no pgTAP files" in " ".join(proc.stdout.split())


# -- the parts, on their own ---------------------------------------------------------------------

TAP_OUTPUT = """1..4
ok 1 - first
not ok 2 - second
# Failed test 2: "second"
#         have: 1
#         want: 2
ok 3 - skipped one # SKIP not today
not ok 4 - later # TODO not yet
# Looks like you failed 1 test of 4
"""


def test_parse_output_reads_results_plan_and_diagnostics() -> None:
    tap = parse_output(Path("x.sql"), "x.sql", TAP_OUTPUT)
    assert tap.planned == 4 and tap.complete
    assert [t.number for t in tap.failed] == [2]  # a failing TODO test does not fail
    assert tap.tests[1].diagnostics == ('Failed test 2: "second"', "have: 1", "want: 2")
    assert tap.tests[2].skip and tap.tests[3].todo


def test_parse_output_reads_psql_errors_and_plan_mismatch() -> None:
    died = parse_output(Path("d.sql"), "d.sql", "1..3\nok 1 - a\n"
                        "psql:d.sql:7: ERROR:  relation \"nope\" does not exist\n"
                        "LINE 1: select * from nope;\n")
    assert died.problems == ['stopped at line 7: relation "nope" does not exist']
    assert died.errors[0].context == ("LINE 1: select * from nope;",)
    short = parse_output(Path("s.sql"), "s.sql", "1..3\nok 1 - a\n")
    assert short.problems == ["planned 3 tests but ran 1"]
    assert parse_output(Path("n.sql"), "n.sql", "").problems[0].startswith("no plan")


LOCATE_SQL = """begin;
select plan(3);
select tests.create_supabase_user('a');
select ok(true, 'one');
select is(
  1, 2, 'two');
select tests.rls_enabled('public');
select * from finish();
rollback;
"""


def test_test_numbers_map_to_statement_lines() -> None:
    tap = parse_output(Path("l.sql"), "l.sql", "1..3\nok 1 - one\nnot ok 2 - two\nok 3 - x\n")
    tests = frozenset({"ok", "is", "rls_enabled"})
    assert locate_tests(LOCATE_SQL, tap, tests, [1, 2, 3]) == {1: 4, 2: 5, 3: 7}
    # a loop prints tests the text cannot count: the description is looked up instead
    looped = LOCATE_SQL.replace("select ok(true, 'one');",
                                "select ok(true, 'row ' || n) from generate_series(1, 2) n;")
    tap = parse_output(Path("l.sql"), "l.sql", "1..4\nok 1 - row 1\nok 2 - row 2\n"
                       "not ok 3 - two\nok 4 - x\n")
    assert locate_tests(looped, tap, tests, [3]) == {3: 6}  # the line of its description


def test_pg_prove_verdict_agrees_with_ours(tmp_path: Path) -> None:
    """The same files, judged by pg_prove's exit status and by the parsed TAP."""
    good = tmp_path / "good.sql"
    good.write_text("begin; create extension if not exists pgtap;\nselect plan(1);\n"
                    "select ok(true, 'fine');\nselect * from finish(); rollback;\n")
    bad = tmp_path / "bad.sql"
    bad.write_text("begin; create extension if not exists pgtap;\nselect plan(1);\n"
                   "select ok(false, 'broken');\nselect * from finish(); rollback;\n")
    with scratch_database("dbh_tap") as dsn:
        ok_run = run_pg_prove(dsn, [good], cwd=tmp_path)
        bad_run = run_pg_prove(dsn, [good, bad], cwd=tmp_path)
    assert ok_run.exit_code == 0 and ok_run.all_passed
    assert bad_run.exit_code != 0 and not bad_run.all_passed
    assert [f.label for f in bad_run.files] == ["good.sql", "bad.sql"]
    assert [t.number for t in bad_run.files[1].failed] == [1]


def test_missing_pg_prove_is_tool_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr("harness.tools.tool_dirs", lambda: [tmp_path])
    with pytest.raises(ToolMissing, match="pg_prove is not installed"):
        run_pg_prove(TEST_DSN, [tmp_path / "x.sql"], cwd=tmp_path)


def test_missing_extension_is_tool_missing_with_the_package() -> None:
    with scratch_database("dbh_tap") as dsn, psycopg.connect(dsn, autocommit=True) as conn:
        with pytest.raises(ToolMissing, match="pgtap_absent extension is not installed") as exc:
            prepare(conn, extension="pgtap_absent")
        assert "postgresql-15-pgtap" in str(exc.value)
        done = prepare(conn)
        assert done["pgtap"] and "dbharness" in done["helpers"]
        names = assertion_functions(conn)
        assert "rls_enabled" in names and "is" in names and "plan" not in names
