"""End to end: the access checks pass on the canonical schema and catch known-bad variants.

Each check is run as the runner would (``Check.func(ctx)``) on a real copy of the canonical
schema with its seed data; the known-bad variants are SQL applied after the seed. Besides the
findings, the clean runs assert what the check exercised (``ctx.stats``), so that a check that
quietly stopped trying something fails here.
"""

from __future__ import annotations

import pytest

from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, load_suites

pytestmark = pytest.mark.slow

load_suites()


def run(check_id: str, ctx: CheckContext) -> list[Finding]:
    ctx.stats = {}
    return list(REGISTRY.get(check_id).func(ctx))


def show(findings: list[Finding]) -> str:
    return "\n\n".join(f"{f.object}: {f.message}\n{f.repro_sql or ''}" for f in findings)


# ------------------------------------------------------------------ SEC100
@pytest.mark.proves("SEC100", clean=True)
def test_matrix_holds_on_canonical(rls_context) -> None:
    with rls_context(cases=2000) as ctx:
        findings = run("SEC100", ctx)
    assert not findings, show(findings)
    s = ctx.stats
    # Every principal kind x table x command cell was tried, then the configured random cases.
    kinds = {"anon", "service_role", "inactive", "forged", "no_claims", "no_profile", "admin"}
    assert kinds <= set(s["principal_kinds"]), s
    assert s["cells"] == len(s["principal_kinds"]) * 23 * 4 and s["cells_tried"] == s["cells"], s
    assert s["kinds_without_actor"] == [] and s["tables_without_rows"] == [], s
    assert s["random_cases"] == 2000 and s["cases"] == s["sweep_cases"] + 2000, s
    assert s["conclusive_share"] >= 0.9 and s["cells_conclusive"] >= 0.95 * s["cells"], s


ANON_READS_WORK_ORDERS = """
grant select on public.work_orders to anon;
create policy work_orders_anon_read on public.work_orders for select to anon using (true);
"""


@pytest.mark.proves("SEC100")
def test_anon_reading_a_tenant_table_fails_sec100_by_the_sweep_alone(rls_context) -> None:
    # No random case at all: the coverage sweep alone must meet anon x work_orders x select.
    with rls_context(ANON_READS_WORK_ORDERS, cases=0) as ctx:
        findings = run("SEC100", ctx)
    leaks = [f for f in findings if f.details.get("actor_role") == "anon"]
    assert [(f.object, f.details["command"]) for f in leaks] == [
        ("public.work_orders", "select")
    ], show(findings)
    assert "anon reaches nothing" in leaks[0].message
    assert leaks[0].repro_sql and "'anon'" in leaks[0].repro_sql
    assert ctx.stats["random_cases"] == 0 and ctx.stats["cells_tried"] == ctx.stats["cells"]


ALWAYS_TRUE_WO_SELECT = """
drop policy work_orders_select on public.work_orders;
create policy work_orders_select on public.work_orders for select to authenticated using (true);
"""


@pytest.mark.proves("SEC100")
def test_always_true_policy_is_caught(rls_context) -> None:
    with rls_context(ALWAYS_TRUE_WO_SELECT, cases=600) as ctx:
        findings = run("SEC100", ctx)
    wo = [f for f in findings if f.object == "public.work_orders"]
    assert wo, show(findings)
    f = wo[0]
    assert (
        f.repro_sql
        and f.repro_sql.startswith("BEGIN;")
        and f.repro_sql.rstrip().endswith("ROLLBACK;")
    )
    assert "work_orders" in f.repro_sql and "request.jwt.claims" in f.repro_sql
    assert f.seed == ctx.seed and f.details["command"] == "select"
    assert "expected denied" in f.message


@pytest.mark.proves("SEC100")
def test_too_few_conclusive_cases_is_a_finding_of_sec100(rls_context) -> None:
    # The canonical run has ~5% inconclusive cases (integrity rules the generator cannot
    # foresee): a floor of 100% must turn that into a finding of SEC100 itself.
    floors = {"SEC100": {"min_conclusive_share": 1.0}}
    with rls_context(cases=200, options=floors) as ctx:
        findings = run("SEC100", ctx)
    assert [f.object for f in findings] == ["coverage:min_conclusive_share"], show(findings)
    assert "options.SEC100.min_conclusive_share" in findings[0].message
    assert abs(findings[0].details["measured"] - ctx.stats["conclusive_share"]) < 1e-3


# ------------------------------------------------------------------ SEC101
@pytest.mark.proves("SEC101", clean=True)
def test_lifecycle_holds_on_canonical(rls_context) -> None:
    with rls_context(cases=1000) as ctx:
        findings = run("SEC101", ctx)
    assert not findings, show(findings)
    assert ctx.stats["status_changes"] >= 10 and ctx.stats["conclusive_share"] >= 0.8


@pytest.mark.proves("SEC101")
def test_illegal_transition_is_caught(rls_context) -> None:
    with rls_context("drop trigger trg_30_wo_status on public.work_orders;", cases=1000) as ctx:
        findings = run("SEC101", ctx)
    assert findings, "SEC101 let an illegal transition through"
    assert "work_orders" in findings[0].object


# ------------------------------------------------------------------ SEC102
@pytest.mark.proves("SEC102", clean=True)
def test_attacks_fail_on_canonical(rls_context) -> None:
    with rls_context() as ctx:
        findings = run("SEC102", ctx)
    assert not findings, show(findings)
    s = ctx.stats
    assert s["probe_failed"] == 0 and s["refused"] == s["attacks"] >= 50, s


SELF_EDIT_PROFILE = """
drop trigger trg_20_profiles_guard on public.profiles;
create policy profiles_self_update on public.profiles for update to authenticated
  using (id = (select auth.uid())) with check (id = (select auth.uid()));
"""


@pytest.mark.proves("SEC102")
def test_self_promotion_is_caught(rls_context) -> None:
    with rls_context(SELF_EDIT_PROFILE) as ctx:
        findings = run("SEC102", ctx)
    names = " | ".join(f.object for f in findings)
    assert "promotes itself" in names, show(findings)
    assert "moves itself" in names
    assert all(f.repro_sql and "BEGIN;" in f.repro_sql for f in findings)


@pytest.mark.proves("SEC102")
def test_anon_reading_a_tenant_table_fails_sec102(rls_context) -> None:
    with rls_context(ANON_READS_WORK_ORDERS) as ctx:
        findings = run("SEC102", ctx)
    assert [f.object for f in findings] == ["anon reads work_orders"], show(findings)
    assert "read" in findings[0].message and "row(s)" in findings[0].message


# ------------------------------------------------------------------ SEC103
@pytest.mark.proves("SEC103", clean=True)
def test_audit_complete_on_canonical(rls_context) -> None:
    with rls_context() as ctx:
        findings = run("SEC103", ctx)
    assert not findings, show(findings)
    # Audited writes for most table x role x command combinations the matrix allows, never 0.
    assert ctx.stats["writes_audited"] >= 100, ctx.stats
    assert ctx.stats["audited_share"] >= 0.85, ctx.stats


@pytest.mark.proves("SEC103")
def test_dropped_audit_trigger_is_caught(rls_context) -> None:
    with rls_context("drop trigger trg_99_audit on public.equipment;") as ctx:
        findings = run("SEC103", ctx)
    assert findings and {f.object for f in findings} == {"public.equipment"}, show(findings)
    assert "0 audit rows" in findings[0].message


# Every audited write now fails (the audit insert is refused), so SEC103 can check none: it
# used to pass then, having skipped every write as "refused for data reasons".
AUDIT_STORE_REFUSES = """
create function public.refuse_audit() returns trigger language plpgsql set search_path = ''
  as $$ begin raise exception 'audit store is read-only' using errcode = '23514'; end $$;
create trigger refuse_audit before insert on public.system_logs
  for each row execute function public.refuse_audit();
"""


@pytest.mark.proves("SEC103")
def test_audit_check_that_checked_nothing_fails(rls_context) -> None:
    with rls_context(AUDIT_STORE_REFUSES) as ctx:
        findings = run("SEC103", ctx)
    assert sorted(f.object for f in findings) == [
        "coverage:min_audited_share",
        "coverage:min_writes_audited",
    ], show(findings)
    assert ctx.stats["writes_audited"] == 0
    assert ctx.stats["candidates_skipped"].get("error 23514", 0) > 0


# ------------------------------------------------------------------ SEC104
@pytest.mark.proves("SEC104", clean=True)
def test_hostile_strings_on_canonical(rls_context) -> None:
    with rls_context() as ctx:
        findings = run("SEC104", ctx)
    assert not findings, show(findings)
    s = ctx.stats
    assert s["functions_fuzzed"] == s["functions"] > 0, s
    assert s["fuzzed_per_role"] == {"authenticated": s["functions"]}, s


@pytest.mark.proves("SEC104", clean=True)
def test_without_an_active_admin_functions_are_fuzzed_as_another_user(rls_context) -> None:
    # Was: anon fuzzed functions only `authenticated` may execute, every call a clean 42501.
    no_admin = "update public.profiles set is_active = false where role = 'admin';"
    with rls_context(no_admin) as ctx:
        findings = run("SEC104", ctx)
    assert not findings, show(findings)
    assert "anon" not in ctx.stats["fuzzed_per_role"]
    assert ctx.stats["fuzzed_per_role"]["authenticated"] == ctx.stats["functions"]


INJECTABLE_AND_HANGING = """
create function public.count_rows(tbl text) returns bigint
language plpgsql security invoker set search_path = '' as $$
declare n bigint;
begin
  execute 'select count(*) from public.' || tbl into n;
  return n;
end $$;
revoke execute on function public.count_rows(text) from public, anon;
grant execute on function public.count_rows(text) to authenticated;

-- never returns on a quote: a hostile string hangs it (a denial of service through the API)
create function public.echo_slowly(msg text) returns text
language plpgsql set search_path = '' as $$
begin
  while position('''' in msg) > 0 loop perform pg_sleep(0.05); end loop;
  return msg;
end $$;
revoke execute on function public.echo_slowly(text) from public;
grant execute on function public.echo_slowly(text) to anon;
"""


@pytest.mark.proves("SEC104")
def test_injectable_and_hanging_functions_are_found(rls_context) -> None:
    with rls_context(INJECTABLE_AND_HANGING) as ctx:
        findings = run("SEC104", ctx)
    by_object = {f.object: f for f in findings}
    assert set(by_object) == {"public.count_rows", "public.echo_slowly"}, show(findings)
    injected = by_object["public.count_rows"]
    assert injected.details["sqlstate"] == "42601" and injected.details["role"] == "authenticated"
    hung = by_object["public.echo_slowly"]
    assert hung.details == {"sqlstate": "57014", "argument": 1, "role": "anon"}
    assert "statement timeout" in hung.message
    assert ctx.stats["fuzzed_per_role"]["anon"] == 1


@pytest.mark.parametrize(("extra_sql", "problem"), [
    ("alter table public.work_order_assignees drop column id",
     "public.work_order_assignees has no column 'id'"),
    ("alter table public.work_order_assignees drop constraint work_order_assignees_pkey;"
     " update public.work_order_assignees set id = '00000000-0000-4000-8000-000000000001'",
     "public.work_order_assignees has rows that share 'id'"),
])
def test_table_without_a_one_column_key_is_a_clear_error(
    rls_context, extra_sql: str, problem: str
) -> None:
    # The access matrix names rows by one column (`key`, default "id"): a table without one gets
    # the reason and the remedy, not a KeyError or a confused oracle mid-run.
    from harness.errors import HarnessError

    with rls_context(extra_sql) as ctx, pytest.raises(HarnessError) as err:
        run("SEC100", ctx)
    assert problem in str(err.value)
    assert "composite keys are not supported" in (err.value.hint or "")
