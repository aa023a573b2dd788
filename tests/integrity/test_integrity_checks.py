"""The integrity checks on the canonical schema (clean) and on known-bad variants of it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict

from harness.config import HarnessConfig
from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, load_suites
from harness.runner import SkipCheck
from harness.schema_dir import SchemaDir
from suites.integrity.backup import differences
from suites.integrity.concurrency import Scenario, judge
from suites.integrity.sessions import Outcome
from tests.integrity.conftest import IntegrityContext
from tests.support import TEST_DSN

load_suites()

W1 = "10000000-0000-0000-0000-000000000001"
CHECK_IDS = ("INT010", "INT011", "INT020", "INT021", "INT030")

# The stock CHECK gone (and reserved <= on hand, which a negative stock would trip first), one
# part driven negative the way a careless migration or a superuser script would, and the status
# machine switched off.
NEGATIVE_STOCK = f"""
alter table public.parts drop constraint parts_quantity_on_hand_check;
alter table public.parts drop constraint parts_reserved_le_on_hand;
update public.parts set quantity_on_hand = quantity_on_hand - 100
 where warehouse_id = '{W1}' and part_number = 'FUSE-10A';
alter table public.work_orders disable trigger trg_30_wo_status;
"""

NO_STOCK_CHECK = """
alter table public.parts drop constraint parts_quantity_on_hand_check;
"""

# complete_work_order without its row locks: it checks stock on an unlocked read, then pauses
# so that every racing session has read the same stock before anyone issues it.
UNLOCKED_COMPLETION = (
    NO_STOCK_CHECK
    + """
alter table public.parts drop constraint parts_reserved_le_on_hand;
do $$
declare
  d text := pg_get_functiondef(
    'private.complete_work_order_impl(uuid, numeric, jsonb, text, text)'::regprocedure);
begin
  if position('for update of p' in d) = 0 then
    raise exception 'the lock clause to remove is not in complete_work_order_impl';
  end if;
  d := replace(d, 'for update of p', '');
  d := replace(d, '  -- a requested part that is not in the work order''s warehouse',
               '  perform pg_sleep(0.3);');
  execute d;
end $$;
"""
)

# A generated column computed by a function that claims IMMUTABLE but depends on the database
# it runs in: the restore recomputes it, so the restored rows differ.
LYING_GENERATED_COLUMN = """
create function public.site_tag(code text) returns text language sql immutable
  as $$ select current_database() || ':' || code $$;
alter table public.warehouses
  add column site_tag text generated always as (public.site_tag(code)) stored;
"""


# The race the variants below break; the other scenarios are covered by the canonical run.
ONE_RACE = {"integrity": {"concurrency_scenarios": ["last_units_of_a_part"]}}


def run(ctx: CheckContext, check_id: str) -> list[Finding]:
    return list(REGISTRY.get(check_id).func(ctx))


@pytest.mark.proves("INT010", clean=True)
@pytest.mark.proves("INT011", clean=True)
@pytest.mark.proves("INT020", clean=True)
@pytest.mark.proves("INT021", clean=True)
@pytest.mark.proves("INT030", clean=True)
def test_canonical_schema_passes_every_integrity_check(
    integrity_context: IntegrityContext, record_property: Callable[[str, object], None]
) -> None:
    timings = {}
    with integrity_context() as ctx:
        for check_id in CHECK_IDS:
            start = time.perf_counter()
            findings = run(ctx, check_id)
            timings[check_id] = round(time.perf_counter() - start, 2)
            assert findings == [], f"{check_id}: {[f.message for f in findings]}"
    # In the JUnit XML of the test run (pytest --junitxml), not in every terminal.
    record_property("integrity_check_timings_s", timings)


@pytest.mark.proves("INT010")
@pytest.mark.proves("INT011")
def test_negative_stock_and_dropped_guards_are_found(integrity_context: IntegrityContext) -> None:
    with integrity_context(NEGATIVE_STOCK) as ctx:
        data = run(ctx, "INT010")
        guards = run(ctx, "INT011")
    assert [f.object for f in data] == ["stock_not_negative"]
    example = data[0].details["examples"][0]  # type: ignore[index]
    assert example["part_number"] == "FUSE-10A" and example["quantity_on_hand"] < 0
    assert "quantity_on_hand" in (data[0].repro_sql or "")
    objects = {f.object for f in guards}
    assert "public.parts check quantity_on_hand >= 0" in objects
    assert "public.parts.parts_reserved_le_on_hand" in objects
    assert "public.work_orders trigger private.wo_status_machine" in objects
    assert len(guards) == 3


def test_locked_function_holds_without_the_check(integrity_context: IntegrityContext) -> None:
    # The CHECK is the last guard; complete_work_order locks and re-checks on its own.
    with integrity_context(NO_STOCK_CHECK, options=ONE_RACE) as ctx:
        assert run(ctx, "INT020") == []
        assert [f.object for f in run(ctx, "INT011")] == [
            "public.parts check quantity_on_hand >= 0"
        ]


@pytest.mark.proves("INT020")
def test_unlocked_completion_drives_stock_negative(integrity_context: IntegrityContext) -> None:
    with integrity_context(UNLOCKED_COMPLETION, options=ONE_RACE) as ctx:
        findings = run(ctx, "INT020")
    problems = {
        str(f.details["problem"]) for f in findings if f.object == "scenario:last_units_of_a_part"
    }
    assert {"successes", "invariant:stock_not_negative"} <= problems
    assert all(f.object == "scenario:last_units_of_a_part" for f in findings)
    assert all(f.details["deadlocks"] == 0 for f in findings)


@pytest.mark.proves("INT030")
def test_round_trip_finds_rows_that_change_on_restore(
    integrity_context: IntegrityContext,
) -> None:
    with integrity_context(LYING_GENERATED_COLUMN) as ctx:
        findings = run(ctx, "INT030")
    assert [f.object for f in findings] == ["rows:public.warehouses"]
    assert str(findings[0].details["pg_dump"]).startswith("pg_dump (PostgreSQL) ")


# Every ledger row is mirrored into the audit trail through a loopback connection (dblink, as
# "durable" audit copies are sometimes written): that insert commits on its own, so it survives
# when the caller's transaction is killed before COMMIT.
AUTONOMOUS_AUDIT_COPY = """
create extension if not exists dblink schema public;
create function public.mirror_ledger() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform public.dblink_exec(
    format('dbname=%s {loopback}', current_database()),
    format('insert into public.system_logs (action, table_name, record_id, warehouse_id)'
           ' values (%L, %L, %L, %L)', 'INSERT', 'part_transactions', new.id, new.warehouse_id));
  return new;
end $$;
create trigger mirror_ledger after insert on public.part_transactions
  for each row execute function public.mirror_ledger();
"""


def _loopback() -> str:
    """Host, port and user of the test server, as dblink needs them (database set per clone)."""
    parts = conninfo_to_dict(TEST_DSN)
    return " ".join(f"{k}={parts[k]}" for k in ("host", "port", "user") if parts.get(k))


@pytest.mark.proves("INT021")
def test_write_that_commits_on_its_own_survives_the_kill(
    integrity_context: IntegrityContext,
) -> None:
    with integrity_context(AUTONOMOUS_AUDIT_COPY.replace("{loopback}", _loopback())) as ctx:
        findings = run(ctx, "INT021")
    survived = [f for f in findings if f.object == "termination:completion_killed_before_commit"]
    assert survived, [f.message for f in findings]
    assert "part of the write survived" in survived[0].message
    before = survived[0].details["before"][0]  # type: ignore[index]
    after = survived[0].details["after"][0]  # type: ignore[index]
    assert after[-1] == before[-1] + 1  # audit_rows: the loopback insert, and nothing else
    assert after[:-1] == before[:-1]


def test_differences_name_missing_extra_and_changed_objects() -> None:
    before = {"policy": {"a": "1", "b": "2"}, "rows": {"t": "3 rows"}}
    after = {"policy": {"a": "1", "c": "2"}, "rows": {"t": "2 rows"}}
    assert list(differences(before, after)) == [
        ("policy", "b", "2", None),
        ("policy", "c", None, "2"),
        ("rows", "t", "3 rows", "2 rows"),
    ]


def test_judge_counts_retryable_errors_only_when_forbidden() -> None:
    base = {"name": "s", "actor": "service_role", "operation": "select 1", "sessions": 3}
    outcomes = [
        Outcome(0, True),
        Outcome(1, False, "40P01", "deadlock detected"),
        Outcome(2, False, "23514", "rule violated"),
    ]
    lenient = Scenario.parse({**base, "min_successes": 1, "refusals": ["23514"]})
    assert list(judge(lenient, outcomes)) == []
    strict = Scenario.parse({**base, "successes": 1, "forbid": ["deadlock"]})
    assert [kind for kind, _, _ in judge(strict, outcomes)] == ["deadlock", "unexpected_error"]


def test_checks_skip_without_plugin_data(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    ctx = CheckContext(
        dsn="", schema=SchemaDir.open(tmp_path), config=HarnessConfig(), seed=1, clone=object
    )
    for check_id in ("INT010", "INT011", "INT020", "INT021"):
        assert REGISTRY.get(check_id).needs
        with pytest.raises(SkipCheck):
            run(ctx, check_id)
