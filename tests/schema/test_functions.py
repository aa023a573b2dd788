"""The business functions of the canonical schema (the PostgREST /rpc API), on a real database.

One scratch database per module (bootstrap, migrations, demo seed). Every call runs as a
PostgREST request would (harness.impersonate: role + request.jwt.claims, transaction-local) and
is rolled back unless a test needs committed state; tests that commit use warehouse W3 or rows
they create themselves, so the rolled-back tests can rely on the seed as documented in
schema/seed/0001_demo.sql.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import errors as pg
from psycopg import sql

from harness.impersonate import Actor, impersonate
from harness.migrate import apply_schema
from harness.schema_dir import SchemaDir
from tests.support import SUPABASE, TEST_DSN

ENCRYPTION_KEY = "maintainpro-demo-key-not-for-production"


# ---------------------------------------------------------------- seeded ids
def md5u(text: str) -> str:
    """Ids the seed derives with md5('<text>')::uuid."""
    return str(uuid.UUID(hashlib.md5(text.encode()).hexdigest()))


def wh(w: int) -> str:
    return f"10000000-0000-0000-0000-00000000000{w}"


ROLE_NO = {
    "admin": 1,
    "manager": 2,
    "supervisor": 3,
    "technician": 4,
    "inventory_clerk": 5,
    "contractor": 6,
    "requester": 7,
    "technician2": 8,
}


def user(role: str, w: int = 1) -> str:
    return f"2000000{w}-0000-0000-0000-00000000000{ROLE_NO[role]}"


def wo(key: str, w: int = 1) -> str:
    return md5u(f"wo:{w}:{key}")


def part(number: str, w: int = 1) -> str:
    return md5u(f"part:{w}:{number}")


INACTIVE = "20000001-0000-0000-0000-000000000009"
RANDOM = str(uuid.uuid4())
NOT_FOUND_WO = "work order not found or not accessible"


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def dsn() -> Iterator[str]:
    name = f"fntest_{secrets.token_hex(4)}"
    with psycopg.connect(TEST_DSN, autocommit=True) as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
        admin.execute(
            sql.SQL("alter database {} set app.settings.encryption_key = {}").format(
                sql.Identifier(name), sql.Literal(ENCRYPTION_KEY)
            )
        )
    target = psycopg.conninfo.make_conninfo(TEST_DSN, dbname=name)
    try:
        apply_schema(target, SchemaDir.open("schema"), bootstrap=True, seed=True,
                     platform=SUPABASE)
        yield target
    finally:
        with psycopg.connect(TEST_DSN, autocommit=True) as admin:
            admin.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
            )


@pytest.fixture
def conn(dsn: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(dsn, autocommit=True) as c:
        yield c


def as_user(
    conn: psycopg.Connection[Any],
    uid: str | None,
    query: str,
    params: Any = None,
    *,
    commit: bool = False,
) -> list[tuple[Any, ...]]:
    """Run one request as user ``uid`` (None: service_role) and return its rows."""
    actor = Actor.service_role() if uid is None else Actor.user(uid)
    with impersonate(conn, actor, commit=commit) as cur:
        cur.execute(query, params)
        return cur.fetchall() if cur.description else []


def one(
    conn: psycopg.Connection[Any],
    uid: str | None,
    query: str,
    params: Any = None,
    *,
    commit: bool = False,
) -> Any:
    return as_user(conn, uid, query, params, commit=commit)[0][0]


def scalar(conn: psycopg.Connection[Any], query: str, params: Any = None) -> Any:
    """Read as the database owner (no RLS), outside any request."""
    row = conn.execute(query, params).fetchone()
    return row[0] if row else None


def error_text(exc: psycopg.Error) -> str:
    return f"{exc.diag.message_primary} | {exc.diag.message_detail or ''}"


# ---------------------------------------------------------------- catalog: grants, definer, docs
API = [
    "create_work_order(uuid,text,text,text,text,uuid,timestamptz,numeric,uuid[],jsonb)",
    "assign_work_order(uuid,uuid[])",
    "bulk_assign_work_orders(uuid[],uuid[])",
    "transition_work_order(uuid,text,text)",
    "complete_work_order(uuid,numeric,jsonb,text,text)",
    "verify_work_order(uuid,text)",
    "log_time(uuid,timestamp with time zone,timestamp with time zone,text)",
    "update_checklist_item(uuid,boolean,text)",
    "record_part_transaction(uuid,text,integer,text,uuid,numeric,text)",
    "reserve_parts(uuid,integer,uuid)",
    "release_parts(uuid,integer,uuid)",
    "bulk_receive_parts(jsonb)",
    "low_stock(uuid)",
    "generate_pm_work_orders(date,uuid)",
    "process_escalations(timestamp with time zone)",
    "dashboard_kpis(uuid)",
    "list_work_orders(uuid,text,boolean,text,integer)",
    "search_work_orders(text,integer,text,uuid)",
    "check_rate_limit()",
    "set_vendor_tax_id(uuid,text)",
    "get_vendor_tax_id(uuid)",
]


@pytest.mark.parametrize("signature", API)
def test_api_function_catalog(conn: psycopg.Connection[Any], signature: str) -> None:
    fn = f"public.{signature}"
    row = conn.execute(
        """select p.prosecdef, p.proconfig, obj_description(p.oid, 'pg_proc'),
                  has_function_privilege('anon', p.oid, 'execute'),
                  has_function_privilege('authenticated', p.oid, 'execute'),
                  has_function_privilege('service_role', p.oid, 'execute'),
                  p.proacl::text[]
             from pg_proc p where p.oid = %s::regprocedure""",
        (fn,),
    ).fetchone()
    assert row is not None
    definer, config, comment, anon, authenticated, service, acl = row
    assert not definer, "exposed functions are security invoker; definer bodies live in private"
    assert config and any(c.startswith("search_path=") for c in config)
    assert comment and len(comment) > 80
    assert authenticated and service
    # the db-pre-request hook runs for every request, anonymous ones included
    assert anon == signature.startswith("check_rate_limit")
    assert not any(entry.startswith("=") for entry in acl), "PUBLIC must not hold execute"


def test_private_definer_functions_fix_search_path(conn: psycopg.Connection[Any]) -> None:
    rows = conn.execute(
        """select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname in ('public', 'private') and p.prosecdef
              and not coalesce(p.proconfig::text, '') like '%search_path%'"""
    ).fetchall()
    assert rows == []


# ---------------------------------------------------------------- role x function matrix
OK = None
Case = tuple[str, str | None, str, tuple[Any, ...], Any]

# fmt: off
CASES: list[Case] = [
    # create_work_order
    ("create:supervisor", user("supervisor"),
     "select status from create_work_order(warehouse_id => %s, title => 'Leak at pump 3')",
     (wh(1),), "open"),
    ("create:requester", user("requester"),
     "select status from create_work_order(warehouse_id => %s, title => 'Door jammed')",
     (wh(1),), "requested"),
    ("create:technician", user("technician"),
     "select status from create_work_order(warehouse_id => %s, title => 'Squeak')", (wh(1),),
     "requested"),
    ("create:manager-granted-w2", user("manager"),
     "select status from create_work_order(warehouse_id => %s, title => 'W2 job')", (wh(2),),
     "open"),
    ("create:with-assignees", user("supervisor"),
     "select status from create_work_order(warehouse_id => %s, title => 'Fix it', "
     "assignees => array[%s]::uuid[])", (wh(1), user("technician")), "assigned"),
    ("create:contractor", user("contractor"),
     "select create_work_order(warehouse_id => %s, title => 'x')", (wh(1),),
     (pg.InsufficientPrivilege, "not permitted")),
    ("create:clerk", user("inventory_clerk"),
     "select create_work_order(warehouse_id => %s, title => 'x')", (wh(1),),
     (pg.InsufficientPrivilege, "not permitted")),
    ("create:inactive", INACTIVE,
     "select create_work_order(warehouse_id => %s, title => 'x')", (wh(1),),
     (pg.InsufficientPrivilege, "no active profile")),
    ("create:foreign-warehouse", user("technician"),
     "select create_work_order(warehouse_id => %s, title => 'x')", (wh(2),),
     (pg.InsufficientPrivilege, "field: warehouse_id")),
    ("create:bad-priority", user("supervisor"),
     "select create_work_order(warehouse_id => %s, title => 'x', priority => 'urgent')", (wh(1),),
     (pg.InvalidParameterValue, "field: priority")),
    ("create:empty-title", user("supervisor"),
     "select create_work_order(warehouse_id => %s, title => '  ')", (wh(1),),
     (pg.InvalidParameterValue, "field: title")),
    ("create:requester-assigns", user("requester"),
     "select create_work_order(warehouse_id => %s, title => 'x', assignees => array[%s]::uuid[])",
     (wh(1), user("technician")), (pg.InsufficientPrivilege, "may not assign")),
    ("create:assignee-other-warehouse", user("supervisor"),
     "select create_work_order(warehouse_id => %s, title => 'x', assignees => array[%s]::uuid[])",
     (wh(1), user("technician", 2)), (pg.InvalidParameterValue, "field: assignees")),
    ("create:equipment-other-warehouse", user("supervisor"),
     "select create_work_order(warehouse_id => %s, title => 'x', equipment_id => %s)",
     (wh(1), md5u("eq:2:CL-100")), (pg.InsufficientPrivilege, "field: equipment_id")),
    # assign_work_order / bulk
    ("assign:open", user("supervisor"),
     "select status from assign_work_order(%s, array[%s]::uuid[])",
     (wo("open"), user("technician")), "assigned"),
    ("assign:requested", user("manager"),
     "select status from assign_work_order(%s, array[%s]::uuid[])",
     (wo("requested"), user("technician2")), "assigned"),
    ("assign:technician", user("technician"),
     "select assign_work_order(%s, array[%s]::uuid[])", (wo("assigned"), user("technician")),
     (pg.InsufficientPrivilege, "may not assign")),
    ("assign:completed", user("supervisor"),
     "select assign_work_order(%s, array[%s]::uuid[])", (wo("completed"), user("technician")),
     (pg.CheckViolation, "cannot be assigned")),
    ("assign:empty", user("supervisor"),
     "select assign_work_order(%s, '{}'::uuid[])", (wo("open"),),
     (pg.InvalidParameterValue, "field: assignees")),
    ("bulk-assign:two", user("supervisor"),
     "select bulk_assign_work_orders(array[%s, %s]::uuid[], array[%s]::uuid[])",
     (wo("open"), wo("assigned"), user("technician2")), 2),
    ("bulk-assign:foreign", user("supervisor"),
     "select bulk_assign_work_orders(array[%s, %s]::uuid[], array[%s]::uuid[])",
     (wo("open"), wo("open", 2), user("technician2")), (pg.InsufficientPrivilege, "field: wo_ids")),
    ("bulk-assign:empty", user("supervisor"),
     "select bulk_assign_work_orders('{}'::uuid[], array[%s]::uuid[])", (user("technician"),),
     (pg.InvalidParameterValue, "field: wo_ids")),
    # transition_work_order
    ("transition:tech-start", user("technician"),
     "select status from transition_work_order(%s, 'in_progress', 'starting')",
     (wo("assigned"),), "in_progress"),
    ("transition:tech-hold", user("technician"),
     "select status from transition_work_order(%s, 'on_hold')", (wo("in_progress"),), "on_hold"),
    ("transition:same-status", user("technician"),
     "select status from transition_work_order(%s, 'in_progress')", (wo("in_progress"),),
     "in_progress"),
    ("transition:supervisor-approve", user("supervisor"),
     "select status from transition_work_order(%s, 'open')", (wo("requested"),), "open"),
    ("transition:tech-cancel", user("technician"),
     "select transition_work_order(%s, 'cancelled')", (wo("assigned"),),
     (pg.InsufficientPrivilege, "not permitted")),
    ("transition:requester", user("requester"),
     "select transition_work_order(%s, 'open')", (wo("requested"),),
     (pg.InsufficientPrivilege, "not permitted")),
    ("transition:illegal", user("supervisor"),
     "select transition_work_order(%s, 'in_progress')", (wo("requested"),),
     (pg.CheckViolation, "illegal transition requested -> in_progress")),
    ("transition:terminal", user("manager"),
     "select transition_work_order(%s, 'open')", (wo("closed"),),
     (pg.CheckViolation, "illegal transition closed -> open")),
    ("transition:bad-status", user("supervisor"),
     "select transition_work_order(%s, 'done')", (wo("open"),),
     (pg.InvalidParameterValue, "field: new_status")),
    ("transition:foreign", user("technician"),
     "select transition_work_order(%s, 'in_progress')", (wo("assigned", 2),),
     (pg.InsufficientPrivilege, NOT_FOUND_WO)),
    # complete_work_order
    ("complete:contractor", user("contractor"),
     "select status::text || ':' || actual_hours from complete_work_order(%s, 4, "
     "%s::jsonb, 'done')",
     (wo("contractor_job"), json.dumps([{"part_id": part("FUSE-10A"), "quantity": 2}])),
     "completed:4.00"),
    ("complete:required-checklist", user("technician"),
     "select complete_work_order(%s, 1, '[]')", (wo("in_progress"),),
     (pg.CheckViolation, "field: checklist")),
    ("complete:not-started", user("technician"),
     "select complete_work_order(%s, 1, '[]')", (wo("assigned"),),
     (pg.CheckViolation, "illegal transition assigned -> completed")),
    ("complete:clerk-reads-but-may-not", user("inventory_clerk"),
     "select complete_work_order(%s)", (wo("contractor_job"),),
     (pg.InsufficientPrivilege, "may not complete")),
    ("complete:requester-cannot-see", user("requester"),
     "select complete_work_order(%s)", (wo("contractor_job"),),
     (pg.InsufficientPrivilege, NOT_FOUND_WO)),
    ("complete:zero-quantity", user("contractor"),
     "select complete_work_order(%s, 1, %s::jsonb)",
     (wo("contractor_job"), json.dumps([{"part_id": part("FUSE-10A"), "quantity": 0}])),
     (pg.InvalidParameterValue, "field: parts[0].quantity")),
    ("complete:fractional-quantity", user("contractor"),
     "select complete_work_order(%s, 1, %s::jsonb)",
     (wo("contractor_job"), json.dumps([{"part_id": part("FUSE-10A"), "quantity": 1},
                                        {"part_id": part("OIL-ISO68"), "quantity": 1.5}])),
     (pg.InvalidParameterValue, "field: parts[1].quantity")),
    ("complete:bad-part-id", user("contractor"),
     "select complete_work_order(%s, 1, %s::jsonb)",
     (wo("contractor_job"), json.dumps([{"part_id": "abc", "quantity": 1}])),
     (pg.InvalidParameterValue, "field: parts[0].part_id")),
    ("complete:parts-not-array", user("contractor"),
     "select complete_work_order(%s, 1, '{}'::jsonb)", (wo("contractor_job"),),
     (pg.InvalidParameterValue, "field: parts")),
    ("complete:negative-hours", user("contractor"),
     "select complete_work_order(%s, -1)", (wo("contractor_job"),),
     (pg.InvalidParameterValue, "field: actual_hours")),
    ("complete:part-of-other-warehouse", user("contractor"),
     "select complete_work_order(%s, 1, %s::jsonb)",
     (wo("contractor_job"), json.dumps([{"part_id": part("FUSE-10A", 2), "quantity": 1}])),
     (pg.InsufficientPrivilege, "field: parts[0].part_id")),
    ("complete:insufficient", user("contractor"),
     "select complete_work_order(%s, 1, %s::jsonb)",
     (wo("contractor_job"), json.dumps([{"part_id": part("FLT-AIR-01"), "quantity": 3}])),
     (pg.CheckViolation, "field: parts[0].quantity")),
    ("complete:already-completed", user("supervisor"),
     "select complete_work_order(%s, 1, '[]')", (wo("completed"),),
     (pg.CheckViolation, "already completed")),
    # verify_work_order
    ("verify:supervisor", user("supervisor"),
     "select status::text || ':' || (verified_by = %s)::text from verify_work_order(%s, 'ok')",
     (user("supervisor"), wo("completed")), "verified:true"),
    ("verify:already", user("supervisor"),
     "select status from verify_work_order(%s)", (wo("verified"),), "verified"),
    ("verify:technician", user("technician"),
     "select verify_work_order(%s)", (wo("completed"),),
     (pg.InsufficientPrivilege, "may not verify")),
    ("verify:not-completed", user("supervisor"),
     "select verify_work_order(%s)", (wo("in_progress"),),
     (pg.CheckViolation, "illegal transition in_progress -> verified")),
    # log_time
    ("log-time:technician", user("technician"),
     "select minutes::text || ':' || (user_id = %s)::text from log_time(%s, now() - interval "
     "'3 days', now() - interval '3 days' + interval '45 minutes', 'fitting')",
     (user("technician"), wo("assigned")), "45:true"),
    ("log-time:not-assigned", user("technician"),
     "select log_time(%s, now() - interval '3 days')", (wo("tech_request"),),
     (pg.InsufficientPrivilege, "assigned to you")),
    ("log-time:ended-before-started", user("technician"),
     "select log_time(%s, now() - interval '3 days', now() - interval '4 days')",
     (wo("assigned"),), (pg.InvalidParameterValue, "field: ended_at")),
    ("log-time:future", user("technician"),
     "select log_time(%s, now() + interval '1 day')", (wo("assigned"),),
     (pg.InvalidParameterValue, "field: started_at")),
    ("log-time:overlap-running-log", user("technician"),
     "select log_time(%s, now() - interval '30 minutes', now() - interval '10 minutes')",
     (wo("assigned"),), (pg.CheckViolation, "overlaps")),
    ("log-time:closed", user("technician"),
     "select log_time(%s, now() - interval '3 days', now() - interval '71 hours')",
     (wo("closed"),), (pg.CheckViolation, "closed work order")),
    # record_part_transaction
    ("ledger:clerk-receipt", user("inventory_clerk"),
     "select quantity::text || ':' || type from record_part_transaction(%s, 'receipt', 5, 'PO')",
     (part("FUSE-10A"),), "5:receipt"),
    ("ledger:admin-issue", user("admin"),
     "select quantity from record_part_transaction(%s, 'issue', 3)", (part("OIL-ISO68"),), -3),
    ("ledger:manager-adjust", user("manager"),
     "select quantity from record_part_transaction(%s, 'adjustment', -2, 'count')",
     (part("OIL-ISO68"),), -2),
    ("ledger:supervisor", user("supervisor"),
     "select record_part_transaction(%s, 'receipt', 1)", (part("FUSE-10A"),),
     (pg.InsufficientPrivilege, "not permitted")),
    ("ledger:technician", user("technician"),
     "select record_part_transaction(%s, 'issue', 1)", (part("FUSE-10A"),),
     (pg.InsufficientPrivilege, "not permitted")),
    ("ledger:contractor-cannot-see-parts", user("contractor"),
     "select record_part_transaction(%s, 'receipt', 1)", (part("FUSE-10A"),),
     (pg.InsufficientPrivilege, "part not found or not accessible")),
    ("ledger:foreign-part", user("inventory_clerk"),
     "select record_part_transaction(%s, 'receipt', 1)", (part("FUSE-10A", 2),),
     (pg.InsufficientPrivilege, "field: part_id")),
    ("ledger:zero", user("inventory_clerk"),
     "select record_part_transaction(%s, 'adjustment', 0)", (part("FUSE-10A"),),
     (pg.InvalidParameterValue, "field: quantity")),
    ("ledger:negative-receipt", user("inventory_clerk"),
     "select record_part_transaction(%s, 'receipt', -4)", (part("FUSE-10A"),),
     (pg.InvalidParameterValue, "field: quantity")),
    ("ledger:bad-type", user("inventory_clerk"),
     "select record_part_transaction(%s, 'gift', 1)", (part("FUSE-10A"),),
     (pg.InvalidParameterValue, "field: type")),
    ("ledger:below-reserved", user("inventory_clerk"),
     "select record_part_transaction(%s, 'issue', 37)", (part("BRG-6205"),),
     (pg.CheckViolation, "insufficient stock")),
    # reserve / release
    ("reserve:technician", user("technician"),
     "select r->>'reserved_for_work_order' from reserve_parts(%s, 3, %s) r",
     (part("BRG-6205"), wo("in_progress")), "7"),
    ("reserve:too-many", user("technician"),
     "select reserve_parts(%s, 3, %s)", (part("FLT-AIR-01"), wo("in_progress")),
     (pg.CheckViolation, "field: quantity")),
    ("reserve:part-other-warehouse", user("technician"),
     "select reserve_parts(%s, 1, %s)", (part("FUSE-10A", 2), wo("in_progress")),
     (pg.InsufficientPrivilege, "field: part_id")),
    ("reserve:not-assigned", user("technician2"),
     "select reserve_parts(%s, 1, %s)", (part("FUSE-10A"), wo("in_progress")),
     (pg.InsufficientPrivilege, NOT_FOUND_WO)),
    ("reserve:requester-reads-but-may-not", user("requester"),
     "select reserve_parts(%s, 1, %s)", (part("FUSE-10A"), wo("in_progress")),
     (pg.InsufficientPrivilege, "not permitted")),
    ("reserve:closed", user("inventory_clerk"),
     "select reserve_parts(%s, 1, %s)", (part("FUSE-10A"), wo("closed")),
     (pg.CheckViolation, "closed work order")),
    ("reserve:zero", user("technician"),
     "select reserve_parts(%s, 0, %s)", (part("FUSE-10A"), wo("in_progress")),
     (pg.InvalidParameterValue, "field: quantity")),
    ("release:all", user("technician"),
     "select (r->>'released') || ':' || (r->>'reserved_quantity') "
     "from release_parts(%s, null, %s) r",
     (part("BRG-6205"), wo("in_progress")), "4:0"),
    ("release:too-many", user("inventory_clerk"),
     "select release_parts(%s, 5, %s)", (part("BRG-6205"), wo("in_progress")),
     (pg.CheckViolation, "cannot release 5")),
    # bulk_receive_parts
    ("bulk-receive:clerk", user("inventory_clerk"),
     "select bulk_receive_parts(%s::jsonb)",
     (json.dumps([{"part_id": part("FUSE-10A"), "quantity": 10, "reference": "PO-9"},
                  {"part_id": part("FLT-AIR-01"), "quantity": 4, "unit_cost": 40}]),), 2),
    ("bulk-receive:technician", user("technician"),
     "select bulk_receive_parts(%s::jsonb)",
     (json.dumps([{"part_id": part("FUSE-10A"), "quantity": 1}]),),
     (pg.InsufficientPrivilege, "not permitted")),
    ("bulk-receive:bad-quantity", user("inventory_clerk"),
     "select bulk_receive_parts(%s::jsonb)",
     (json.dumps([{"part_id": part("FUSE-10A"), "quantity": 1},
                  {"part_id": part("FUSE-10A"), "quantity": -1}]),),
     (pg.InvalidParameterValue, "field: items[1].quantity")),
    ("bulk-receive:empty", user("inventory_clerk"),
     "select bulk_receive_parts('[]'::jsonb)", (), (pg.InvalidParameterValue, "field: items")),
    # low_stock
    ("low-stock:clerk", user("inventory_clerk"),
     "select string_agg(part_number, ',' order by part_number) from low_stock(%s)", (wh(1),),
     "FLT-AIR-01,FUSE-10A"),
    ("low-stock:admin-other-warehouse", user("admin"), "select count(*) from low_stock(%s)",
     (wh(2),), 2),
    ("low-stock:manager-scope", user("manager"), "select count(*) from low_stock()", (), 4),
    ("low-stock:requester", user("requester"), "select count(*) from low_stock()", (),
     (pg.InsufficientPrivilege, "may not read parts")),
    ("low-stock:foreign", user("inventory_clerk"), "select count(*) from low_stock(%s)", (wh(2),),
     (pg.InsufficientPrivilege, "field: warehouse_id")),
    # generate_pm_work_orders (rolled back; idempotency below)
    ("pm:supervisor", user("supervisor"), "select generate_pm_work_orders(current_date, %s)",
     (wh(1),), 1),
    ("pm:technician", user("technician"), "select generate_pm_work_orders()", (),
     (pg.InsufficientPrivilege, "not permitted")),
    ("pm:foreign", user("supervisor"), "select generate_pm_work_orders(current_date, %s)",
     (wh(2),), (pg.InsufficientPrivilege, "field: warehouse_id")),
    ("pm:null-date", user("supervisor"), "select generate_pm_work_orders(null)", (),
     (pg.InvalidParameterValue, "field: as_of")),
    # process_escalations
    ("escalate:supervisor", user("supervisor"), "select process_escalations()", (),
     (pg.InsufficientPrivilege, "not permitted")),
    ("escalate:null", user("manager"), "select process_escalations(null)", (),
     (pg.InvalidParameterValue, "field: as_of")),
    # dashboard_kpis
    ("kpi:supervisor", user("supervisor"),
     "select (k->>'open_work_orders') || ':' || (k->>'low_stock_parts') || ':' "
     "|| (k->>'overdue_work_orders') from dashboard_kpis(%s) k", (wh(1),), "9:2:2"),
    ("kpi:manager-granted", user("manager"),
     "select k ? 'mttr_hours' and k ? 'pm_compliance_pct' and k ? 'backlog_hours' "
     "from dashboard_kpis(%s) k", (wh(2),), True),
    ("kpi:technician", user("technician"), "select dashboard_kpis(%s)", (wh(1),),
     (pg.InsufficientPrivilege, "not permitted")),
    ("kpi:foreign", user("supervisor"), "select dashboard_kpis(%s)", (wh(2),),
     (pg.InsufficientPrivilege, "field: warehouse_id")),
    # list / search argument checks
    ("list:bad-status", user("supervisor"), "select list_work_orders(status => 'nope')", (),
     (pg.InvalidParameterValue, "field: status")),
    ("list:bad-page-size", user("supervisor"), "select list_work_orders(page_size => 0)", (),
     (pg.InvalidParameterValue, "field: page_size")),
    ("list:bad-cursor", user("supervisor"),
     "select list_work_orders(after_cursor => 'not a cursor')", (),
     (pg.InvalidParameterValue, "field: after_cursor")),
    ("list:foreign", user("supervisor"), "select list_work_orders(warehouse_id => %s)", (wh(2),),
     (pg.InsufficientPrivilege, "field: warehouse_id")),
    ("list:technician-sees-own", user("technician"),
     "select jsonb_array_length(list_work_orders()->'items')", (), 6),
    ("list:requester-sees-own", user("requester"),
     "select jsonb_array_length(list_work_orders()->'items')", (), 5),
    ("list:assigned-to-me", user("supervisor"),
     "select jsonb_array_length(list_work_orders(assigned_to_me => true)->'items')", (), 0),
    ("search:empty", user("supervisor"), "select search_work_orders('   ')", (),
     (pg.InvalidParameterValue, "field: query")),
    ("search:injection-is-data", user("supervisor"),
     "select jsonb_array_length(search_work_orders($$'); drop table work_orders; --$$)->'items')",
     (), 0),
    ("search:stop-words-only", user("supervisor"),
     "select jsonb_array_length(search_work_orders('the and of')->'items')", (), 0),
    # vendor tax id
    ("tax-id:admin", user("admin"), "select get_vendor_tax_id(%s)", (md5u("vendor:1:1"),),
     "12-3456781"),
    ("tax-id:manager-granted", user("manager"), "select get_vendor_tax_id(%s)",
     (md5u("vendor:2:1"),), "12-3456782"),
    ("tax-id:supervisor", user("supervisor"), "select get_vendor_tax_id(%s)",
     (md5u("vendor:1:1"),), (pg.InsufficientPrivilege, "may not read vendor tax ids")),
    ("tax-id:clerk-read", user("inventory_clerk"), "select get_vendor_tax_id(%s)",
     (md5u("vendor:1:1"),), (pg.InsufficientPrivilege, "not permitted")),
    ("tax-id:technician", user("technician"), "select get_vendor_tax_id(%s)",
     (md5u("vendor:1:1"),), (pg.InsufficientPrivilege, "vendor not found or not accessible")),
    ("tax-id:foreign", user("supervisor"), "select get_vendor_tax_id(%s)",
     (md5u("vendor:2:1"),), (pg.InsufficientPrivilege, "field: vendor_id")),
    ("tax-id:bad", user("manager"), "select set_vendor_tax_id(%s, 'x; drop')",
     (md5u("vendor:1:1"),), (pg.InvalidParameterValue, "field: tax_id")),
    ("tax-id:technician-set", user("technician"), "select set_vendor_tax_id(%s, 'A1')",
     (md5u("vendor:1:1"),), (pg.InsufficientPrivilege, "field: vendor_id")),
    # service_role (server jobs) reaches every warehouse, anon nothing
    ("service:kpis", None, "select (dashboard_kpis(%s)->>'open_work_orders')::int > 0",
     (wh(2),), True),
    ("service:create", None,
     "select status from create_work_order(warehouse_id => %s, title => 'From the job runner')",
     (wh(3),), "open"),
]
# fmt: on


@pytest.mark.parametrize(
    ("actor", "query", "params", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES]
)
def test_function_as_role(
    conn: psycopg.Connection[Any],
    actor: str | None,
    query: str,
    params: tuple[Any, ...],
    expected: Any,
) -> None:
    if isinstance(expected, tuple):
        exc_type, fragment = expected
        with pytest.raises(exc_type) as info:
            as_user(conn, actor, query, params)
        assert fragment in error_text(info.value)
    else:
        result = one(conn, actor, query, params)
        assert str(result) == str(expected)


def test_vendor_tax_id_set_by_a_clerk_reads_back_encrypted(conn: psycopg.Connection[Any]) -> None:
    vendor = scalar(
        conn,
        "insert into public.vendors (warehouse_id, name) values (%s, 'Tax round trip') "
        "returning id",
        (wh(1),),
    )
    try:
        # A clerk may set it (surrounding blanks trimmed), not read it; admin and manager read.
        one(conn, user("inventory_clerk"), "select set_vendor_tax_id(%s, '  DE 123/456 ')",
            (vendor,), commit=True)
        stored = scalar(conn, "select tax_id_encrypted from public.vendors where id = %s",
                        (vendor,))
        assert stored is not None and b"123/456" not in bytes(stored)  # encrypted at rest
        assert one(conn, user("admin"), "select get_vendor_tax_id(%s)", (vendor,)) == "DE 123/456"
        assert one(conn, user("manager"), "select get_vendor_tax_id(%s)", (vendor,)) == (
            "DE 123/456"
        )
        with pytest.raises(pg.InsufficientPrivilege):
            one(conn, user("inventory_clerk"), "select get_vendor_tax_id(%s)", (vendor,))
        # A second write replaces the value; null clears it.
        one(conn, user("manager"), "select set_vendor_tax_id(%s, 'FR-99')", (vendor,),
            commit=True)
        assert one(conn, user("admin"), "select get_vendor_tax_id(%s)", (vendor,)) == "FR-99"
        one(conn, user("admin"), "select set_vendor_tax_id(%s, null)", (vendor,), commit=True)
        assert one(conn, user("admin"), "select get_vendor_tax_id(%s)", (vendor,)) is None
    finally:
        conn.execute("delete from public.vendors where id = %s", (vendor,))


def test_anon_cannot_call_business_functions(conn: psycopg.Connection[Any]) -> None:
    with pytest.raises(pg.InsufficientPrivilege), impersonate(conn, Actor.anon()) as cur:
        cur.execute("select list_work_orders()")
    with impersonate(conn, Actor.anon()) as cur:  # the pre-request hook must not break anon
        cur.execute("select check_rate_limit()")


# ---------------------------------------------------------------- foreign id = missing id
FOREIGN_VS_MISSING = [
    ("transition", user("technician"), "select transition_work_order(%s, 'in_progress')", "wo_id"),
    ("complete", user("technician"), "select complete_work_order(%s, 1, '[]')", "wo_id"),
    (
        "assign",
        user("supervisor"),
        "select assign_work_order(%s, array['" + user("technician") + "']::uuid[])",
        "wo_id",
    ),
    ("verify", user("supervisor"), "select verify_work_order(%s)", "wo_id"),
    ("log-time", user("technician"), "select log_time(%s, now() - interval '3 days')", "wo_id"),
    (
        "reserve",
        user("technician"),
        "select reserve_parts('" + part("FUSE-10A") + "', 1, %s)",
        "wo_id",
    ),
]


@pytest.mark.parametrize(
    ("actor", "query", "field"), [pytest.param(*c[1:], id=c[0]) for c in FOREIGN_VS_MISSING]
)
def test_foreign_id_looks_like_missing_id(
    conn: psycopg.Connection[Any], actor: str, query: str, field: str
) -> None:
    seen = []
    # W2's work order in progress (same status as the one the actor might work on), a random id
    for target in (wo("contractor_job", 2), RANDOM):
        with pytest.raises(psycopg.Error) as info:
            as_user(conn, actor, query, (target,))
        seen.append(
            (info.value.sqlstate, info.value.diag.message_primary, info.value.diag.message_detail)
        )
    assert seen[0] == seen[1]
    assert seen[0] == ("42501", NOT_FOUND_WO, f"field: {field}")


# ---------------------------------------------------------------- all or nothing
def stock_state(conn: psycopg.Connection[Any], *part_ids: str) -> list[tuple[Any, ...]]:
    return conn.execute(
        """select p.id, p.quantity_on_hand, p.reserved_quantity,
                  (select coalesce(sum(t.quantity), 0) from part_transactions t
                    where t.part_id = p.id)
             from parts p where p.id = any(%s::uuid[]) order by p.id""",
        (list(part_ids),),
    ).fetchall()


def make_wo(
    conn: psycopg.Connection[Any],
    w: int,
    status: str,
    assignees: list[str],
    title: str = "test job",
) -> str:
    """Insert a work order as the owner (a trusted server-side job)."""
    return str(
        scalar(
            conn,
            """insert into work_orders (warehouse_id, title, status, assigned_to)
                               values (%s, %s, %s, %s::uuid[]) returning id""",
            (wh(w), title, status, assignees),
        )
    )


def make_part(conn: psycopg.Connection[Any], w: int, on_hand: int) -> str:
    pid = str(
        scalar(
            conn,
            """insert into parts (warehouse_id, part_number, name, reorder_point)
                              values (%s, %s, 'test part', 1) returning id""",
            (wh(w), f"T-{secrets.token_hex(4)}"),
        )
    )
    if on_hand:
        conn.execute(
            """insert into part_transactions (warehouse_id, part_id, type, quantity)
                        values (%s, %s, 'receipt', %s)""",
            (wh(w), pid, on_hand),
        )
    return pid


def test_complete_failure_writes_nothing(conn: psycopg.Connection[Any]) -> None:
    tech = user("technician", 3)
    plenty, scarce = make_part(conn, 3, 10), make_part(conn, 3, 1)
    job = make_wo(conn, 3, "in_progress", [tech])
    as_user(conn, tech, "select reserve_parts(%s, 2, %s)", (plenty, job), commit=True)
    before = stock_state(conn, plenty, scarce)
    parts = json.dumps([{"part_id": plenty, "quantity": 3}, {"part_id": scarce, "quantity": 2}])
    with pytest.raises(pg.CheckViolation) as info:
        as_user(
            conn, tech, "select complete_work_order(%s, 1, %s::jsonb)", (job, parts), commit=True
        )
    assert "field: parts[1].quantity" in error_text(info.value)
    assert stock_state(conn, plenty, scarce) == before
    assert (
        scalar(conn, "select status::text from work_orders where id = %s", (job,)) == "in_progress"
    )
    assert (
        scalar(
            conn,
            """select count(*) from wo_parts_used where work_order_id = %s
                           and consumed_at is not null""",
            (job,),
        )
        == 0
    )


def test_bulk_receive_failure_writes_nothing(conn: psycopg.Connection[Any]) -> None:
    clerk = user("inventory_clerk", 3)
    mine = make_part(conn, 3, 0)
    items = json.dumps(
        [{"part_id": mine, "quantity": 5}, {"part_id": part("FUSE-10A", 1), "quantity": 5}]
    )
    with pytest.raises(pg.InsufficientPrivilege) as info:
        as_user(conn, clerk, "select bulk_receive_parts(%s::jsonb)", (items,), commit=True)
    assert "items[1].part_id" in error_text(info.value)
    assert stock_state(conn, mine)[0][1:] == (0, 0, 0)


def test_bulk_assign_failure_writes_nothing(conn: psycopg.Connection[Any]) -> None:
    sup = user("supervisor", 3)
    a, b = make_wo(conn, 3, "open", []), make_wo(conn, 3, "cancelled", [])
    with pytest.raises(pg.CheckViolation):
        as_user(
            conn,
            sup,
            "select bulk_assign_work_orders(array[%s, %s]::uuid[], array[%s]::uuid[])",
            (a, b, user("technician", 3)),
            commit=True,
        )
    assert (
        scalar(
            conn,
            "select status::text || cardinality(assigned_to) from work_orders where id = %s",
            (a,),
        )
        == "open0"
    )


# ---------------------------------------------------------------- complete: stock, retries
def test_complete_consumes_reservation_and_is_idempotent(conn: psycopg.Connection[Any]) -> None:
    tech = user("technician", 3)
    pid = make_part(conn, 3, 10)
    job = make_wo(conn, 3, "in_progress", [tech])
    as_user(conn, tech, "select reserve_parts(%s, 4, %s)", (pid, job), commit=True)
    assert stock_state(conn, pid)[0][1:] == (10, 4, 10)
    parts = json.dumps([{"part_id": pid, "quantity": 3}])
    call = "select status::text from complete_work_order(%s, 2, %s::jsonb, 'done', 'req-1')"
    assert one(conn, tech, call, (job, parts), commit=True) == "completed"
    after = stock_state(conn, pid)[0][1:]
    assert after == (7, 0, 7)  # 3 issued, the reservation of 4 released
    # a retry with the same key (even with a lost response) consumes nothing
    assert one(conn, tech, call, (job, parts), commit=True) == "completed"
    assert stock_state(conn, pid)[0][1:] == after
    with pytest.raises(pg.CheckViolation, match="already completed"):
        as_user(
            conn, tech, "select complete_work_order(%s, 2, %s::jsonb, null, 'req-2')", (job, parts)
        )
    rows = conn.execute(
        """select type::text, quantity, performed_by::text from part_transactions
                           where work_order_id = %s""",
        (job,),
    ).fetchall()
    assert rows == [("issue", -3, tech)]


def test_complete_without_parts_consumes_the_plan(conn: psycopg.Connection[Any]) -> None:
    sup = user("supervisor", 3)
    pid = make_part(conn, 3, 5)
    job = make_wo(conn, 3, "in_progress", [user("technician", 3)])
    as_user(conn, sup, "select reserve_parts(%s, 2, %s)", (pid, job), commit=True)
    as_user(
        conn, sup, "select transition_work_order(%s, 'completed', 'finished')", (job,), commit=True
    )
    assert stock_state(conn, pid)[0][1:] == (3, 0, 3)
    # no key: the same request again is recognized by its fingerprint
    as_user(conn, sup, "select complete_work_order(%s)", (job,), commit=True)
    assert stock_state(conn, pid)[0][1:] == (3, 0, 3)


def test_verify_then_close_flow(conn: psycopg.Connection[Any]) -> None:
    tech, sup = user("technician", 3), user("supervisor", 3)
    job = make_wo(conn, 3, "assigned", [tech])
    as_user(conn, tech, "select transition_work_order(%s, 'in_progress')", (job,), commit=True)
    as_user(conn, tech, "select complete_work_order(%s, 1.5, '[]')", (job,), commit=True)
    with pytest.raises(pg.InsufficientPrivilege):
        as_user(conn, tech, "select verify_work_order(%s)", (job,))
    assert (
        one(conn, sup, "select status from verify_work_order(%s, 'checked')", (job,), commit=True)
        == "verified"
    )
    assert (
        one(conn, sup, "select status from transition_work_order(%s, 'closed')", (job,)) == "closed"
    )
    audit = conn.execute(
        """select count(*) from system_logs where table_name = 'work_orders'
                             and record_id = %s and action = 'UPDATE'""",
        (job,),
    ).fetchone()
    assert audit is not None and audit[0] >= 3


def test_checklist_update(conn: psycopg.Connection[Any]) -> None:
    items = dict(
        conn.execute(
            """select position, id::text from wo_checklist_items where work_order_id = %s""",
            (wo("in_progress"),),
        ).fetchall()
    )
    tech = user("technician")
    row = as_user(
        conn,
        tech,
        """select is_completed, completed_by::text, notes
                                 from update_checklist_item(%s, true, 'bearing swapped')""",
        (items[3],),
    )[0]
    assert row == (True, tech, "bearing swapped")
    for actor, exc in (
        (user("technician2"), pg.InsufficientPrivilege),
        (user("requester"), pg.InsufficientPrivilege),
        (user("inventory_clerk"), pg.InsufficientPrivilege),
        (user("technician", 2), pg.InsufficientPrivilege),
    ):
        with pytest.raises(exc):
            as_user(conn, actor, "select update_checklist_item(%s, true)", (items[3],))
    done_item = scalar(
        conn, "select id::text from wo_checklist_items where work_order_id = %s", (wo("completed"),)
    )
    with pytest.raises(pg.CheckViolation, match="completed work order"):
        as_user(conn, user("supervisor"), "select update_checklist_item(%s, false)", (done_item,))
    with pytest.raises(pg.InvalidParameterValue, match="is_done"):
        as_user(conn, tech, "select update_checklist_item(%s, null)", (items[3],))


def test_log_time_is_idempotent(conn: psycopg.Connection[Any]) -> None:
    tech = user("technician", 3)
    job = make_wo(conn, 3, "in_progress", [tech])
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=5)
    call = "select id from log_time(%s, %s, %s)"
    args = (job, start, start + dt.timedelta(minutes=30))
    first = one(conn, tech, call, args, commit=True)
    assert one(conn, tech, call, args, commit=True) == first
    assert scalar(conn, "select count(*) from wo_time_logs where work_order_id = %s", (job,)) == 1


def test_record_part_transaction_reference_is_idempotent(conn: psycopg.Connection[Any]) -> None:
    clerk = user("inventory_clerk", 3)
    pid = make_part(conn, 3, 0)
    call = "select id from record_part_transaction(%s, 'receipt', 8, reference => 'PO-77')"
    first = one(conn, clerk, call, (pid,), commit=True)
    assert one(conn, clerk, call, (pid,), commit=True) == first
    assert stock_state(conn, pid)[0][1:] == (8, 0, 8)
    with pytest.raises(pg.CheckViolation, match="already used"):
        as_user(
            conn,
            clerk,
            "select record_part_transaction(%s, 'receipt', 9, reference => 'PO-77')",
            (pid,),
        )


# ---------------------------------------------------------------- pagination and search
def test_list_work_orders_keyset_pages(conn: psycopg.Connection[Any]) -> None:
    admin = user("admin")
    expected = [
        r[0]
        for r in conn.execute(
            "select id::text from work_orders where warehouse_id = %s "
            "order by created_at desc, id desc",
            (wh(1),),
        ).fetchall()
    ]
    seen: list[str] = []
    cursor = None
    for _ in range(len(expected)):
        page = one(conn, admin, "select list_work_orders(%s, null, false, %s, 4)", (wh(1), cursor))
        seen += [item["id"] for item in page["items"]]
        assert "search" not in (page["items"][0] if page["items"] else {})
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected


def test_search_work_orders_pages_by_rank(conn: psycopg.Connection[Any]) -> None:
    sup = user("supervisor")
    full = one(conn, sup, "select search_work_orders('conveyor', 100)")["items"]
    assert full and all("onveyor" in (i["title"] + (i["description"] or "")) for i in full)
    assert all(i["warehouse_id"] == wh(1) for i in full)
    ranks = [i["rank"] for i in full]
    assert ranks == sorted(ranks, reverse=True)
    paged, cursor = [], None
    while True:
        page = one(conn, sup, "select search_work_orders('conveyor', 1, %s)", (cursor,))
        paged += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert paged == [i["id"] for i in full]
    tech_hits = one(conn, user("technician"), "select search_work_orders('conveyor -belt')")
    assert all("belt" not in i["title"].lower() for i in tech_hits["items"])


# ---------------------------------------------------------------- PM generation, escalations
def test_generate_pm_is_idempotent_and_advances(conn: psycopg.Connection[Any]) -> None:
    with impersonate(conn, Actor.user(user("manager"))) as cur:
        cur.execute("select generate_pm_work_orders(current_date + 40, %s)", (wh(1),))
        first = cur.fetchone()[0]  # type: ignore[index]
        cur.execute("select generate_pm_work_orders(current_date + 40, %s)", (wh(1),))
        assert cur.fetchone()[0] == 0  # type: ignore[index]
        cur.execute(
            """select count(*) from pm_schedules where warehouse_id = %s
                        and interval_unit <> 'meter' and next_due <= current_date + 40""",
            (wh(1),),
        )
        assert cur.fetchone()[0] == 0  # type: ignore[index]
        cur.execute(
            """select count(*) from work_orders w join wo_checklist_items c
                         on c.work_order_id = w.id
                        where w.pm_schedule_id is not null and w.warehouse_id = %s
                          and w.created_at = now()""",
            (wh(1),),
        )
        assert cur.fetchone()[0] > 0  # type: ignore[index]
    assert first >= 2  # conveyor (due in 5 days) and HVAC (weekly) at least


def test_process_escalations(conn: psycopg.Connection[Any]) -> None:
    mgr = user("manager", 3)
    with impersonate(conn, Actor.user(mgr)) as cur:
        cur.execute("select process_escalations()")
        assert cur.fetchone()[0] >= 1  # type: ignore[index]
        cur.execute("select process_escalations()")
        assert cur.fetchone()[0] == 0  # type: ignore[index]
        cur.execute(
            "select escalation_level, escalated from work_orders where id = %s", (wo("overdue", 3),)
        )
        assert cur.fetchone() == (2, True)
        cur.execute(
            """select count(*) from notifications where user_id = %s
                        and work_order_id = %s and title like 'Escalation level 2%%'""",
            (mgr, wo("overdue", 3)),
        )
        assert cur.fetchone()[0] == 1  # type: ignore[index]


# ---------------------------------------------------------------- rate limit
def test_rate_limit(conn: psycopg.Connection[Any]) -> None:
    req = user("requester", 3)
    conn.execute(
        """insert into system_settings (warehouse_id, key, value)
                    values (%s, 'rate_limit_per_hour', '3')""",
        (wh(3),),
    )
    try:
        for _ in range(3):
            as_user(conn, req, "select check_rate_limit()", commit=True)
        with pytest.raises(psycopg.Error) as info:
            as_user(conn, req, "select check_rate_limit()", commit=True)
        assert info.value.sqlstate == "PT429"  # PostgREST answers HTTP 429
        assert info.value.diag.message_primary.startswith("rate_limit_exceeded:")
        assert info.value.diag.message_hint.startswith("Retry after")
        # GET requests run READ ONLY: checked against the counter, not counted, no write error
        with conn.transaction():
            conn.execute("set transaction read only")
            conn.execute(
                "select set_config('role', 'authenticated', true), "
                "set_config('request.jwt.claims', %s, true)",
                (Actor.user(req).claims_json(),),
            )
            with pytest.raises(psycopg.Error) as read:
                conn.execute("select check_rate_limit()")
            assert read.value.sqlstate == "PT429"
            raise psycopg.Rollback
        # other users and the server are not affected
        as_user(conn, user("supervisor", 3), "select check_rate_limit()")
        as_user(conn, None, "select check_rate_limit()")
        assert scalar(conn, "select count from private.rate_limits where user_id = %s", (req,)) == 3
    finally:
        conn.execute(
            "delete from system_settings where warehouse_id = %s and key = 'rate_limit_per_hour'",
            (wh(3),),
        )


# ---------------------------------------------------------------- concurrency
def run_parallel(dsn: str, jobs: list[tuple[str | None, str, tuple[Any, ...]]]) -> list[Any]:
    """Run each (actor, query, params) on its own connection, all released at once."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def work(i: int, actor: str | None, query: str, params: tuple[Any, ...]) -> None:
        with psycopg.connect(dsn, autocommit=True) as c:
            try:
                with impersonate(
                    c, Actor.service_role() if actor is None else Actor.user(actor), commit=True
                ) as cur:
                    barrier.wait(timeout=30)
                    cur.execute(query, params)
                    results[i] = cur.fetchone()[0]  # type: ignore[index]
            except psycopg.Error as exc:
                results[i] = exc

    threads = [threading.Thread(target=work, args=(i, *job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.slow
def test_concurrent_completions_never_oversell(dsn: str, conn: psycopg.Connection[Any]) -> None:
    n_jobs, stock, each = 8, 7, 2
    tech = user("technician", 3)
    shared = make_part(conn, 3, stock)
    other = make_part(conn, 3, 100)
    jobs = [make_wo(conn, 3, "in_progress", [tech], f"race {i}") for i in range(n_jobs)]
    # half of them list the parts in the other order: locking by id must still not deadlock
    calls = []
    for i, job in enumerate(jobs):
        items = [{"part_id": shared, "quantity": each}, {"part_id": other, "quantity": 1}]
        calls.append(
            (
                tech,
                "select status::text from complete_work_order(%s, 1, %s::jsonb)",
                (job, json.dumps(items[:: 1 if i % 2 else -1])),
            )
        )
    results = run_parallel(dsn, calls)
    ok = [r for r in results if r == "completed"]
    failed = [r for r in results if isinstance(r, psycopg.Error)]
    assert len(ok) == stock // each
    assert len(failed) == n_jobs - len(ok)
    assert all(isinstance(e, pg.CheckViolation) for e in failed), failed
    for pid, on_hand in ((shared, stock - each * len(ok)), (other, 100 - len(ok))):
        _, qoh, reserved, ledger = stock_state(conn, pid)[0]
        assert (qoh, reserved, ledger) == (on_hand, 0, on_hand)
        assert qoh >= 0


@pytest.mark.slow
def test_concurrent_retries_of_one_completion_consume_once(
    dsn: str, conn: psycopg.Connection[Any]
) -> None:
    tech = user("technician", 3)
    pid = make_part(conn, 3, 10)
    job = make_wo(conn, 3, "in_progress", [tech])
    parts = json.dumps([{"part_id": pid, "quantity": 4}])
    results = run_parallel(
        dsn,
        [
            (
                tech,
                "select status::text from complete_work_order(%s, 1, %s::jsonb, null, 'k1')",
                (job, parts),
            )
        ]
        * 4,
    )
    assert results == ["completed"] * 4
    assert stock_state(conn, pid)[0][1:] == (6, 0, 6)


@pytest.mark.slow
def test_concurrent_pm_generation_creates_each_once(
    dsn: str, conn: psycopg.Connection[Any]
) -> None:
    before = scalar(
        conn,
        "select count(*) from work_orders where warehouse_id = %s and pm_schedule_id is not null",
        (wh(3),),
    )
    calls = [
        (None, "select generate_pm_work_orders(current_date + 60, %s)", (wh(3),)),
        (user("admin", 3), "select generate_pm_work_orders(current_date + 60, %s)", (wh(3),)),
        (user("supervisor", 3), "select generate_pm_work_orders(current_date + 60)", ()),
    ]
    results = run_parallel(dsn, calls)
    assert all(isinstance(r, int) for r in results), results
    after = scalar(
        conn,
        "select count(*) from work_orders where warehouse_id = %s and pm_schedule_id is not null",
        (wh(3),),
    )
    assert after - before == sum(results) > 0
    dupes = scalar(
        conn,
        """select count(*) from (select 1 from work_orders
                            where pm_schedule_id is not null
                            group by pm_schedule_id, pm_due_date having count(*) > 1) d""",
    )
    assert dupes == 0


# ---------------------------------------------------------------- work_order_assignees
def _assignees(cur: psycopg.Cursor[Any], wo_id: str) -> list[tuple[str, str, dt.datetime]]:
    cur.execute(
        "select a.user_id::text, a.warehouse_id::text, a.wo_created_at"
        " from work_order_assignees a where a.work_order_id = %s order by 1",
        (wo_id,),
    )
    return cur.fetchall()


def test_assignee_rows_follow_assigned_to(conn: psycopg.Connection[Any]) -> None:
    tech, tech2 = user("technician"), user("technician2")
    created = scalar(conn, "select created_at from work_orders where id = %s", (wo("open"),))
    with impersonate(conn, Actor.user(user("supervisor"))) as cur:
        assert _assignees(cur, wo("open")) == []
        cur.execute("select assign_work_order(%s, array[%s, %s]::uuid[])",
                    (wo("open"), tech, tech2))
        assert _assignees(cur, wo("open")) == sorted(
            [(tech, wh(1), created), (tech2, wh(1), created)])
        # a direct update of the array (reassignment) drops the old assignee's row
        cur.execute("update work_orders set assigned_to = array[%s]::uuid[] where id = %s",
                    (tech2, wo("open")))
        assert _assignees(cur, wo("open")) == [(tech2, wh(1), created)]


def test_assignee_rows_move_and_go_with_their_work_order(conn: psycopg.Connection[Any]) -> None:
    # A trusted server job (no claims) moves a work order assigned to the W1 manager, who also
    # reaches W2, then deletes it: the derived rows follow both times.
    mgr = user("manager")
    with conn.transaction(force_rollback=True):
        wo_id = scalar(conn, "insert into work_orders (warehouse_id, type, title, status,"
                       " priority, assigned_to) values (%s, 'corrective', 'move me', 'assigned',"
                       " 'low', array[%s]::uuid[]) returning id::text", (wh(1), mgr))
        assert [r[:2] for r in _assignees(conn.cursor(), wo_id)] == [(mgr, wh(1))]
        conn.execute("update work_orders set warehouse_id = %s where id = %s", (wh(2), wo_id))
        assert [r[:2] for r in _assignees(conn.cursor(), wo_id)] == [(mgr, wh(2))]
        conn.execute("delete from work_orders where id = %s", (wo_id,))
        assert _assignees(conn.cursor(), wo_id) == []


def test_assignee_rows_read_with_the_work_order_and_never_written(
    conn: psycopg.Connection[Any],
) -> None:
    tech = user("technician")
    mine = {r[0] for r in conn.execute(
        "select id::text from work_orders where assigned_to @> array[%s::uuid]", (tech,))}
    assert mine
    seen = as_user(conn, tech, "select distinct work_order_id::text from work_order_assignees")
    assert {r[0] for r in seen} == mine
    # the requester reads the assignees of their own requests only, other sites see nothing
    requested = {r[0] for r in conn.execute(
        "select id::text from work_orders where requested_by = %s and assigned_to <> '{}'",
        (user("requester"),))}
    seen = as_user(conn, user("requester"),
                   "select distinct work_order_id::text from work_order_assignees")
    assert {r[0] for r in seen} == requested
    assert as_user(conn, user("supervisor", 2),
                   "select 1 from work_order_assignees where warehouse_id = %s", (wh(1),)) == []
    for statement in (
        "insert into work_order_assignees (warehouse_id, work_order_id, user_id, wo_created_at)"
        f" values ('{wh(1)}', '{wo('open')}', '{tech}', now())",
        f"delete from work_order_assignees where user_id = '{tech}'",
        "update work_order_assignees set wo_created_at = now()",
    ):
        with pytest.raises(pg.InsufficientPrivilege):
            as_user(conn, user("admin"), statement)


def test_list_work_orders_assigned_to_me_pages(conn: psycopg.Connection[Any]) -> None:
    tech = user("technician")
    expected = [r[0] for r in conn.execute(
        "select id::text from work_orders where assigned_to @> array[%s::uuid]"
        " order by created_at desc, id desc", (tech,))]
    assert len(expected) > 2
    seen: list[str] = []
    cursor = None
    for _ in range(len(expected)):
        page = one(conn, tech, "select list_work_orders(null, null, true, %s, 2)", (cursor,))
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected
    only_w1 = one(conn, tech, "select list_work_orders(%s, 'in_progress', true)", (wh(1),))
    assert [i["id"] for i in only_w1["items"]] == [
        i for i in expected
        if scalar(conn, "select status::text from work_orders where id = %s", (i,))
        == "in_progress"]
