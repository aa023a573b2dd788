"""The generator: deterministic from the seed, and every constraint holds (tiny scale)."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest

from harness.datagen import dataset_info
from harness.datagen.verify import foreign_key_violations, table_checksums

from .conftest import OTHER_SEED, SEED, dsn_for

TABLES = [
    "public.warehouses", "auth.users", "public.profiles", "public.user_warehouse_access",
    "public.vendors", "public.contractors", "public.equipment", "public.parts",
    "public.pm_templates", "public.pm_template_checklist", "public.pm_schedules",
    "public.work_orders", "public.wo_checklist_items", "public.wo_time_logs",
    "public.wo_parts_used", "public.part_transactions", "public.system_logs",
    "public.notifications", "public.notification_settings", "public.system_settings",
    "public.escalation_rules", "public.equipment_maintenance_history",
    "private.wo_number_counters", "public.work_order_assignees",
]


def checksums(dsn: str) -> dict[str, str]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return table_checksums(conn, TABLES)


def test_same_seed_gives_the_same_rows(generated: Callable[[int, str], str], tiny_dsn: str) -> None:
    again = generated(SEED, "b")
    first, second = checksums(tiny_dsn), checksums(again)
    assert first == second
    assert all(not v.startswith("0:") for v in first.values()), first  # every table has rows


def test_another_seed_gives_other_rows(generated: Callable[[int, str], str], tiny_dsn: str) -> None:
    first, other = checksums(tiny_dsn), checksums(generated(OTHER_SEED, "other"))
    assert [t for t in TABLES if first[t] == other[t]] == []


def test_marker_records_scale_and_seed(tiny_dsn: str) -> None:
    with psycopg.connect(tiny_dsn, autocommit=True) as conn:
        info = dataset_info(conn)
    assert info is not None and (info.scale, info.seed) == ("tiny", SEED)
    assert info.facts["as_of"].startswith("2026-11-01")


# Every index and constraint, as the catalog spells it: the generator drops indexes for the load
# and must give back exactly what the schema made.
SCHEMA_OBJECTS = """
select 'index', i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
  from pg_index i join pg_class c on c.oid = i.indrelid
  join pg_namespace n on n.oid = c.relnamespace
 where n.nspname in ('public', 'private', 'auth')
union all
select 'constraint', c.conrelid::regclass::text || '.' || c.conname, pg_get_constraintdef(c.oid)
  from pg_constraint c join pg_namespace n on n.oid = c.connamespace
 where n.nspname in ('public', 'private', 'auth')
order by 1, 2
"""


def test_indexes_and_constraints_are_given_back(schema_template: str, tiny_dsn: str) -> None:
    with psycopg.connect(dsn_for(schema_template), autocommit=True) as before, \
            psycopg.connect(tiny_dsn, autocommit=True) as after:
        made = before.execute(SCHEMA_OBJECTS).fetchall()
        assert any(r[1] == "work_order_assignees_user_idx" for r in made)
        assert after.execute(SCHEMA_OBJECTS).fetchall() == made


def test_foreign_keys_hold(tiny_dsn: str) -> None:
    with psycopg.connect(tiny_dsn, autocommit=True) as conn:
        assert foreign_key_violations(conn, ("public", "auth", "private")) == {}


INVARIANTS = {
    "ledger sum = on hand": """
        select count(*) from public.parts p
        where p.quantity_on_hand <> (select coalesce(sum(t.quantity), 0)
                                     from public.part_transactions t where t.part_id = p.id)""",
    "stock never negative, reserved within on hand": """
        select count(*) from public.parts
        where quantity_on_hand < 0 or reserved_quantity > quantity_on_hand""",
    "timestamps implied by the status": """
        select count(*) from public.work_orders
        where (status in ('in_progress', 'on_hold', 'completed', 'verified', 'closed')
               and started_at is null)
           or (status in ('completed', 'verified', 'closed') and completed_at is null)
           or (status in ('verified', 'closed') and (verified_at is null or verified_by is null))
           or (status = 'closed' and closed_at is null)
           or (status = 'cancelled' and cancelled_at is null)
           or (status in ('requested', 'open') and (started_at is not null
                                                    or cardinality(assigned_to) > 0))
           or started_at < created_at or completed_at < started_at""",
    "assignees active with access to the warehouse": """
        select count(*) from public.work_orders w, unnest(w.assigned_to) u
        where not exists (select 1 from public.profiles p where p.id = u and p.is_active
                          and p.warehouse_id = w.warehouse_id)""",
    "wo_number counters continue the numbers": """
        select count(*) from (select warehouse_id, (created_at at time zone 'UTC')::date d,
                                     count(*) n from public.work_orders group by 1, 2) x
        left join private.wo_number_counters c on c.warehouse_id = x.warehouse_id and c.day = x.d
        where c.last_value is distinct from x.n""",
    "audit rows point at existing work orders of their warehouse": """
        select count(*) from public.system_logs l
        where not exists (select 1 from public.work_orders w where w.id = l.record_id
                          and w.warehouse_id = l.warehouse_id)""",
}


@pytest.mark.parametrize("query", INVARIANTS.values(), ids=INVARIANTS.keys())
def test_invariant(tiny_dsn: str, query: str) -> None:
    with psycopg.connect(tiny_dsn, autocommit=True) as conn:
        row = conn.execute(query).fetchone()
    assert row is not None and row[0] == 0


def test_distributions_are_skewed(tiny_dsn: str) -> None:
    with psycopg.connect(tiny_dsn, autocommit=True) as conn:
        sites = [r[0] for r in conn.execute(
            "select count(*) from public.work_orders group by warehouse_id order by 1 desc")]
        closed = conn.execute("select avg((status in ('closed', 'cancelled'))::int)"
                              " from public.work_orders").fetchone()
    assert sites[0] > 1.5 * sites[-1]
    assert closed is not None and 0.7 < float(closed[0]) < 0.99
