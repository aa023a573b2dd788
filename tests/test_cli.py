import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

import harness.registry
from harness.cli import main
from harness.context import CheckContext
from harness.registry import Check, Finding, Registry, Severity
from tests.support import TEST_DSN

REPO = Path(__file__).resolve().parents[1]
UNREACHABLE = "host=127.0.0.1 port=1 connect_timeout=2"


def _no_pk(ctx: CheckContext) -> Iterator[Finding]:
    """Test-only check that needs a real database: tables without a primary key."""
    q = """
        select format('%I.%I', n.nspname, c.relname)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind = 'r' and n.nspname = 'public'
          and not exists (select from pg_constraint k where k.conrelid = c.oid and k.contype = 'p')
        order by 1"""
    with ctx.connect() as conn:
        for (table,) in conn.execute(q):
            yield Finding("TST100", table, "table has no primary key", repro_sql=q)


@pytest.fixture
def test_registry(monkeypatch: pytest.MonkeyPatch) -> Registry:
    reg = Registry()
    reg.add(
        Check(
            "TST100",
            "Table without primary key",
            Severity.MEDIUM,
            "integrity",
            "test",
            "Rows cannot be addressed reliably.",
            "Add a primary key.",
            _no_pk,
        )
    )
    reg.add(
        Check(
            "TST101",
            "Needs an access matrix",
            Severity.HIGH,
            "security",
            "other",
            "Because.",
            "Add dbharness/access.toml.",
            lambda ctx: (),
            ("access",),
        )
    )
    monkeypatch.setattr(harness.registry, "load_suites", lambda: reg)
    return reg


def _schema(tmp_path: Path, sql: str = "create table public.t (id int primary key);\n") -> Path:
    mig = tmp_path / "schema" / "migrations"
    mig.mkdir(parents=True)
    (mig / "0001_init.sql").write_text(sql, encoding="utf-8")
    return tmp_path / "schema"


def _dbharness(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# -- usage and environment errors: exit 2, one clear line, no traceback ------------------------


def test_unreachable_dsn_exits_2_without_traceback(tmp_path: Path) -> None:
    proc = _dbharness(
        "check",
        "--schema",
        str(_schema(tmp_path)),
        "--dsn",
        UNREACHABLE,
        "--report-dir",
        str(tmp_path / "r"),
        "--check",
        "TST100",
        cwd=tmp_path,
    )
    # TST100 is not in the real registry: run the real suites' first check instead when any.
    if "unknown check ID" in proc.stderr:
        listing = _dbharness("list-checks", "--format", "json", cwd=tmp_path)
        ids = [c["id"] for c in json.loads(listing.stdout)]
        if not ids:
            pytest.skip("no checks registered yet")
        proc = _dbharness(
            "check",
            "--schema",
            str(_schema(tmp_path / "b")),
            "--dsn",
            UNREACHABLE,
            "--report-dir",
            str(tmp_path / "r"),
            "--check",
            ids[0],
            cwd=tmp_path,
        )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: ")
    assert "Traceback" not in proc.stderr
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert len(lines) <= 2 and all(x.startswith(("error:", "  hint:")) for x in lines), lines
    # libpq's reason is kept, on one line without its tab-indented question
    assert lines[0].startswith("error: cannot connect to PostgreSQL at ") and lines[0].endswith(
        "port=1: Connection refused"), lines
    assert not (tmp_path / "r").exists()  # no report for a run without a verdict


def test_missing_schema_dir_exits_2(
    tmp_path: Path, test_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(["check", "--schema", str(tmp_path / "nope"), "--dsn", UNREACHABLE])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("error: schema directory not found") and "Traceback" not in err


def test_unknown_check_and_suite_exit_2(
    tmp_path: Path, test_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = str(_schema(tmp_path))
    assert main(["check", "--schema", schema, "--check", "NOPE001"]) == 2
    assert "unknown check ID 'NOPE001'" in capsys.readouterr().err
    assert main(["check", "--schema", schema, "--suite", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown suite 'nope'" in err and "hint: known suites: other, test" in err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--no-such-option"]) == 2
    assert "No such option" in capsys.readouterr().err
    assert main(["check", "--format", "pdf"]) == 2


def test_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kw: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("harness.commands.check.run_and_report", interrupted)
    assert main(["check"]) == 130


# -- list-checks and explain --------------------------------------------------------------------


def test_list_checks(test_registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list-checks"]) == 0
    out = capsys.readouterr().out
    assert "TST100" in out and "TST101" in out
    assert main(["list-checks", "--suite", "test", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "id": "TST100",
            "title": "Table without primary key",
            "severity": "medium",
            "family": "integrity",
            "suite": "test",
            "needs": [],
        }
    ]
    assert main(["list-checks", "--suite", "nope"]) == 2


def test_explain(test_registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "tst101"]) == 0
    out = capsys.readouterr().out
    for text in (
        "TST101",
        "Needs an access matrix",
        "severity: high",
        "family: security",
        "suite: other",
        "Because.",
        "Add dbharness/access.toml.",
        "needs: access",
    ):
        assert text in out
    assert main(["explain", "NOPE001"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown check ID 'NOPE001'") and "list-checks" in err


# -- against a real server ----------------------------------------------------------------------


def test_end_to_end_writes_all_reports(
    tmp_path: Path, test_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = _schema(
        tmp_path, "create table public.t (id int primary key);\ncreate table public.nopk (x int);\n"
    )
    rc = main(
        [
            "check",
            "--schema",
            str(schema),
            "--dsn",
            TEST_DSN,
            "--check",
            "TST100",
            "--suite",
            "other",
            "--report-dir",
            str(tmp_path / "r"),
            "--seed",
            "7",
        ]
    )
    out = capsys.readouterr().out
    assert rc == 1, out
    assert "public.nopk: table has no primary key" in out
    latest = tmp_path / "r" / "latest"
    assert sorted(p.name for p in latest.iterdir()) == [
        "junit.xml",
        "report.json",
        "report.md",
        "results.sarif",
    ]
    data = json.loads((latest / "report.json").read_text())
    assert data["run"]["seed"] == 7
    assert {c["id"]: c["status"] for c in data["checks"]} == {
        "TST100": "failed",
        "TST101": "skipped",
    }
    assert [(f["check_id"], f["object"]) for f in data["findings"]] == [("TST100", "public.nopk")]
    assert len(ET.parse(latest / "junit.xml").getroot().findall(".//failure")) == 1
    sarif = json.loads((latest / "results.sarif").read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "TST100"
    assert "```sql" in (latest / "report.md").read_text()


def test_end_to_end_real_check(tmp_path: Path) -> None:
    listing = _dbharness("list-checks", "--format", "json", cwd=tmp_path)
    ids = [c["id"] for c in json.loads(listing.stdout) if c["id"] == "INT001"]
    assert ids, listing.stdout
    proc = _dbharness(
        "check",
        "--schema",
        str(_schema(tmp_path)),
        "--dsn",
        TEST_DSN,
        "--check",
        ids[0],
        "--report-dir",
        str(tmp_path / "r"),
        "-q",
        cwd=tmp_path,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(list((tmp_path / "r" / "latest").iterdir())) == 4


def test_migration_syntax_error_exits_2_without_an_apply_check(
    tmp_path: Path, test_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    """A registry that cannot report MIG010 must not pass a schema that does not apply."""
    schema = _schema(
        tmp_path,
        "create table public.ok (id int primary key);\ncreate tabel public.broken (id int);\n",
    )
    rc = main(
        [
            "check",
            "--schema",
            str(schema),
            "--dsn",
            TEST_DSN,
            "--check",
            "TST100",
            "--report-dir",
            str(tmp_path / "r"),
        ]
    )
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("error: schema failed to apply: migrations/0001_init.sql")
    assert "syntax error" in err and "Traceback" not in err
    assert not (tmp_path / "r").exists()


@pytest.fixture
def scratch_db() -> Iterator[str]:
    name = f"dbh_test_migrate_{os.getpid()}"
    with psycopg.connect(TEST_DSN, autocommit=True) as conn:
        conn.execute(f"drop database if exists {name}")
        conn.execute(f"create database {name}")
    try:
        yield psycopg.conninfo.make_conninfo(TEST_DSN, dbname=name)
    finally:
        with psycopg.connect(TEST_DSN, autocommit=True) as conn:
            conn.execute(f"drop database if exists {name} with (force)")


def test_migrate_applies_once(
    tmp_path: Path, scratch_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = str(_schema(tmp_path))
    assert main(["migrate", "--dsn", scratch_db, "--schema", schema, "--no-bootstrap"]) == 0
    assert "applied migrations/0001_init.sql" in capsys.readouterr().out
    assert main(["migrate", "--dsn", scratch_db, "--schema", schema, "--no-bootstrap"]) == 0
    out = capsys.readouterr().out
    assert "nothing applied" in out and "0001_init.sql" not in out


def test_migrate_unreachable_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate", "--dsn", UNREACHABLE, "--schema", str(_schema(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot connect to") and "Traceback" not in err


@pytest.mark.proves("MIG010")
def test_schema_that_does_not_apply_is_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken migration is the change's defect: MIG010 names it, exit 1, not exit 2."""
    schema = _schema(
        tmp_path,
        "create table public.ok (id int primary key);\n"
        "alter table public.ok add column n int;\n"
        "alter table public.ok drop column missing;\n",
    )
    rc = main(["check", "--schema", str(schema), "--dsn", TEST_DSN, "--check", "INT001",
               "--report-dir", str(tmp_path / "r"), "--format", "json"])
    out = capsys.readouterr().out
    assert rc == 1, out
    data = json.loads((tmp_path / "r" / "latest" / "report.json").read_text())
    statuses = {c["id"]: c["status"] for c in data["checks"]}
    assert statuses == {"INT001": "skipped", "MIG010": "failed"}
    (f,) = data["findings"]
    assert f["check_id"] == "MIG010" and f["details"]["sqlstate"] == "42703"
    assert f["details"]["line"] == 3 and f["details"]["file"].endswith("0001_init.sql")
    assert "drop column missing" in f["details"]["statement"]


@pytest.mark.proves("MIG010", clean=True)
def test_schema_that_applies_passes_mig010(tmp_path: Path) -> None:
    rc = main(["check", "--schema", str(_schema(tmp_path)), "--dsn", TEST_DSN, "--check",
               "MIG010", "--report-dir", str(tmp_path / "r"), "--format", "json", "-q"])
    data = json.loads((tmp_path / "r" / "latest" / "report.json").read_text())
    assert rc == 0 and data["checks"][0]["status"] == "passed" and not data["findings"]


def test_check_that_cannot_run_exits_2(
    tmp_path: Path, test_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    """A check whose tool is missing is an error (exit 2) unless the config tolerates it."""
    from harness.errors import ToolMissing

    def broken(ctx: CheckContext) -> Iterator[Finding]:
        raise ToolMissing("frobnicate is not installed", hint="apt-get install frobnicate")
        yield  # pragma: no cover

    test_registry.add(Check("TST102", "Needs a tool", Severity.HIGH, "integrity", "other",
                            "Because.", "Install it.", broken))
    args = ["check", "--schema", str(_schema(tmp_path)), "--dsn", TEST_DSN, "--check", "TST102",
            "--report-dir", str(tmp_path / "r"), "--format", "json"]
    assert main(args) == 2
    assert "frobnicate is not installed" in capsys.readouterr().out
    (tmp_path / "dbharness.toml").write_text(
        '[[tolerate_errors]]\ncheck = "TST102"\nreason = "no frobnicate in this image"\n'
    )
    assert main([*args, "--config", str(tmp_path / "dbharness.toml")]) == 0
    data = json.loads((tmp_path / "r" / "latest" / "report.json").read_text())
    (chk,) = data["checks"]
    assert chk["status"] == "skipped" and "no frobnicate in this image" in chk["skip_reason"]


def test_fail_on_decides_which_findings_fail(
    tmp_path: Path, test_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    """Info findings are reported but pass by default; the effective severity is reported."""

    def mixed(ctx: CheckContext) -> Iterator[Finding]:
        yield Finding("TST103", "public.a", "only informative", severity=Severity.INFO)
        yield Finding("TST103", "public.b", "worse than usual", severity=Severity.CRITICAL)

    test_registry.add(Check("TST103", "Mixed", Severity.LOW, "integrity", "other", "Because.",
                            "Fix.", mixed))
    base = ["check", "--schema", str(_schema(tmp_path)), "--dsn", TEST_DSN, "--check", "TST103",
            "--report-dir", str(tmp_path / "r")]
    assert main([*base, "--fail-on", "critical"]) == 1
    data = json.loads((tmp_path / "r" / "latest" / "report.json").read_text())
    assert {f["object"]: f["severity"] for f in data["findings"]} == {
        "public.a": "info", "public.b": "critical"}
    sarif = json.loads((tmp_path / "r" / "latest" / "results.sarif").read_text())
    assert [r["level"] for r in sarif["runs"][0]["results"]] == ["note", "error"]
    junit = ET.parse(tmp_path / "r" / "latest" / "junit.xml").getroot()
    assert [f.get("type") for f in junit.iter("failure")] == ["critical"]
    assert "info (below fail_on critical): public.a" in junit.findtext(".//system-out", "")
    assert "[critical]" in capsys.readouterr().out


def test_info_findings_alone_pass(tmp_path: Path, test_registry: Registry) -> None:
    def informative(ctx: CheckContext) -> Iterator[Finding]:
        yield Finding("TST104", "public.a", "for your information", severity=Severity.INFO)

    test_registry.add(Check("TST104", "Info", Severity.LOW, "integrity", "other", "Because.",
                            "Fix.", informative))
    base = ["check", "--schema", str(_schema(tmp_path)), "--dsn", TEST_DSN, "--check", "TST104",
            "--report-dir", str(tmp_path / "r"), "--format", "json"]
    assert main(base) == 0
    assert main([*base, "--fail-on", "info"]) == 1


def test_check_catalogue_in_docs_is_current() -> None:
    """docs/checks.md is generated from the registry: adding or changing a check regenerates it
    (`dbharness list-checks --format markdown > docs/checks.md`)."""
    from harness.commands.list_checks import CATALOGUE, catalogue
    from harness.registry import load_suites

    assert (REPO / CATALOGUE).read_text(encoding="utf-8") == catalogue(load_suites())


def _writes_a_plot(ctx: CheckContext) -> Iterator[Finding]:
    """Test-only check that writes a data file where the engine lets checks write them."""
    if ctx.report_dir is not None:
        ctx.report_dir.mkdir(parents=True, exist_ok=True)
        (ctx.report_dir / "plot.png").write_bytes(b"not really a png")
    return iter(())


@pytest.mark.parametrize(("formats", "expected"), [
    (["sarif"], {"results.sarif"}),
    (["sarif", "junit"], {"results.sarif", "junit.xml"}),
    (["json"], {"report.json", "plot.png"}),
    (["markdown"], {"report.md", "plot.png"}),
])
def test_plots_and_data_files_only_with_a_format_that_wants_them(
    tmp_path: Path, test_registry: Registry, formats: list[str], expected: set[str]
) -> None:
    test_registry.add(Check("TST102", "Writes a plot", Severity.INFO, "performance", "test",
                            "Because.", "None.", _writes_a_plot))
    args = ["check", "--schema", str(_schema(tmp_path)), "--dsn", TEST_DSN, "--check", "TST102",
            "--report-dir", str(tmp_path / "r")]
    for f in formats:
        args += ["--format", f]
    assert main(args) == 0
    (run,) = [p for p in (tmp_path / "r").iterdir() if p.is_dir() and not p.is_symlink()]
    assert {p.name for p in run.iterdir()} == expected
