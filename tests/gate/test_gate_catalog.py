"""What a change made weaker, read from the catalogs of base and head (MIG410-MIG419).

Every case is a new migration on the tenant schema of conftest.py, replayed on the real
server; most make the change the way a statement rule cannot see (a DO block, dynamic SQL,
a function the migration calls).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from harness.gate.pipeline import GateOptions, GateResult, run_gate

AddMigration = Callable[[str, str], Path]


@pytest.fixture
def change(catalog_repo: Path, admin_dsn: str) -> Callable[[str], GateResult]:
    """Add ``sql`` as migration 0002 and run the gate's own steps (no dump) against HEAD."""

    def run(sql: str) -> GateResult:
        (catalog_repo / "schema" / "migrations" / "0002_change.sql").write_text(sql)
        options = GateOptions(base="HEAD", schema=catalog_repo / "schema", check_dump=False,
                              full_lint=False)
        return run_gate(options, admin_dsn)

    return run


def catalog_ids(result: GateResult) -> list[tuple[str, str]]:
    """(check, object) of the catalog findings, and of the statement rules they supersede."""
    return sorted(
        (f.check_id, f.object) for f in result.findings
        if f.check_id.startswith("MIG4") or f.check_id in ("MIG201", "MIG202", "MIG203")
    )


@pytest.mark.proves("MIG411")
def test_restrictive_policy_dropped_in_a_do_block(change: Callable[[str], GateResult]) -> None:
    result = change(
        "do $$\nbegin\n  execute 'drop policy work_orders_not_done on public.work_orders';\n"
        "end\n$$;\n"
    )
    assert catalog_ids(result) == [("MIG411", "public.work_orders.work_orders_not_done")]
    [f] = result.for_check("MIG411")
    assert "restrictive policy dropped" in f.message and "UPDATE for authenticated" in f.message
    assert (f.details["file"], f.details["line"]) == ("schema/migrations/0002_change.sql", 3)


@pytest.mark.proves("MIG419")
def test_permissive_policy_dropped_in_a_do_block(change: Callable[[str], GateResult]) -> None:
    result = change(
        "do $$ begin execute 'drop policy equipment_read on public.equipment'; end $$;\n"
    )
    assert catalog_ids(result) == [("MIG419", "public.equipment.equipment_read")]


@pytest.mark.proves("MIG411")
def test_policy_widened_to_every_role_or_to_true(change: Callable[[str], GateResult]) -> None:
    result = change("alter policy equipment_read on public.equipment to public;\n")
    [f] = result.for_check("MIG411")
    assert "SELECT for every role (public)" in f.message
    result = change(
        "drop policy equipment_read on public.equipment;\n"
        "create policy equipment_read on public.equipment for select to authenticated\n"
        "using (true);\n"
    )
    # one finding: the catalog's, not also MIG202's for the text "drop policy"
    assert catalog_ids(result) == [("MIG411", "public.equipment.equipment_read")]
    assert "true admits every row" in result.for_check("MIG411")[0].message


@pytest.mark.proves("MIG411")
def test_permissive_policy_added_for_anon(change: Callable[[str], GateResult]) -> None:
    result = change(
        "create policy equipment_anon on public.equipment for select to anon\n"
        "using (warehouse_id is not null);\n"
    )
    [f] = result.for_check("MIG411")
    assert f.object == "public.equipment.equipment_anon" and "for anon" in f.message


@pytest.mark.proves("MIG418")
def test_expression_that_cannot_be_decided_is_informational(
    change: Callable[[str], GateResult],
) -> None:
    result = change(
        "alter policy equipment_read on public.equipment using (warehouse_id is not null);\n"
    )
    assert catalog_ids(result) == [("MIG418", "public.equipment.equipment_read")]
    [f] = result.for_check("MIG418")
    assert "cannot be decided" in f.message and f.details["after"]


@pytest.mark.proves("MIG411", clean=True)
@pytest.mark.proves("MIG419", clean=True)
@pytest.mark.proves("MIG418", clean=True)
def test_narrowing_and_refactoring_policies_is_not_reported(
    change: Callable[[str], GateResult],
) -> None:
    # a restrictive policy only narrows; an AND narrows; two policies merged into one with
    # the same expression under a new name admit exactly what they did
    result = change(
        "create policy equipment_named on public.equipment as restrictive for select\n"
        "to authenticated using (name <> '');\n"
        "alter policy work_orders_read on public.work_orders\n"
        "using (warehouse_id = (select public.current_warehouse()) and status = 'open');\n"
        "drop policy work_orders_update on public.work_orders;\n"
        "create policy work_orders_change on public.work_orders for update to authenticated\n"
        "using (warehouse_id = (select public.current_warehouse()));\n"
    )
    assert catalog_ids(result) == []


@pytest.mark.proves("MIG410")
def test_rls_disabled_by_dynamic_sql_and_no_longer_forced(
    change: Callable[[str], GateResult],
) -> None:
    result = change(
        "do $$\nbegin\n"
        "  execute format('alter table %I.%I disable row level security', 'public', 'equipment');\n"
        "end\n$$;\n"
        "alter table public.work_orders no force row level security;\n"
        "alter view public.open_work_orders reset (security_invoker);\n"
    )
    assert catalog_ids(result) == [
        ("MIG410", "public.equipment"),
        ("MIG410", "public.open_work_orders"),
        ("MIG410", "public.work_orders"),
    ]


@pytest.mark.proves("MIG412")
def test_grant_widened_by_a_function_the_migration_calls(
    change: Callable[[str], GateResult],
) -> None:
    result = change(
        "create function public.expose(t regclass) returns void language plpgsql as $$\n"
        "begin\n  execute format('grant select on %s to anon', t);\nend\n$$;\n"
        "select public.expose('public.equipment');\n"
        "drop function public.expose(regclass);\n"
    )
    assert catalog_ids(result) == [("MIG412", "public.equipment")]
    [f] = result.for_check("MIG412")
    assert f.details["grantee"] == "anon" and f.details["privileges"] == ["SELECT"]
    assert f.severity is None  # the check's own (high): anon is an API role


@pytest.mark.proves("MIG412")
def test_function_recreated_gets_public_execute_again(change: Callable[[str], GateResult]) -> None:
    result = change(
        "drop function public.open_count();\n"
        "create function public.open_count() returns bigint language sql stable\n"
        "set search_path = '' as $$ select 1::bigint $$;\n"
    )
    [f] = result.for_check("MIG412")
    assert f.object == "public.open_count()" and f.details["grantee"] == "PUBLIC"


@pytest.mark.proves("MIG414")
def test_tenant_foreign_key_dropped(change: Callable[[str], GateResult]) -> None:
    result = change("alter table public.work_orders drop constraint work_orders_equipment_fk;\n")
    assert catalog_ids(result) == [("MIG414", "public.work_orders.work_orders_equipment_fk")]
    result = change(
        "alter table public.work_orders drop constraint work_orders_equipment_fk;\n"
        "alter table public.work_orders add constraint work_orders_equipment_fk\n"
        "foreign key (warehouse_id, equipment_id) references public.equipment (warehouse_id, id)\n"
        "not valid;\n"
    )
    [f] = result.for_check("MIG414")
    assert "no longer validated" in f.message


@pytest.mark.proves("MIG413")
def test_check_and_not_null_lost(change: Callable[[str], GateResult]) -> None:
    result = change(
        "do $$ begin execute 'alter table public.work_orders drop constraint "
        "work_orders_status_check'; end $$;\n"
        "alter table public.work_orders alter column title drop not null;\n"
    )
    assert catalog_ids(result) == [
        ("MIG413", "public.work_orders.title"),
        ("MIG413", "public.work_orders.work_orders_status_check"),
    ]


@pytest.mark.proves("MIG415")
def test_index_lost(change: Callable[[str], GateResult]) -> None:
    result = change("drop index public.work_orders_title_idx;\n")
    assert catalog_ids(result) == [("MIG415", "public.work_orders.work_orders_title_idx")]


@pytest.mark.proves("MIG415", clean=True)
@pytest.mark.proves("MIG413", clean=True)
def test_index_replaced_by_a_wider_one_is_not_lost(change: Callable[[str], GateResult]) -> None:
    result = change(
        "create index work_orders_title_status_idx on public.work_orders (title, status);\n"
        "drop index public.work_orders_title_idx;\n"
        "alter table public.work_orders drop constraint work_orders_status_check,\n"
        "add constraint work_orders_status_known check (status in ('open', 'done'));\n"
    )
    assert catalog_ids(result) == []


@pytest.mark.proves("MIG416")
def test_trigger_lost_or_disabled(change: Callable[[str], GateResult]) -> None:
    result = change("alter table public.work_orders disable trigger work_orders_audit;\n")
    [f] = result.for_check("MIG416")
    assert "disabled" in f.message
    result = change(
        "do $$ begin execute 'drop trigger work_orders_audit on public.work_orders'; end $$;\n"
    )
    [f] = result.for_check("MIG416")
    assert "is gone" in f.message and "DELETE, INSERT, UPDATE" in f.message


@pytest.mark.proves("MIG417")
def test_function_gains_definer_rights(change: Callable[[str], GateResult]) -> None:
    result = change("alter function public.current_warehouse() security definer;\n")
    assert catalog_ids(result) == [("MIG417", "public.current_warehouse()")]
    result = change("alter function public.audit() reset search_path;\n")
    [f] = result.for_check("MIG417")
    assert "search_path" in f.message


@pytest.mark.proves("MIG410", clean=True)
@pytest.mark.proves("MIG412", clean=True)
@pytest.mark.proves("MIG414", clean=True)
@pytest.mark.proves("MIG416", clean=True)
@pytest.mark.proves("MIG417", clean=True)
def test_benign_changes_weaken_nothing(change: Callable[[str], GateResult]) -> None:
    result = change(
        "comment on table public.equipment is 'machines';\n"
        "alter table public.work_orders add column notes text;\n"
        "grant select (title) on public.work_orders to authenticated;\n"
        "create table public.parts (\n"
        "  id uuid primary key default gen_random_uuid(),\n"
        "  warehouse_id uuid not null references public.warehouses (id)\n"
        ");\n"
        "create index parts_warehouse_idx on public.parts (warehouse_id);\n"
        "alter table public.parts enable row level security;\n"
        "create policy parts_read on public.parts for select to authenticated using (true);\n"
        "grant select on public.parts to anon;\n"
    )
    assert catalog_ids(result) == []
    assert result.skipped == {}
