"""PRF101-PRF104 shown reporting findings for real, and running clean, on tiny datasets.

No timing is asserted and none can decide a verdict here. Where a check judges time, the
known-bad case makes it fail by a margin no machine can close (a budget of a nanosecond; a
policy that sleeps 20 ms for each row, against a query that takes a fraction of a millisecond
without it: sleeping is a floor, a busy machine only adds to it) and the clean case sets the
limit where no machine can reach it (a day). PRF103 and PRF104 are made to fail through plans
and buffers, which are the same on every run of the same dataset: the datasets are generated
from a seed, loaded by one writer per table and analyzed whole (see harness.datagen.bulk).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import psycopg
import pytest

from harness.registry import REGISTRY, Finding, Severity
from harness.schema_dir import SchemaDir
from suites.performance.baseline import BASELINE_FILE, Baseline, read_baseline, write_baseline
from suites.performance.baseline_check import baseline_regression
from suites.performance.budgets import (
    growth,
    latency_budgets,
    results_of,
    rls_overhead,
)

from .conftest import context, schema_copy

Clone = Callable[[str], AbstractContextManager[str]]
BUDGETS = "budget_ms = { simple = 10.0, complex = 200.0 }"
# Latency never decides a unit test: PRF104's latency tolerance set where nothing reaches it.
LATENCY_OFF = {"regression": {"latency": 1e9}}


def failing(check_id: str, findings: list[Finding]) -> list[Finding]:
    """The findings that fail the check at the default fail_on (info does not)."""
    chk = REGISTRY.get(check_id)
    return [f for f in findings if chk.severity_of(f) is not Severity.INFO]


def run_sql(dsn: str, *statements: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        for stmt in statements:
            conn.execute(stmt)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------- PRF101

@pytest.mark.proves("PRF101")
def test_prf101_reports_a_query_over_its_budget(tiny_dsn: str, tmp_path: Path) -> None:
    # Complex queries get a nanosecond (no query on any machine runs within it), simple ones a
    # day (none is that slow): exactly the complex ones are reported, each measured twice.
    budgets = "budget_ms = { simple = 86400000.0, complex = 1e-6 }"
    sd = schema_copy(tmp_path, {BUDGETS: budgets})
    findings = list(latency_budgets(context(tiny_dsn, sd)))
    complex_ = {m.key for m in results_of(context(tiny_dsn, sd)).measurements
                if m.facts and m.query.cls == "complex"}
    assert complex_ and {f.object for f in findings} == complex_
    assert all("> budget 1e-06 ms" in f.message and "measured again" in f.message
               for f in findings)
    assert all("explain (analyze, buffers)" in (f.repro_sql or "").lower() for f in findings)


@pytest.mark.proves("PRF101", clean=True)
def test_prf101_is_clean_within_its_budget(tiny_dsn: str, tmp_path: Path) -> None:
    day = 86_400_000.0  # a day per query: no machine is that slow
    loose = schema_copy(tmp_path, {BUDGETS: f"budget_ms = {{ simple = {day}, complex = {day} }}"})
    assert list(latency_budgets(context(tiny_dsn, loose))) == []


# ---------------------------------------------------------------------------------- PRF102

# A restrictive policy that sleeps for every row it lets through: what a policy calling an
# expensive function per row costs, made certain. service_role bypasses it.
SLOW_POLICY = (
    """create function public.slow_true(id uuid) returns boolean language plpgsql volatile
       as $$ begin perform pg_sleep(0.02); return true; end $$""",
    "grant execute on function public.slow_true(uuid) to authenticated",
    """create policy notifications_slow on public.notifications as restrictive for select
       to authenticated using (public.slow_true(id))""",
)


@pytest.mark.proves("PRF102")
def test_prf102_reports_a_policy_that_costs_per_row(tiny_dsn: str, clone_of: Clone) -> None:
    with clone_of(tiny_dsn) as dsn:
        run_sql(dsn, *SLOW_POLICY)
        ctx = context(dsn)
        findings = {f.object: f for f in rls_overhead(ctx)}
        # every caller with unread notifications sleeps at least 20 ms a request (< 1 ms else)
        sleepers = {m.key for m in results_of(ctx).measurements
                    if m.query.name == "unread_notifications" and m.rows}
    # those who sleep are reported whatever the machine does; a sub-millisecond query of
    # someone else may be too, when a busy machine doubles its time twice in a row
    assert sleepers and sleepers <= set(findings), {k: f.message for k, f in findings.items()}
    for f in findings.values():
        assert "slower under RLS" in f.message and "measured again" in f.message
        assert f.details["again"] is not None


@pytest.mark.proves("PRF102", clean=True)
def test_prf102_is_clean_within_its_limit(tiny_dsn: str, tmp_path: Path) -> None:
    loose = schema_copy(tmp_path, {"rls_overhead_limit = 2.0": "rls_overhead_limit = 1e6"})
    assert list(rls_overhead(context(tiny_dsn, loose))) == []


# ---------------------------------------------------------------------------------- PRF103

# A list page ordered by a column no index covers: it sorts the whole site, so its cost grows
# with the table (buffers x10 from micro to tiny, which hold 2,000 and 20,000 work orders).
UNINDEXED_PAGE = '''
[[queries]]
name = "wo_list_by_title"
title = "Work order list by title (no index covers the order)"
class = "simple"
roles = ["supervisor"]
growth = true
params = "select warehouse_id from public.profiles where id = %(user_id)s"
sql = """
select w.id, w.title from public.work_orders w
where w.warehouse_id = %(warehouse_id)s
order by w.title, w.id
limit 50"""
'''
# The technician's page at micro is shorter than a page (fewer than 50 assigned work orders):
# its growth to tiny is the page filling up, not the table growing.
SHORT_AT_MICRO = ('roles = ["technician"]\ngrowth = true', 'roles = ["technician"]')
SCALES = {"compare_scales": ["micro", "tiny"]}


@pytest.mark.proves("PRF103")
def test_prf103_reports_a_page_that_reads_the_whole_site(
    tiny_dsn: str, tmp_path: Path, template_clone: Callable[[], AbstractContextManager[str]]
) -> None:
    sd = schema_copy(tmp_path, dict([SHORT_AT_MICRO]), append=UNINDEXED_PAGE)
    findings = {f.object: f for f in growth(context(tiny_dsn, sd, clone=template_clone, **SCALES))}
    assert set(findings) == {"wo_list_by_title/supervisor"}
    small, large = (findings["wo_list_by_title/supervisor"].details[k] for k in ("small", "large"))
    assert large["buffers"] > 5 * small["buffers"]  # type: ignore[index]


@pytest.mark.proves("PRF103", clean=True)
def test_prf103_is_clean_for_keyset_pages(
    tiny_dsn: str, tmp_path: Path, template_clone: Callable[[], AbstractContextManager[str]]
) -> None:
    # Time is not judged here (a floor of a day); the index walk reads the same few buffers.
    sd = schema_copy(tmp_path, {"growth_floor_ms = 1.0": "growth_floor_ms = 86400000.0",
                                **dict([SHORT_AT_MICRO])})
    ctx = context(tiny_dsn, sd, clone=template_clone, **SCALES)
    assert list(growth(ctx)) == []
    compared = {g.key for g in results_of(ctx).growth}
    assert {"wo_list_first_page/manager", "wo_list_first_page/supervisor"} <= compared


# ---------------------------------------------------------------------------------- PRF104

@pytest.fixture(scope="module")
def with_baseline(tiny_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> SchemaDir:
    """A copy of the schema whose baseline was recorded on the intact tiny dataset."""
    sd = schema_copy(tmp_path_factory.mktemp("baseline"))
    write_baseline(sd.root / "dbharness" / BASELINE_FILE, results_of(context(tiny_dsn, sd)))
    return sd


def prf104(dsn: str, sd: SchemaDir) -> list[Finding]:
    return list(baseline_regression(context(dsn, sd, **LATENCY_OFF)))


@pytest.mark.proves("PRF104", clean=True)
def test_prf104_is_clean_on_the_same_data(
    tiny_dsn: str, clone_of: Clone, with_baseline: SchemaDir
) -> None:
    base = read_baseline(with_baseline.root / "dbharness" / BASELINE_FILE)
    assert base.scale == "tiny" and len(next(iter(base.majors.values()))) > 10
    with clone_of(tiny_dsn) as dsn:
        findings = prf104(dsn, with_baseline)
    assert findings == [], [f"{f.object}: {f.message}" for f in findings]


BENIGN = {
    "comment only": ("comment on table public.work_orders is 'Work orders, reviewed'",),
    "restrictive policy that only narrows": (
        """create policy notifications_own_only on public.notifications as restrictive
           for select to authenticated using (user_id = (select auth.uid()))""",),
    "new nullable column": ("alter table public.work_orders add column external_ref text",),
    "a new month's empty partition": (
        """create table private.system_logs_y2030m01 partition of public.system_logs
           for values from ('2030-01-01') to ('2030-02-01')""",),
}


@pytest.mark.parametrize("change", BENIGN.values(), ids=BENIGN.keys())
@pytest.mark.proves("PRF104", clean=True)
def test_prf104_passes_benign_changes(
    tiny_dsn: str, clone_of: Clone, with_baseline: SchemaDir, change: tuple[str, ...]
) -> None:
    with clone_of(tiny_dsn) as dsn:
        run_sql(dsn, *change)
        findings = prf104(dsn, with_baseline)
    assert failing("PRF104", findings) == [], [f.message for f in findings]
    for f in findings:  # information: what changed, and the plan's difference
        assert f.message.startswith("plan changed, not a regression (")
        assert "\n".join(f.details["plan_diff"]) in f.message  # type: ignore[arg-type]


@pytest.mark.proves("PRF104")
def test_prf104_reports_a_dropped_expected_index(
    tiny_dsn: str, clone_of: Clone, with_baseline: SchemaDir
) -> None:
    with clone_of(tiny_dsn) as dsn:
        run_sql(dsn, "drop index public.work_orders_created_idx")
        findings = failing("PRF104", prf104(dsn, with_baseline))
    hit = {f.object: f for f in findings}
    for key in ("wo_list_first_page/manager", "wo_list_first_page/supervisor"):
        f = hit[key]
        assert "no longer uses the expected index work_orders_created_idx" in f.message
        assert "confirmed by a second measurement" in f.message
        assert "-" + " " * 2 in "\n".join(f.details["plan_diff"])  # type: ignore[arg-type]
        # the difference in the finding, the whole plans in a file beside the report
        assert f.details["plans_file"] == "plans.json"
        assert len(json.dumps(f.details, default=str)) < 8_000


# Once per statement, a function the policy calls reads the whole audit trail: every partition
# is small, so no Seq Scan of a large table shows; only the buffers do.
READS_AUDIT_TRAIL = (
    """create function private.audit_rows() returns bigint language sql stable
       security definer set search_path = '' as $$ select count(*) from public.system_logs $$""",
    "grant execute on function private.audit_rows() to authenticated",
    """create policy notifications_audited on public.notifications as restrictive for select
       to authenticated using ((select private.audit_rows()) >= 0)""",
)


@pytest.mark.proves("PRF104")
def test_prf104_reports_buffers_beyond_the_tolerance(
    tiny_dsn: str, clone_of: Clone, with_baseline: SchemaDir
) -> None:
    with clone_of(tiny_dsn) as dsn:
        run_sql(dsn, *READS_AUDIT_TRAIL)
        ctx = context(dsn, with_baseline, **LATENCY_OFF)
        findings = {f.object: f for f in failing("PRF104", list(baseline_regression(ctx)))}
        # the policy's init plan runs once a row reaches it: for callers with unread ones
        readers = {m.key for m in results_of(ctx).measurements
                   if m.query.name == "unread_notifications" and m.rows}
    assert readers and set(findings) == readers
    for f in findings.values():
        assert set(f.details["regressions"]) == {"buffers"}  # type: ignore[arg-type]
        assert "tolerance +50% and +20" in f.message


def test_prf104_on_another_major_compares_plans_only(
    tiny_dsn: str, clone_of: Clone, with_baseline: SchemaDir, tmp_path: Path
) -> None:
    recorded = read_baseline(with_baseline.root / "dbharness" / BASELINE_FILE)
    other = schema_copy(tmp_path)
    (other.root / "dbharness" / BASELINE_FILE).write_text(json.dumps(Baseline(
        recorded.scale, recorded.seed, {99: next(iter(recorded.majors.values()))}).to_json()))
    with clone_of(tiny_dsn) as dsn:
        run_sql(dsn, *READS_AUDIT_TRAIL)  # buffers only: not compared across majors
        assert failing("PRF104", list(baseline_regression(context(dsn, other)))) == []
    with clone_of(tiny_dsn) as dsn:
        run_sql(dsn, "drop index public.work_orders_created_idx")  # a plan property: compared
        ctx = context(dsn, other)
        lost = {f.object for f in failing("PRF104", list(baseline_regression(ctx)))}
    assert lost == {"wo_list_first_page/manager", "wo_list_first_page/supervisor",
                    "wo_list_deep_page/supervisor"}  # every page the index was made for
    assert ctx.stats["baseline_major"] == 99
    assert ctx.stats["compared_properties"].startswith("Seq Scans of large relations")
