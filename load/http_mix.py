"""The CMMS operation mix as a PostgREST client sends it: the same work as :mod:`load.mix`.

Each operation of :data:`load.mix.OPERATIONS` (SQL run in one impersonated transaction) has its
HTTP twin here: the requests a Supabase client makes for the same screen, reading and writing
the same rows. Where one SQL statement does what PostgREST cannot express in one request (pick a
random checklist item, compare two columns, several counts), the client makes several requests
and the operation's time is their sum, as a user waits for all of them. Filters the SQL computes
server-side from the caller (``auth.uid()``, the home warehouse) come from the signed-in user's
profile, which an app holds after sign-in.
"""

from __future__ import annotations

import datetime as dt
import random
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from harness.api_client import ApiClient
from harness.impersonate import Actor
from load.mix import OPEN_STATUSES, OPERATIONS, PAGE, POOL_JOB_PREFIX, Audience

LIST_COLUMNS = "id,wo_number,title,status,priority,due_date"
DETAIL_COLUMNS = "id,wo_number,title,description,status,priority,due_date,assigned_to," \
                 "started_at,completed_at"
CHILDREN = ("wo_checklist_items(id,position,description,is_completed),"
            "wo_time_logs(user_id,started_at,minutes),wo_parts_used(*)")
SITE_OPEN = "in.(open,assigned,in_progress,on_hold)"
MINE_OPEN = "in.(" + OPEN_STATUSES.strip("()").replace("'", "").replace(" ", "") + ")"
ALL_OPEN = "in.(requested,open,assigned,in_progress,on_hold)"
MINIMAL = "return=minimal"
COUNT = "count=exact"


class HttpFailure(Exception):
    """A request of an operation answered non-2xx: named by status and code, as Locust groups."""

    def __init__(self, status: int, code: str | None) -> None:
        super().__init__(f"HTTP {status} {code or ''}".strip())
        self.status = status


@dataclass(frozen=True)
class Answer:
    """One response: status, parsed JSON body (or None) and the exact count if asked for."""

    status: int
    body: Any
    total: int | None = None


class Api(Protocol):
    """Sends one request as the signed-in user; raises :class:`HttpFailure` on non-2xx."""

    def __call__(self, method: str, path: str, body: Any = None,
                 prefer: str | None = None) -> Answer:
        """Send the request; return the answer."""
        ...


@dataclass(frozen=True)
class Caller:
    """The signed-in user: id, home warehouse, and the server's clock (for time filters)."""

    id: str
    warehouse_id: str
    now: Callable[[], dt.datetime]


def q(value: str) -> str:
    """URL-encode a filter value (keeps PostgREST's punctuation readable)."""
    return urllib.parse.quote(value, safe="(),.*:")


def _list(audience: Audience, me: Caller, columns: str, limit: int, children: str = "") -> str:
    if audience is Audience.ASSIGNED:
        nested = "work_orders." if children else ""
        extra = (f"&{nested}wo_checklist_items.order=position"
                 f"&{nested}wo_time_logs.order=started_at.desc&{nested}wo_time_logs.limit=20"
                 if children else "")
        return (f"/work_order_assignees?select=work_order_id,work_orders!inner({columns}"
                f"{',' + children if children else ''})&user_id=eq.{me.id}"
                f"&work_orders.status={MINE_OPEN}&order=wo_created_at.desc,work_order_id.desc"
                f"&limit={limit}{extra}")
    where = (f"requested_by=eq.{me.id}" if audience is Audience.REQUESTED
             else f"warehouse_id=eq.{me.warehouse_id}&status={SITE_OPEN}")
    extra = ("&wo_checklist_items.order=position&wo_time_logs.order=started_at.desc"
             "&wo_time_logs.limit=20" if children else "")
    return (f"/work_orders?select={columns}{',' + children if children else ''}&{where}"
            f"&order=created_at.desc,id.desc&limit={limit}{extra}")


def _rows(answer: Answer) -> int:
    return len(answer.body) if isinstance(answer.body, list) else 0


def my_work_orders(api: Api, me: Caller, audience: Audience) -> int:
    """Read a page of the caller's list."""
    return _rows(api("GET", _list(audience, me, LIST_COLUMNS, PAGE)))


def work_order_detail(api: Api, me: Caller, audience: Audience) -> int:
    """Read the first work order of the list, with its checklist, time logs and parts."""
    return _rows(api("GET", _list(audience, me, DETAIL_COLUMNS, 1, CHILDREN)))


def _my_in_progress(api: Api, me: Caller, columns: str) -> list[dict[str, Any]]:
    body = api("GET", f"/work_orders?select={columns}&assigned_to=cs.{{{me.id}}}"
                      "&status=eq.in_progress").body
    return body if isinstance(body, list) else []


def checklist_progress(api: Api, me: Caller, audience: Audience) -> int:
    """Toggle a random checklist item of a random work order in progress."""
    items = [i for w in _my_in_progress(api, me, "id,wo_checklist_items(id,is_completed)")
             for i in [random.choice(w["wo_checklist_items"])] if w["wo_checklist_items"]]
    if not items:
        return 0
    item = random.choice(items)
    done = not item["is_completed"]
    api("PATCH", f"/wo_checklist_items?id=eq.{item['id']}",
        {"is_completed": done, "completed_by": me.id if done else None,
         "completed_at": me.now().isoformat() if done else None}, MINIMAL)
    return 1


def log_time(api: Api, me: Caller, audience: Audience) -> int:
    """Log 25 minutes on a random work order in progress."""
    orders = _my_in_progress(api, me, "id,warehouse_id")
    if not orders:
        return 0
    w = random.choice(orders)
    now = me.now()
    api("POST", "/wo_time_logs",
        {"warehouse_id": w["warehouse_id"], "work_order_id": w["id"], "user_id": me.id,
         "started_at": (now - dt.timedelta(minutes=25)).isoformat(),
         "ended_at": now.isoformat(), "note": "load test"}, MINIMAL)
    return 1


def start_complete(api: Api, me: Caller, audience: Audience) -> int:
    """Start the next job of the run's pool, then complete it consuming one part."""
    nxt = api("GET", f"/work_orders?select=id,warehouse_id&assigned_to=cs.{{{me.id}}}"
                     f"&status=eq.assigned&title=like.{q(POOL_JOB_PREFIX + '*')}"
                     "&order=due_date.nullslast,id&limit=1").body
    if not nxt:
        return 0
    wo = nxt[0]
    # status=eq.assigned makes the start conditional: a concurrent start wins, this one no-ops
    started = api("PATCH", f"/work_orders?id=eq.{wo['id']}&status=eq.assigned",
                  {"status": "in_progress"}, f"{MINIMAL}, {COUNT}")
    if not started.total:
        return 0
    parts = api("GET", f"/parts?select=id&warehouse_id=eq.{wo['warehouse_id']}"
                       "&available=gt.5&limit=20").body or []
    used = [{"part_id": random.choice(parts)["id"], "quantity": 1}] if parts else []
    api("POST", "/rpc/complete_work_order",
        {"wo_id": wo["id"], "actual_hours": 1.5, "parts": used}, MINIMAL)
    return 2


def low_stock(api: Api, me: Caller, audience: Audience) -> int:
    """List the parts at or below their reorder point.

    Through the API's function: PostgREST cannot compare two columns in a filter.
    """
    return _rows(api("GET", f"/rpc/low_stock?warehouse_id={me.warehouse_id}"
                            "&select=id,part_number,name,available,reorder_point,"
                            "reorder_quantity&order=available,part_number&limit=50"))


def dashboard(api: Api, me: Caller, audience: Audience) -> int:
    """Read the site's KPIs through the API's function, as the SQL users do (load.mix)."""
    api("GET", f"/rpc/dashboard_kpis?warehouse_id={me.warehouse_id}")
    return 1


HTTP_OPERATIONS: Mapping[str, Callable[[Api, Caller, Audience], int]] = {
    "my_work_orders": my_work_orders,
    "work_order_detail": work_order_detail,
    "checklist_progress": checklist_progress,
    "log_time": log_time,
    "start_complete": start_complete,
    "low_stock": low_stock,
    "dashboard": dashboard,
}
# Every SQL operation has its HTTP twin (and nothing else): the two paths run the same mix.
if set(HTTP_OPERATIONS) != set(OPERATIONS):
    raise RuntimeError("load.http_mix and load.mix name different operations")


def api_of(client: ApiClient, actor: Actor) -> Api:
    """Send the requests of an operation through :class:`harness.api_client.ApiClient`."""

    def call(method: str, path: str, body: Any = None, prefer: str | None = None) -> Answer:
        r = client.request(method, path, actor=actor, body=body, prefer=prefer)
        if not r.ok:
            raise HttpFailure(r.status, r.code)
        return Answer(r.status, r.body, r.total)

    return call
