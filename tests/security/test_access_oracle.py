"""The oracle on tiny hand-made datasets: no database."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from harness.access.matrix import parse_matrix
from harness.access.oracle import Kind, Oracle, Principal, Snapshot
from harness.errors import ConfigError

W1, W2, W3 = "w1", "w2", "w3"
ADMIN, MGR, TECH, REQ, CON, GONE = "u-admin", "u-mgr", "u-tech", "u-req", "u-con", "u-gone"

MATRIX = """
roles = ["admin", "manager", "technician", "requester", "contractor"]
[actors]
table = "profiles"
role = "role"
active = "is_active"
home = "warehouse_id"
[scope]
grants = { table = "grants", user = "user_id", scope = "warehouse_id" }
reach = { admin = "all", manager = "home+grants", "*" = "home" }
[[state_machines]]
table = "orders"
column = "status"
sqlstates = ["23514"]
transitions = { new = ["open"], open = ["done"] }
[tables.profiles]
self_protected = ["role"]
rules = [
  { roles = ["admin"], commands = "RIUD" },
  { roles = ["manager", "technician"], commands = "R" },
  { roles = ["manager"], commands = "U", pred = { where_not = { role = "admin" } } },
  { roles = ["requester", "contractor"], commands = "R", pred = "self" },
]
[tables.grants]
rules = [{ roles = ["manager"], commands = "R", pred = { own = "user_id" } }]
[[tables.machines.rules]]
roles = ["admin", "manager", "technician", "requester"]
commands = "R"
[[tables.machines.rules]]
roles = ["contractor"]
commands = "R"
[tables.machines.rules.pred.referenced_by]
table = "orders"
column = "machine_id"
pred = { assigned = "assigned_to" }
[[tables.orders.rules]]
roles = ["admin", "manager"]
commands = "RIUD"
[[tables.orders.rules]]
roles = ["requester"]
commands = "R"
pred = { own = "requested_by" }
[[tables.orders.rules]]
roles = ["requester"]
commands = "IU"
pred = { own = "requested_by", where = { status = "new" } }
columns = ["title"]
[[tables.orders.rules]]
roles = ["technician", "contractor"]
commands = "RU"
pred = { assigned = "assigned_to" }
columns = ["status"]
[[tables.order_notes.rules]]
roles = "*"
commands = "R"
pred = { via = { column = "order_id", table = "orders" } }
[[tables.order_notes.rules]]
roles = ["technician"]
commands = "I"
pred.via = { column = "order_id", table = "orders", pred = { assigned = "assigned_to" } }
[tables.order_logs]
like = "order_notes"
rules = [{ roles = ["technician"], commands = "I", pred = "none" }]
[tables.ledger]
append_only = true
rules = [{ roles = ["admin"], commands = "RI" }]
"""


def profile(uid: str, role: str, home: str, active: bool = True) -> dict[str, Any]:
    return {"id": uid, "role": role, "warehouse_id": home, "is_active": active}


ORDER_1 = {
    "id": "o1",
    "warehouse_id": W1,
    "status": "new",
    "title": "t",
    "requested_by": REQ,
    "assigned_to": [TECH, CON],
    "machine_id": "m1",
}
ORDER_3 = {
    "id": "o3",
    "warehouse_id": W3,
    "status": "open",
    "title": "t3",
    "requested_by": None,
    "assigned_to": [],
    "machine_id": "m3",
}
DATA: dict[str, list[dict[str, Any]]] = {
    "profiles": [
        profile(ADMIN, "admin", W1),
        profile(MGR, "manager", W1),
        profile(TECH, "technician", W1),
        profile(REQ, "requester", W1),
        profile(CON, "contractor", W1),
        profile(GONE, "technician", W1, active=False),
    ],
    "grants": [{"id": "g1", "user_id": MGR, "warehouse_id": W2}],
    "machines": [
        {"id": "m1", "warehouse_id": W1},
        {"id": "m2", "warehouse_id": W1},
        {"id": "m3", "warehouse_id": W3},
    ],
    "orders": [ORDER_1, ORDER_3],
    "order_notes": [{"id": "n1", "warehouse_id": W1, "order_id": "o1"}],
    "order_logs": [],
    "ledger": [{"id": "l1", "warehouse_id": W1}],
}


@pytest.fixture
def oracle() -> Oracle:
    m = parse_matrix(tomllib.loads(MATRIX))
    snap = Snapshot(
        DATA,
        references={"orders": {"machine_id": "machines"}, "order_notes": {"order_id": "orders"}},
    )
    return Oracle(m, snap)


def user(uid: str) -> Principal:
    return Principal(Kind.USER, uid)


def test_scope(oracle: Oracle) -> None:
    assert oracle.reach(user(ADMIN)) is None
    assert oracle.reach(user(MGR)) == {W1, W2}
    assert oracle.reach(user(TECH)) == {W1}
    assert oracle.reach(user(GONE)) == frozenset()
    assert oracle.reach(user("nobody")) == frozenset()
    assert oracle.reach(Principal(Kind.SERVICE)) is None
    assert oracle.reach(Principal(Kind.ANON)) == frozenset()


def test_select_predicates(oracle: Oracle) -> None:
    m1, m2, m3 = DATA["machines"]
    assert oracle.can_select(user(TECH), "machines", m1).allowed
    assert not oracle.can_select(user(TECH), "machines", m3).allowed  # other warehouse
    assert oracle.can_select(user(ADMIN), "machines", m3).allowed
    assert oracle.can_select(user(CON), "machines", m1).allowed  # referenced by an assigned order
    assert not oracle.can_select(user(CON), "machines", m2).allowed
    assert oracle.can_select(user(REQ), "profiles", DATA["profiles"][3]).allowed  # self
    assert not oracle.can_select(user(REQ), "profiles", DATA["profiles"][0]).allowed
    assert oracle.can_select(user(MGR), "grants", DATA["grants"][0]).allowed
    note = DATA["order_notes"][0]
    assert oracle.can_select(user(REQ), "order_notes", note).allowed  # via a readable parent
    assert not oracle.can_select(user(GONE), "order_notes", note).allowed


def test_non_users_reach_nothing_but_service_role(oracle: Oracle) -> None:
    for p in (Principal(Kind.ANON), Principal(Kind.NO_CLAIMS), user("no-profile"), user(GONE)):
        assert not oracle.can_select(p, "machines", DATA["machines"][0]).allowed
        assert not oracle.can_delete(p, "orders", ORDER_1).allowed
    assert oracle.can_select(Principal(Kind.SERVICE), "orders", ORDER_3).allowed
    assert "inactive" in oracle.can_select(user(GONE), "orders", ORDER_1).reason


def test_update_columns_conditions_and_state_machine(oracle: Oracle) -> None:
    up = oracle.can_update
    assert up(user(REQ), "orders", ORDER_1, {**ORDER_1, "title": "x"}).allowed
    assert not up(user(REQ), "orders", ORDER_1, {**ORDER_1, "assigned_to": [REQ]}).allowed
    opened = {**ORDER_1, "status": "open"}
    assert not up(user(REQ), "orders", opened, {**opened, "title": "x"}).allowed  # only while new
    assert up(user(TECH), "orders", ORDER_1, {**ORDER_1, "status": "open"}).allowed
    bad = up(user(TECH), "orders", ORDER_1, {**ORDER_1, "status": "done"})
    assert not bad.allowed and "23514" in bad.denial_sqlstates
    assert not up(Principal(Kind.SERVICE), "orders", ORDER_1, {**ORDER_1, "status": "done"}).allowed
    assert not up(user(TECH), "orders", ORDER_1, {**ORDER_1, "title": "x"}).allowed


def test_moves_out_of_scope_are_denied_and_accept_integrity_errors(oracle: Oracle) -> None:
    move = oracle.can_update(user(MGR), "orders", ORDER_1, {**ORDER_1, "warehouse_id": W3})
    assert not move.allowed
    assert {"42501", "23503", "23514"} <= move.denial_sqlstates
    assert move.judge("23503", 0, None) == "agree"
    within = oracle.can_update(user(MGR), "orders", ORDER_1, {**ORDER_1, "warehouse_id": W2})
    assert within.allowed  # both warehouses in scope; the composite FK may still refuse
    assert within.judge("23503", 0, None) == "inconclusive"
    # Pointing a child at a parent of another warehouse is a cross-warehouse reference too.
    assert oracle.crosses_warehouses(
        oracle.m.table("orders"), ORDER_1, {**ORDER_1, "machine_id": "m3"}
    )


def test_profiles_self_protection_and_admin_guard(oracle: Oracle) -> None:
    me = DATA["profiles"][1]
    assert not oracle.can_update(user(MGR), "profiles", me, {**me, "role": "admin"}).allowed
    tech = DATA["profiles"][2]
    assert oracle.can_update(user(MGR), "profiles", tech, {**tech, "is_active": False}).allowed
    assert not oracle.can_update(user(MGR), "profiles", tech, {**tech, "role": "admin"}).allowed
    admin = DATA["profiles"][0]
    assert not oracle.can_update(
        user(ADMIN), "profiles", admin, {**admin, "role": "manager"}
    ).allowed
    assert oracle.can_update(user(ADMIN), "profiles", tech, {**tech, "role": "manager"}).allowed


def test_insert_via_like_and_append_only(oracle: Oracle) -> None:
    note = {"id": "n2", "warehouse_id": W1, "order_id": "o1"}
    assert oracle.can_insert(user(TECH), "order_notes", note).allowed
    assert not oracle.can_insert(user(TECH), "order_logs", note).allowed  # local rule replaced
    assert oracle.can_select(user(TECH), "order_logs", note).allowed  # inherited R kept
    led = DATA["ledger"][0]
    assert oracle.can_insert(user(ADMIN), "ledger", {**led, "id": "l2"}).allowed
    assert not oracle.can_update(user(ADMIN), "ledger", led, {**led, "x": 1}).allowed
    assert not oracle.can_delete(Principal(Kind.SERVICE), "ledger", led).allowed


def test_judge_outcomes(oracle: Oracle) -> None:
    denied = oracle.can_delete(user(REQ), "orders", ORDER_1)
    assert denied.judge(None, 0, None) == "agree"
    assert denied.judge("42501", 0, None) == "agree"
    assert denied.judge(None, 1, None) == "disagree"
    assert denied.judge("XX000", 0, None) == "disagree"
    allowed = oracle.can_insert(user(REQ), "orders", {**ORDER_1, "id": "o9"})
    assert allowed.allowed and allowed.readable_after
    assert allowed.judge(None, 1, True) == "agree"
    assert allowed.judge(None, 1, False) == "disagree"
    assert allowed.judge("42501", 0, None) == "disagree"
    assert allowed.judge("23505", 0, None) == "inconclusive"


def test_matrix_validation() -> None:
    with pytest.raises(ConfigError, match="unknown role"):
        parse_matrix(
            tomllib.loads(
                MATRIX.replace(
                    'roles = ["manager"], commands = "U"', 'roles = ["boss"], commands = "U"'
                )
            )
        )
    with pytest.raises(ConfigError, match="letters of RIUD"):
        parse_matrix(tomllib.loads(MATRIX.replace('commands = "RIUD" }', 'commands = "RX" }', 1)))
    with pytest.raises(ConfigError, match="not in the matrix"):
        parse_matrix(
            tomllib.loads(MATRIX.replace('table = "orders"\ncolumn', 'table = "nope"\ncolumn'))
        )


def test_canonical_matrix_loads() -> None:
    from harness.access.matrix import load_matrix

    m = load_matrix(Path(__file__).resolve().parents[2] / "schema" / "dbharness" / "access.toml")
    assert "work_orders" in m.tables and m.audit is not None
    tl = m.tables["wo_time_logs"]
    assert len(tl.rules_for("technician", "I")) == 1 and tl.rules_for("technician", "R")
