"""API030: schemathesis fuzzes PostgREST's OpenAPI document as every role; no 5xx, JSON errors.

Anti-pattern: testing the endpoints a client uses with the values it sends. Best practice:
let schemathesis generate requests from the API's own description (every table's filters and
bodies, every function's arguments) as each role, and demand two properties of every answer: no
server error (a 5xx is a crash, or an error the schema maps to 500 such as P0002 or 55000), and
every error a JSON object with a ``code`` a client can branch on.

Every request carries ``Prefer: tx=rollback``: the fuzzing writes nothing. The seed is the run's,
so a run is repeatable.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.core.result import Err

from harness.api_client import ROLLBACK, ApiClient
from harness.context import CheckContext
from harness.errors import ToolFailed
from harness.impersonate import Actor
from harness.registry import REGISTRY, Finding, Severity, check
from suites.api.common import SUITE, api_client, note, role_actors
from suites.security.rls_matrix import load_access

FAMILY = "api"
EXAMPLES = 3  # generated requests per operation and role (options: api.fuzz_examples)
COVERAGE_FLOOR = 0.9  # share of the operations that must have been fuzzed


@dataclass(frozen=True)
class Problem:
    """One property an answer broke, with the request that broke it."""

    role: str
    operation: str
    what: str
    status: int
    body: str
    curl: str


def problem_of(status: int, body: Any, is_json: bool) -> str | None:
    """Say which property an answer breaks (None: none)."""
    if status >= 500:
        return f"server error {status}"
    if status >= 400 and not (is_json and isinstance(body, dict) and body.get("code")):
        return f"error {status} without a JSON body carrying a code"
    return None


def _body(response: Any) -> tuple[Any, bool]:
    try:
        return response.json(), True
    except (ValueError, TypeError):
        return response.text_lossy if hasattr(response, "text_lossy") else "", False


def _judge(label: str, name: str, response: Any, case: Any, *, url: str,
           headers: dict[str, str], counts: Counter[str],
           found: dict[tuple[str, str], Problem]) -> None:
    counts["calls"] += 1
    counts[f"status_{response.status_code // 100}xx"] += 1
    body, is_json = _body(response)
    what = problem_of(response.status_code, body, is_json)
    if what is not None:
        counts["failures"] += 1
        found.setdefault((name, what), Problem(
            label, name, what, response.status_code, str(body)[:300],
            case.as_curl_command(headers=headers, base_url=url)))


def _fuzzer(seed_value: int, examples: int, op: Any, url: str, headers: dict[str, str],
            judge: Callable[[Any, Any], None]) -> Callable[[], None]:
    """Return a hypothesis test that calls operation ``op`` and hands each answer to ``judge``."""

    @settings(max_examples=examples, database=None, deadline=None, derandomize=False,
              suppress_health_check=list(HealthCheck), phases=(Phase.generate,))
    @seed(seed_value)
    @given(op.as_strategy())
    def call(case: Any) -> None:
        judge(case.call(base_url=url, headers=headers), case)

    return call  # type: ignore[no-any-return]


def fuzz_role(ctx: CheckContext, client: ApiClient, label: str, actor: Actor, examples: int,
              counts: Counter[str]) -> list[Problem]:
    """Fuzz every operation of ``actor``'s OpenAPI document; return the first problem of each."""
    token = client.token_for(actor)
    headers = {"Prefer": ROLLBACK}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    doc = client.request("GET", "/", token=token)
    if not doc.ok or not isinstance(doc.body, dict):
        raise ToolFailed(f"PostgREST served no OpenAPI document to {label}: HTTP {doc.status}")
    schema = schemathesis.openapi.from_dict(doc.body)
    found: dict[tuple[str, str], Problem] = {}
    for result in schema.get_all_operations():
        counts["operations"] += 1
        if isinstance(result, Err):  # an operation the document describes inconsistently
            counts["operations_not_generated"] += 1
            ctx.progress(f"API030: {label}: {result.err()}"[:200])
            continue
        op = result.ok()
        name = f"{op.method.upper()} {op.path}"
        judge = functools.partial(_judge, label, name, url=client.url, headers=headers,
                                  counts=counts, found=found)
        call = _fuzzer(ctx.seed, examples, op, client.url, headers, judge)
        # Generation errors of one operation (a schema hypothesis cannot satisfy) are that
        # operation's, not the API's: counted (a coverage floor judges them), and the fuzzing
        # goes on.
        try:
            call()
        except Exception as exc:
            counts["operations_not_generated"] += 1
            ctx.progress(f"API030: {label} {name}: {type(exc).__name__}: {exc}"[:200])
    return list(found.values())


@check(
    "API030",
    title="Fuzzing the API as every role: no server error, every error JSON with a code",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    needs=("access",),
    rationale="A client can send anything the API describes. A 5xx means the database raised "
    "what PostgREST maps to an internal error (P0002 no_data_found, 55000, an unhandled "
    "exception) or PostgREST itself failed: the client cannot tell its mistake from an outage, "
    "and monitoring pages someone. An error without a JSON code cannot be handled by a client.",
    remedy="Run the curl line. Raise client mistakes as 22023/23xxx/42501 (4xx) with the field "
    "named; catch what a function cannot handle; never let an error escape as P0002 or 55000 "
    "from an exposed function.",
)
def fuzzing(ctx: CheckContext) -> Iterator[Finding]:
    """Fuzz the document served to anon and one user of every app role."""
    matrix = load_access(ctx)
    client = api_client(ctx)
    examples = int(ctx.config.options.get("api", {}).get("fuzz_examples", EXAMPLES))
    counts: Counter[str] = Counter()
    problems: list[Problem] = []
    for label, actor in role_actors(ctx, matrix).items():
        problems += fuzz_role(ctx, client, label, actor, examples, counts)
    note(ctx, fuzz_examples_per_operation=examples, fuzz_seed=ctx.seed,
         **dict(sorted(counts.items())))
    ops = counts["operations"]
    if ops and counts["operations_not_generated"] > ops * (1 - COVERAGE_FLOOR):
        yield FUZZING.finding(
            "api:openapi",
            f"schemathesis generated no request for {counts['operations_not_generated']} of "
            f"{ops} operations (floor: {COVERAGE_FLOOR:.0%} fuzzed); the progress log names them",
        )
    seen: set[tuple[str, str]] = set()
    for p in problems:
        if (p.operation, p.what) in seen:
            continue
        seen.add((p.operation, p.what))
        yield FUZZING.finding(
            f"api:{p.operation}",
            f"{p.operation} as {p.role}: {p.what}: {p.body}",
            repro_sql=f"-- {p.curl}",
            seed=ctx.seed,
            details={"role": p.role, "operation": p.operation, "status": p.status,
                     "curl": p.curl},
        )


FUZZING = REGISTRY.get("API030")
