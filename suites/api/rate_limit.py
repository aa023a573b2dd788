"""API014: the ``db-pre-request`` rate limit answers 429 once a user's writes exceed it.

PostgREST runs the hook before every request, in the request's transaction. Writes run in
read-write transactions, where the hook can count them; reads (GET, HEAD) run READ ONLY, where it
cannot count but can still refuse a user who is over the limit. So what the hook can promise,
and what is tested: a burst of writes by one user gets exactly ``rate_limit`` of them through,
the rest answered ``429 Too Many Requests`` (not a 400 that a client retries at once or reports
as its own mistake), and that user's reads are refused too while over the limit. Counting reads
is the gateway's job (docs/api.md).

The burst runs against a clone of its own and a PostgREST of its own: the counters it leaves do
not limit the other checks.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import psycopg

from harness.access.matrix import AccessMatrix
from harness.api_client import ApiClient, ApiResponse
from harness.context import CheckContext
from harness.errors import CheckSkipped
from harness.impersonate import Actor
from harness.postgrest import ApiServers
from harness.registry import REGISTRY, Finding, Severity, check
from suites.api.common import SUITE, client_of, note, role_actors
from suites.security.rls_matrix import load_access

FAMILY = "api"
BEYOND = 20  # writes sent past the limit
WORKERS = 8  # concurrent clients of the burst
WINDOW_MARGIN_S = 60  # a burst never straddles the start of the hook's next clock hour
NIL = "00000000-0000-0000-0000-000000000000"


def write_target(matrix: AccessMatrix, actors: dict[str, Actor], schemas: tuple[str, ...]
                 ) -> tuple[str, Actor, str, str]:
    """Return (role, actor, table, key) of a DELETE the role may send: a cheap counted write."""
    for role in matrix.roles:
        for name, t in matrix.tables.items():
            if role in actors and t.schema in schemas and t.rules_for(role, "D"):
                return role, actors[role], name, t.key
    raise CheckSkipped("no app role may delete from an exposed table: no write to count")


def seconds_left_in_hour(dsn: str) -> float:
    """Seconds until the database clock's next hour (the hook's counting window)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute("select extract(epoch from date_trunc('hour', now())"
                           " + interval '1 hour' - now())::float8").fetchone()
    return float(row[0]) if row else 3600.0


def burst(client: ApiClient, actor: Actor, path: str, n: int) -> list[ApiResponse]:
    """Send ``n`` DELETEs as ``actor`` from a few concurrent clients."""
    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(
            lambda _i: client.request("DELETE", path, actor=actor, prefer="return=minimal"),
            range(n)))


def judge(limit: int, responses: list[ApiResponse], read: ApiResponse) -> list[str]:
    """Say what is wrong with the burst's answers and the read after it."""
    through = sum(r.ok for r in responses)
    limited = sum(r.status == 429 for r in responses)
    other = Counter(f"HTTP {r.status} {r.code}" for r in responses
                    if not r.ok and r.status != 429)
    problems: list[str] = []
    if through > limit:
        problems.append(f"{through} of {len(responses)} writes got through, limit {limit}")
    if through < limit:
        problems.append(f"only {through} writes got through before refusals, limit {limit}")
    if other:
        shown = ", ".join(f"{k} x{v}" for k, v in sorted(other.items()))
        problems.append(f"writes over the limit answered {shown} instead of 429")
    if limited and read.ok:
        problems.append(f"a read by the limited user answered HTTP {read.status}: reads are "
                        "not refused while over the limit")
    return problems


@check(
    "API014",
    title="The db-pre-request rate limit answers 429 once a user's writes exceed it",
    severity=Severity.MEDIUM,
    family=FAMILY,
    suite=SUITE,
    rationale="A rate limit is an availability control: a client (or a stolen token) that "
    "floods the API must be stopped at the promised count and told so with 429 and when to "
    "retry. A 400 says the request itself was wrong, and clients and gateways treat it so.",
    remedy="Raise the hook's refusal with SQLSTATE PT429 (PostgREST answers HTTP 429) and a "
    "hint naming when to retry; count in a read-write path; limit reads at the gateway.",
)
def rate_limit(ctx: CheckContext) -> Iterator[Finding]:
    """Exhaust one user's limit with a burst of writes on a private clone, then read."""
    limit = ctx.config.api.rate_limit
    if not ctx.config.api.pre_request or limit is None:
        raise CheckSkipped("no db-pre-request hook with a rate_limit in the api config")
    servers: ApiServers | None = ctx.api
    if servers is None:
        raise CheckSkipped(ctx.api_off_reason)
    matrix = load_access(ctx)
    role, actor, table, key = write_target(matrix, role_actors(ctx, matrix),
                                           ctx.config.api.schemas)
    path = f"/{table}?{key}=eq.{NIL}"
    with ctx.fresh_database() as dsn, servers.private(dsn) as server:
        client = client_of(server)
        left = seconds_left_in_hour(dsn)
        if left < WINDOW_MARGIN_S:
            time.sleep(left + 1)
        started = time.perf_counter()
        responses = burst(client, actor, path, limit + BEYOND)
        took = time.perf_counter() - started
        read = client.request("GET", f"/{table}?select={key}&limit=1", actor=actor)
    statuses = Counter(r.status for r in responses)
    note(ctx, rate_limit=limit, burst_writes=len(responses),
         burst_statuses=dict(sorted(statuses.items())), burst_seconds=round(took, 1),
         read_after_status=read.status)
    problems = judge(limit, responses, read)
    if problems:
        example = next((r for r in responses if not r.ok), responses[-1])
        yield RATE_LIMIT.finding(
            ctx.config.api.pre_request,
            f"{len(responses)} DELETE {path} as {role}: " + "; ".join(problems),
            repro_sql=f"-- repeat {limit + 1} times:\n-- {example.curl}",
            details={"statuses": dict(statuses), "example_body": example.body,
                     "read_status": read.status, "curl": example.curl},
        )


RATE_LIMIT = REGISTRY.get("API014")
