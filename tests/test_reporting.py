"""A synthetic run with test-only checks (in a private Registry) through the runner and every
report format."""

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest
from rich.console import Console

from harness.config import HarnessConfig, Suppression
from harness.context import CheckContext
from harness.errors import ConfigError
from harness.events import CheckFinished, Event, RunStarted, Status
from harness.registry import Check, Finding, Registry, Severity
from harness.reporting import ReportFormat, report_writers, update_latest
from harness.reporting.sarif import FINGERPRINT_KEY
from harness.reporting.terminal import VERBOSE, TerminalWriter
from harness.runner import SkipCheck, run_checks, select_checks

SEED = 4242


def _passes(ctx: CheckContext) -> Iterator[Finding]:
    yield from ()


def _fails(ctx: CheckContext) -> Iterator[Finding]:
    yield Finding(
        "TST002",
        "public.work_orders",
        "RLS is disabled",
        repro_sql="set role anon;\nselect * from public.work_orders;",
        details={"file": "schema/migrations/0003_work_orders.sql", "line": 12},
    )
    yield Finding("TST002", "public.parts", "RLS is disabled", seed=99)
    yield Finding("TST002", "public.lookup_units", "RLS is disabled")  # suppressed by config


def _raises(ctx: CheckContext) -> Iterator[Finding]:
    yield Finding("TST003", "public.x", "found before the crash")
    raise RuntimeError("boom in check")


def _skips(ctx: CheckContext) -> Iterator[Finding]:
    raise SkipCheck("no partitioned tables")
    yield  # pragma: no cover


def _only_suppressed(ctx: CheckContext) -> Iterator[Finding]:
    yield Finding("TST006", "public.lookup_units", "public by design")


def make_registry() -> Registry:
    reg = Registry()
    meta = dict(rationale="Because it matters.", remedy="Do the right thing.")
    reg.add(Check("TST001", "Always passes", Severity.LOW, "quality", "test", func=_passes, **meta))
    reg.add(
        Check("TST002", "RLS enabled", Severity.CRITICAL, "security", "test", func=_fails, **meta)
    )
    reg.add(Check("TST003", "Crashes", Severity.MEDIUM, "integrity", "test", func=_raises, **meta))
    reg.add(
        Check(
            "TST004",
            "Needs access",
            Severity.HIGH,
            "security",
            "test",
            func=_passes,
            needs=("access",),
            **meta,
        )
    )
    reg.add(Check("TST005", "Skips itself", Severity.INFO, "quality", "test", func=_skips, **meta))
    reg.add(
        Check(
            "TST006",
            "Suppressed",
            Severity.HIGH,
            "security",
            "other",
            func=_only_suppressed,
            **meta,
        )
    )
    return reg


class Recorder:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self.closed = False

    def handle(self, event: Event) -> None:
        self.events.append(event)

    def close(self) -> None:
        self.closed = True


def make_ctx(tmp_path: Path) -> CheckContext:
    (tmp_path / "schema" / "migrations").mkdir(parents=True)
    from harness.schema_dir import SchemaDir

    cfg = HarnessConfig(
        schema=tmp_path / "schema",
        seed=SEED,
        suppressions=(
            Suppression("TST002", "public.lookup_*", "lookup table is public"),
            Suppression("tst006", "*", "by design"),
        ),
    )
    return CheckContext(
        dsn="", schema=SchemaDir(cfg.schema), config=cfg, seed=SEED, clone=lambda: nullcontext("")
    )


@pytest.fixture
def finished(tmp_path: Path) -> tuple[Recorder, list[CheckFinished], Path]:
    reg = make_registry()
    rec = Recorder()
    out = tmp_path / "reports" / "run1"
    writers = [rec, *report_writers([f.value for f in ReportFormat], out)]
    result = run_checks(make_ctx(tmp_path), list(reg), writers, run_id="run1")
    assert result.exit_code == 2  # TST003 raised: the run has no complete verdict
    return rec, list(result.results), out


def test_statuses_and_suppression(finished: tuple[Recorder, list[CheckFinished], Path]) -> None:
    rec, results, _ = finished
    by_id = {r.check.id: r for r in results}
    assert {k: v.status for k, v in by_id.items()} == {
        "TST001": Status.PASSED,
        "TST002": Status.FAILED,
        "TST003": Status.ERROR,
        "TST004": Status.SKIPPED,
        "TST005": Status.SKIPPED,
        "TST006": Status.PASSED,  # only suppressed findings: does not fail
    }
    fails = by_id["TST002"]
    assert [f.suppressed for f in fails.findings] == [False, False, True]
    assert fails.findings[2].suppressed_reason == "lookup table is public"
    err = by_id["TST003"]
    assert err.error == "RuntimeError: boom in check"
    assert err.traceback and "Traceback" in err.traceback and "_raises" in err.traceback
    assert len(err.findings) == 1  # what came before the crash is kept
    assert by_id["TST004"].error and "dbharness/access.toml" in by_id["TST004"].error
    assert by_id["TST005"].error == "no partitioned tables"
    kinds = [type(e).__name__ for e in rec.events]
    assert kinds[0] == "RunStarted" and kinds[-1] == "RunFinished"
    assert kinds.count("CheckStarted") == kinds.count("CheckFinished") == 6
    assert not rec.closed  # run_checks leaves closing to its caller


def test_only_suppressed_findings_exit_0(tmp_path: Path) -> None:
    reg = make_registry()
    result = run_checks(make_ctx(tmp_path), reg.select(["other"]), [])
    assert result.exit_code == 0
    assert result.count(Status.PASSED) == 1


def test_exclude_applies_only_when_nothing_named() -> None:
    reg = make_registry()
    cfg = HarnessConfig(exclude_suites=("other",))
    assert "TST006" not in [c.id for c in select_checks(reg, cfg)]
    named = HarnessConfig(exclude_suites=("other",), checks=("TST006",))
    assert [c.id for c in select_checks(reg, named)] == ["TST006"]


def test_all_report_files_written(finished: tuple[Recorder, list[CheckFinished], Path]) -> None:
    out = finished[2]
    assert sorted(p.name for p in out.iterdir()) == sorted(f.filename for f in ReportFormat)


def test_junit(finished: tuple[Recorder, list[CheckFinished], Path]) -> None:
    root = ET.parse(finished[2] / ReportFormat.JUNIT.filename).getroot()
    cases = root.findall(".//testcase")
    assert len(cases) == 6
    # One per unsuppressed finding: TST002's two, and the one TST003 yielded before it raised.
    assert len(root.findall(".//failure")) == 3
    assert len(root.findall(".//error")) == 1
    assert len(root.findall(".//skipped")) == 2
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("6", "1", "1")
    failure = root.find(".//testcase[@name='TST002 RLS enabled']/failure")
    assert failure is not None and failure.text
    assert "public.work_orders" in failure.text and "set role anon;" in failure.text
    assert f"--seed {SEED}" in failure.text


def test_json(finished: tuple[Recorder, list[CheckFinished], Path]) -> None:
    data = json.loads((finished[2] / ReportFormat.JSON.filename).read_text())
    assert data["run"]["run_id"] == "run1" and data["run"]["seed"] == SEED
    assert data["run"]["exit_code"] == 2
    assert data["run"]["totals"] == {"passed": 2, "failed": 1, "error": 1, "skipped": 2}
    assert len(data["checks"]) == 6
    f = data["findings"][0]
    assert {k: f[k] for k in ("check_id", "object", "severity", "seed", "suppressed")} == {
        "check_id": "TST002",
        "object": "public.work_orders",
        "severity": "critical",
        "seed": SEED,
        "suppressed": False,
    }
    assert f["repro_sql"].startswith("set role anon;")
    assert data["findings"][1]["seed"] == 99  # a finding's own seed wins
    assert [x["suppressed"] for x in data["findings"]].count(True) == 2
    crashed = next(c for c in data["checks"] if c["id"] == "TST003")
    assert "boom in check" in crashed["error"] and "Traceback" in crashed["traceback"]


def test_sarif(finished: tuple[Recorder, list[CheckFinished], Path]) -> None:
    # validity against the official SARIF 2.1.0 schema: tests/test_sarif_valid.py
    log = json.loads((finished[2] / ReportFormat.SARIF.filename).read_text())
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [f"TST00{i}" for i in range(1, 7)]
    rls = rules[1]
    assert rls["name"] == "RlsEnabled"
    assert rls["shortDescription"]["text"] == "RLS enabled"
    assert rls["fullDescription"]["text"] == "Because it matters."
    assert rls["help"]["text"] == "Do the right thing."
    assert rls["properties"]["family"] == "security" and rls["properties"]["severity"] == "critical"
    results = run["results"]
    assert len(results) == 5  # every finding, suppressed ones included
    first = results[0]
    assert (first["ruleId"], first["ruleIndex"], first["level"]) == ("TST002", 1, "error")
    loc = first["locations"][0]
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "public.work_orders"
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == (
        "schema/migrations/0003_work_orders.sql"
    )
    assert loc["physicalLocation"]["region"]["startLine"] == 12
    # no file of its own: the runner would locate it; here the schema folder stands in
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "schema"
    )
    assert "set role anon;" in first["message"]["text"]
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 2
    assert suppressed[0]["suppressions"][0]["justification"] == "lookup table is public"
    fps = [r["partialFingerprints"][FINGERPRINT_KEY] for r in results]
    assert len(set(fps)) == len(fps)
    assert results[3]["level"] == "warning"  # TST003 is medium
    assert run["invocations"][0]["executionSuccessful"] is False  # TST003 raised


def test_sarif_fingerprint_stable_across_runs(tmp_path: Path) -> None:
    def fingerprints(sub: str) -> list[str]:
        out = tmp_path / sub
        reg = make_registry()
        run_checks(
            make_ctx(tmp_path / f"{sub}-ctx"),
            reg.select(ids=["TST002"]),
            report_writers(["sarif"], out),
            run_id=sub,
        )
        log = json.loads((out / "results.sarif").read_text())
        return [r["partialFingerprints"][FINGERPRINT_KEY] for r in log["runs"][0]["results"]]

    assert fingerprints("a") == fingerprints("b")


def test_markdown(finished: tuple[Recorder, list[CheckFinished], Path]) -> None:
    md = (finished[2] / ReportFormat.MARKDOWN.filename).read_text()
    assert "| ID | Title | Severity | Status | Findings | Duration |" in md
    assert "| TST002 | RLS enabled | critical |" in md
    assert "```sql\n  set role anon;" in md
    assert "`dbharness check --check TST002 --seed 99`" in md
    assert "suppressed: lookup table is public" in md
    assert "RuntimeError: boom in check" in md


def test_terminal(tmp_path: Path) -> None:
    buf = io.StringIO()
    term = TerminalWriter(Console(file=buf, width=160, force_terminal=False), verbosity=VERBOSE)
    run_checks(make_ctx(tmp_path), list(make_registry()), [term])
    term.close()
    out = buf.getvalue()
    assert "[2/6] TST002 RLS enabled FAILED 2 findings (+1 suppressed)" in out
    assert "Summary" in out and "Findings" in out and "Duration" in out
    assert "public.work_orders: RLS is disabled" in out
    assert "select * from public.work_orders;" in out
    assert f"rerun: dbharness check --check TST002 --seed {SEED}" in out
    assert "Traceback" in out  # verbose shows the traceback of TST003


def test_unknown_format_is_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown report format 'pdf'"):
        report_writers(["pdf"], tmp_path)


def test_no_report_without_a_verdict(tmp_path: Path) -> None:
    (w,) = report_writers(["json"], tmp_path / "r")
    w.handle(RunStarted("r", {}, (), None, 1))
    w.close()
    assert not (tmp_path / "r").exists()


def test_update_latest(tmp_path: Path) -> None:
    (tmp_path / "run1").mkdir()
    (tmp_path / "run2").mkdir()
    update_latest(tmp_path, "run1")
    update_latest(tmp_path, "run2")
    latest = tmp_path / "latest"
    if latest.is_symlink():
        assert latest.resolve() == (tmp_path / "run2").resolve()
    else:
        assert (tmp_path / "latest.txt").read_text().strip() == "run2"
