"""The CMMS operation mix: who does what, how often, with which SQL.

Every operation is plain SQL that needs no parameter but the caller's JWT claims: the caller is
``auth.uid()`` and the home warehouse is read from ``profiles`` under RLS, exactly as the app's
API would do it. That makes one text serve both Locust (psycopg) and pgbench (``mix.pgbench``,
rendered from this module by :mod:`load.pgbench`), so the two throughputs measure the same work.

A project with another schema replaces this module's data (``ROLES``, ``OPERATIONS``); nothing
else in ``load/`` knows MaintAInPro's tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OpClass(StrEnum):
    """Latency class of an operation; each has its own p95 budget (docs/budgets.md, Load)."""

    SIMPLE = "simple"  # by id, a page of a list, low stock
    COMPLEX = "complex"  # dashboard KPIs, reports, search


class Audience(StrEnum):
    """Which work orders are "mine" for a role: this picks the list's filter."""

    ASSIGNED = "assigned"  # technicians: work assigned to them
    REQUESTED = "requested"  # requesters: their own requests
    WAREHOUSE = "warehouse"  # supervisors, managers, clerks: the open work of their site


@dataclass(frozen=True)
class Role:
    """A simulated user population: the app role, its share of users and its task weights."""

    name: str  # public.app_role value
    code: int  # small integer for pgbench's \if (it has no string comparison)
    weight: int  # share of simulated users
    audience: Audience
    tasks: dict[str, int]  # operation name -> relative frequency


@dataclass(frozen=True)
class Operation:
    """One API request: statements run in one impersonated transaction."""

    name: str
    op_class: OpClass
    statements: dict[Audience, tuple[str, ...]]

    def sql(self, audience: Audience) -> tuple[str, ...]:
        """Return the statements for ``audience`` (an operation may be the same for all)."""
        return self.statements[audience]


HOME = "(select me.warehouse_id from public.profiles me where me.id = (select auth.uid()))"
ME = "(select auth.uid())"
OPEN_STATUSES = "('assigned', 'in_progress', 'on_hold')"
PAGE = 20  # rows in a list page, as the app shows them
POOL_JOB_PREFIX = "[load] job "  # title of the work orders load.dataset assigns for a run

# A technician's list walks work_order_assignees (user_id, wo_created_at, work_order_id): the
# page costs the same however many work orders the site has.
_ASSIGNED_FROM = (
    "public.work_order_assignees a join public.work_orders w"
    " on w.warehouse_id = a.warehouse_id and w.id = a.work_order_id"
)
_LIST_FROM = {
    Audience.ASSIGNED: _ASSIGNED_FROM,
    Audience.REQUESTED: "public.work_orders w",
    Audience.WAREHOUSE: "public.work_orders w",
}
_LIST_FILTER = {
    Audience.ASSIGNED: f"a.user_id = {ME} and w.status in {OPEN_STATUSES}",
    Audience.REQUESTED: f"w.requested_by = {ME}",
    Audience.WAREHOUSE: f"w.warehouse_id = {HOME}"
    " and w.status in ('open', 'assigned', 'in_progress', 'on_hold')",
}
_LIST_ORDER = {
    Audience.ASSIGNED: "order by a.wo_created_at desc, a.work_order_id desc",
    Audience.REQUESTED: "order by w.created_at desc, w.id desc",
    Audience.WAREHOUSE: "order by w.created_at desc, w.id desc",
}


def _list(audience: Audience, columns: str, limit: int) -> str:
    return (
        f"select {columns} from {_LIST_FROM[audience]} where {_LIST_FILTER[audience]} "
        f"{_LIST_ORDER[audience]} limit {limit}"
    )


def _detail(audience: Audience) -> str:
    # The first work order of the caller's list, with its children (the detail screen).
    return (
        "select w.id, w.wo_number, w.title, w.description, w.status, w.priority, w.due_date,"
        " w.assigned_to, w.started_at, w.completed_at,"
        " (select coalesce(json_agg(c order by c.position), '[]') from public.wo_checklist_items c"
        "   where c.warehouse_id = w.warehouse_id and c.work_order_id = w.id) as checklist,"
        " (select coalesce(json_agg(t), '[]') from (select l.user_id, l.started_at, l.minutes"
        "   from public.wo_time_logs l where l.warehouse_id = w.warehouse_id"
        "   and l.work_order_id = w.id order by l.started_at desc limit 20) t) as time_logs,"
        " (select coalesce(json_agg(u), '[]') from public.wo_parts_used u"
        "   where u.warehouse_id = w.warehouse_id and u.work_order_id = w.id) as parts"
        f" from public.work_orders w where w.id = ({_list(audience, 'w.id', 1)})"
    )


def _all(*statements: str) -> dict[Audience, tuple[str, ...]]:
    return dict.fromkeys(Audience, statements)


_MY_IN_PROGRESS = f"w.assigned_to @> array[{ME}] and w.status = 'in_progress'"
# Rows this transaction started: the state machine stamps started_at = now(), which is the
# transaction's start time, so later statements find the work order without passing its id.
_STARTED_HERE = f"{_MY_IN_PROGRESS} and w.started_at = now()"

OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in (
        Operation(
            "my_work_orders",
            OpClass.SIMPLE,
            {
                a: (_list(a, "w.id, w.wo_number, w.title, w.status, w.priority, w.due_date", PAGE),)
                for a in Audience
            },
        ),
        Operation("work_order_detail", OpClass.SIMPLE, {a: (_detail(a),) for a in Audience}),
        Operation(
            "checklist_progress",
            OpClass.SIMPLE,
            _all(
                "update public.wo_checklist_items c set is_completed = not c.is_completed,"
                f" completed_by = case when c.is_completed then null else {ME} end,"
                " completed_at = case when c.is_completed then null else now() end"
                # The work order first (the assignee index), then its items: a join would
                # check RLS on every checklist item of the table.
                " where c.id = (select i.id from public.wo_checklist_items i"
                " where (i.warehouse_id, i.work_order_id) = (select w.warehouse_id, w.id"
                f" from public.work_orders w where {_MY_IN_PROGRESS} order by random() limit 1)"
                " order by random() limit 1 for update skip locked) returning c.id"
            ),
        ),
        Operation(
            "log_time",
            OpClass.SIMPLE,
            _all(
                "insert into public.wo_time_logs"
                " (warehouse_id, work_order_id, user_id, started_at, ended_at, note)"
                f" select w.warehouse_id, w.id, {ME}, now() - interval '25 minutes', now(),"
                f" 'load test' from public.work_orders w where {_MY_IN_PROGRESS}"
                " order by random() limit 1 returning id"
            ),
        ),
        Operation(
            "start_complete",
            OpClass.SIMPLE,
            _all(
                "update public.work_orders w set status = 'in_progress'"
                " where w.id = (select x.id from public.work_orders x"
                f" where x.assigned_to @> array[{ME}] and x.status = 'assigned'"
                # Only the run's pool (load.dataset): the dataset's own jobs may have required
                # checklist steps open, which completion rightly refuses (23514).
                f" and x.title like '{POOL_JOB_PREFIX}%'"
                " order by x.due_date nulls last, x.id limit 1 for update skip locked)"
                " returning w.id",
                # The API's completion: consumes one part from stock atomically (a random one
                # of the site's well-stocked parts, so completions do not queue on one row).
                "select (public.complete_work_order(w.id, 1.5, (select"
                " coalesce(jsonb_agg(jsonb_build_object('part_id', q.id, 'quantity', 1)), '[]')"
                " from (select q.id from public.parts q where q.warehouse_id = w.warehouse_id"
                " and q.available > 5 order by random() limit 1) q))).id"
                f" from public.work_orders w where {_STARTED_HERE}",
            ),
        ),
        Operation(
            "low_stock",
            OpClass.SIMPLE,
            _all(
                "select p.id, p.part_number, p.name, p.available, p.reorder_point,"
                " p.reorder_quantity from public.parts p"
                f" where p.warehouse_id = {HOME} and p.available <= p.reorder_point"
                " order by p.available, p.part_number limit 50"
            ),
        ),
        Operation(
            "dashboard",
            OpClass.COMPLEX,
            # The app's KPI call (public.dashboard_kpis): its definer body checks the caller's
            # role and scope once and counts from partial indexes, where the same KPIs as one
            # ad-hoc query under RLS visit every open work order's row of the site (and call
            # the policy helpers again in each of six subqueries). As a PL/pgSQL function its
            # plans are prepared once per server connection, which transaction pooling keeps.
            _all(f"select public.dashboard_kpis({HOME})"),
        ),
    )
}

# Technicians most, then supervisors, requesters, clerks, managers (a plant's head count).
ROLES: tuple[Role, ...] = (
    Role("technician", 1, 50, Audience.ASSIGNED,
         {"my_work_orders": 30, "work_order_detail": 20, "checklist_progress": 15,
          "log_time": 15, "start_complete": 10, "low_stock": 10}),
    Role("supervisor", 2, 20, Audience.WAREHOUSE,
         {"my_work_orders": 35, "work_order_detail": 30, "dashboard": 20, "low_stock": 15}),
    Role("requester", 3, 15, Audience.REQUESTED,
         {"my_work_orders": 60, "work_order_detail": 40}),
    # Clerks keep the store: the maintenance KPIs are for admins, managers and supervisors
    # (dashboard_kpis refuses anyone else), so their screen is the low-stock list.
    Role("inventory_clerk", 4, 10, Audience.WAREHOUSE,
         {"low_stock": 80, "my_work_orders": 20}),
    Role("manager", 5, 5, Audience.WAREHOUSE,
         {"dashboard": 50, "my_work_orders": 30, "low_stock": 20}),
)
ROLE_BY_NAME = {r.name: r for r in ROLES}
