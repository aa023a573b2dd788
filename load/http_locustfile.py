r"""Locust HTTP users of the CMMS: each a real profile with its own JWT, through PostgREST.

The twin of :mod:`load.locustfile` for ``dbharness load --via postgrest``: the same roles, user
shares and task weights (:data:`load.mix.ROLES`), each operation sent as the HTTP requests of
:mod:`load.http_mix` by Locust's ``FastHttpUser``. An operation of several requests is reported
once, under its name, with the time of all of them (what the user waits for), so the per-operation
figures compare with the SQL users'.

Environment (set by the command): ``DBH_LOAD_API_URL`` (PostgREST), ``DBH_LOAD_JWT_SECRET``
(its secret), ``DBH_LOAD_CLOCK_OFFSET`` (server clock minus this machine's, seconds: tokens are
minted on the server's clock), ``DBH_LOAD_ACTORS`` (JSON ``{role: [{"id", "email",
"warehouse_id"}]}``), ``DBH_LOAD_THINK``, ``DBH_LOAD_LATENCY_DIR`` as for the SQL users.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
from pathlib import Path
from typing import Any, ClassVar

import jwt
from locust import between, events
from locust.contrib.fasthttp import FastHttpUser

from harness.api_client import ALGORITHM, dumps
from harness.impersonate import Actor
from load.http_mix import HTTP_OPERATIONS, Answer, Caller, HttpFailure
from load.latency import HELD, LATENCY_DIR_ENV, Recorder
from load.mix import ROLES, Role

REQUEST_TYPE = "http"
DEFAULT_THINK = "1,3"


def _think() -> tuple[float, float]:
    lo, _, hi = os.environ.get("DBH_LOAD_THINK", DEFAULT_THINK).partition(",")
    return float(lo), float(hi or lo)


def _actors() -> dict[str, list[dict[str, str]]]:
    path = os.environ.get("DBH_LOAD_ACTORS")
    if not path:
        raise RuntimeError("DBH_LOAD_ACTORS is not set: run through `dbharness load`")
    with open(path, encoding="utf-8") as f:
        data: dict[str, list[dict[str, str]]] = json.load(f)
    return data


ACTORS = _actors()
THINK_MIN, THINK_MAX = _think()
SECRET = os.environ.get("DBH_LOAD_JWT_SECRET", "")
OFFSET_S = float(os.environ.get("DBH_LOAD_CLOCK_OFFSET", "0"))
LATENCY = Recorder()


def server_now() -> dt.datetime:
    """Return the API server's clock (this machine's, corrected by the measured offset)."""
    return dt.datetime.fromtimestamp(time.time() + OFFSET_S, dt.UTC)


def _all_users_running(**_kw: Any) -> None:
    LATENCY.phase = HELD


def _write_latency(**_kw: Any) -> None:
    directory = os.environ.get(LATENCY_DIR_ENV)
    if directory and not LATENCY.empty():
        LATENCY.dump(Path(directory))


events.spawning_complete.add_listener(_all_users_running)  # type: ignore[no-untyped-call]
events.test_stop.add_listener(_write_latency)  # type: ignore[no-untyped-call]


class CmmsHttpUser(FastHttpUser):
    """A signed-in user of one app role, running that role's operations over HTTP."""

    abstract = True
    host = os.environ.get("DBH_LOAD_API_URL", "http://127.0.0.1")
    role: ClassVar[Role]
    wait_time = between(THINK_MIN, THINK_MAX)

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        profile = random.choice(ACTORS[self.role.name])
        actor = Actor.user(profile["id"], profile.get("email"))
        claims = actor.claims(now=int(server_now().timestamp()))
        token = jwt.encode(claims or {}, SECRET, algorithm=ALGORITHM)
        self.headers = {"Authorization": f"Bearer {token}"}
        self.me = Caller(profile["id"], profile["warehouse_id"], server_now)

    def call(self, method: str, path: str, body: Any = None, prefer: str | None = None
             ) -> Answer:
        """Send one request of an operation; HttpFailure on anything but 2xx."""
        headers = dict(self.headers)
        if prefer:
            headers["Prefer"] = prefer
        data = None
        if body is not None:
            data = dumps(body)
            headers["Content-Type"] = "application/json"
        # catch_response without a with-block: the request fires no Locust event of its own,
        # the operation reports once for all its requests (run_op).
        resp = self.client.request(method, path, data=data, headers=headers,
                                   catch_response=True)
        status = int(resp.status_code or 0)
        text = resp.text or ""
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        if not 200 <= status < 300:
            code = parsed.get("code") if isinstance(parsed, dict) else None
            error = getattr(resp, "error", None)  # a connection failure: no status at all
            raise HttpFailure(status, str(code) if code else
                              type(error).__name__ if error is not None else None)
        cr = resp.headers.get("Content-Range", "") if resp.headers else ""
        total = str(cr).partition("/")[2]
        return Answer(status, parsed, int(total) if total.isdigit() else None)

    def run_op(self, name: str) -> None:
        """Run operation ``name``'s requests and report them to Locust as one operation."""
        t0 = time.perf_counter()
        exc: HttpFailure | None = None
        rows = 0
        try:
            rows = HTTP_OPERATIONS[name](self.call, self.me, self.role.audience)
        except HttpFailure as failure:
            exc = failure
        ms = (time.perf_counter() - t0) * 1000
        LATENCY.record(name, ms)
        self.environment.events.request.fire(
            request_type=REQUEST_TYPE, name=name, response_time=ms, response_length=rows,
            exception=exc, context={"role": self.role.name},
        )


def _task(name: str) -> Any:
    def task(user: CmmsHttpUser) -> None:
        user.run_op(name)

    task.__name__ = name
    return task


def _user_class(role: Role) -> type[CmmsHttpUser]:
    tasks = {_task(op): weight for op, weight in role.tasks.items()}
    cls_name = "".join(part.title() for part in role.name.split("_")) + "Http"
    attrs = {"role": role, "weight": role.weight, "tasks": tasks, "abstract": False,
             "__module__": __name__}
    return type(cls_name, (CmmsHttpUser,), attrs)


# Locust finds the User classes among this module's globals; one class per role of the mix.
for _role in ROLES:
    _cls = _user_class(_role)
    globals()[_cls.__name__] = _cls
del _cls  # Locust would count the loop variable as one more (duplicate) User class
