"""API001: the SQL impersonation path and the real API path agree, case by case.

Anti-pattern: trusting that ``set_config('role'...)`` on a superuser connection is what PostgREST
does. Best practice: replay a sample of the SEC100 cases over HTTP with signed JWTs, through a
real PostgREST (its JWT check, role switch, ``db-pre-request`` hook, query builder and error
mapping), and demand the same outcome: both refused or both done, the same SQLSTATE class, the
same number of rows.

The sample is stratified: for every actor kind (each app role, inactive profiles, a sub without a
profile, anon, service_role) and every command (select, insert, update, delete) hypothesis draws
cases until it has seen some the oracle allows and some it denies. Actors whose claims cannot
travel in a JWT unchanged (no claims at all, a ``role`` claim that differs from the database
role) have no HTTP twin; the JWT checks (API020) cover them.
"""

from __future__ import annotations

import urllib.parse
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hypothesis import given, seed

from harness.access.oracle import Oracle
from harness.access.probe import COMMAND_VERBS, ActorSpec, Case, Verdict, judge
from harness.access.snapshot import TableMeta
from harness.api_client import ROLLBACK, ApiClient, ApiResponse, to_json
from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, Severity, check
from harness.strategies import Model, cases, open_model
from suites.api.common import SUITE, api_client, note
from suites.security.rls_matrix import hypothesis_settings, load_access

FAMILY = "api"
PER_GROUP = 24  # cases drawn at most per (actor kind, command)
ENOUGH = 3  # allowed and denied cases wanted per group before moving on
WRITE_PREFER = f"{ROLLBACK}, return=minimal, count=exact"


def replayable(spec: ActorSpec) -> bool:
    """Tell whether the actor's claims travel in a JWT unchanged (PostgREST takes the role)."""
    claims = spec.actor.claims(now=0)
    return claims is not None and claims.get("role") == spec.actor.db_role


def http_request(case: Case, key: str) -> tuple[str, str, Any, str | None]:
    """Return the method, path, body and Prefer header of ``case`` as a PostgREST request."""
    table = urllib.parse.quote(case.table)
    target = f"{key}=eq.{urllib.parse.quote(str(to_json(case.key)))}"
    if case.command == "R":
        return "GET", f"/{table}?select={key}&{target}", None, None
    if case.command == "D":
        return "DELETE", f"/{table}?{target}", None, WRITE_PREFER
    if case.command == "U":
        return "PATCH", f"/{table}?{target}", dict(case.values), WRITE_PREFER
    return "POST", f"/{table}", dict(case.values), WRITE_PREFER


@dataclass(frozen=True)
class Replay:
    """One case on both paths."""

    verdict: Verdict
    response: ApiResponse

    @property
    def http_state(self) -> str | None:
        """The HTTP path's error code (SQLSTATE or PGRSTnnn), None when it succeeded."""
        if self.response.ok:
            return None
        return self.response.code or f"HTTP{self.response.status}"

    def mismatch(self) -> str | None:
        """Say how the two paths differ, or None when they agree."""
        sql_state, http_state = self.verdict.observed.sqlstate, self.http_state
        if (sql_state is None) != (http_state is None):
            return "one path refused the request and the other did not"
        if sql_state is not None and http_state is not None:
            if sql_state[:2] != http_state[:2]:
                return "different SQLSTATE classes"
            return None
        if self.verdict.observed.rowcount != self.response.rows:
            return "different row counts"
        return None

    def describe_http(self) -> str:
        """Say what the API answered."""
        r = self.response
        if self.http_state is not None:
            return f"HTTP {r.status} {self.http_state}: {r.message}"
        return f"HTTP {r.status}, {r.rows} row(s)"


def replay(client: ApiClient, conn: Any, oracle: Oracle, metas: dict[str, TableMeta],
           case: Case) -> Replay:
    """Run ``case`` as SQL (rolled back) and over HTTP (``Prefer: tx=rollback``)."""
    verdict = judge(conn, oracle, metas, case)
    key = oracle.m.table(case.table).key
    method, path, body, prefer = http_request(case, key)
    response = client.request(method, path, actor=case.actor.actor, body=body, prefer=prefer)
    return Replay(verdict, response)


def finding(r: Replay, why: str, seed_value: int) -> Finding:
    """Turn a disagreement into an API001 finding carrying both requests."""
    c, v = r.verdict.case, r.verdict
    repro = f"-- over HTTP:\n-- {r.response.curl}\n-- as SQL:\n{v.repro}"
    return PARITY.finding(
        f"public.{c.table}",
        f"{COMMAND_VERBS[c.command].upper()} on {c.table} as {c.actor}: {why}: SQL path "
        f"{v.observed.describe()}, API path {r.describe_http()} (oracle: "
        f"{v.expected.describe()}; seed {seed_value})",
        repro_sql=repro,
        seed=seed_value,
        details={
            "table": c.table, "actor_role": c.actor.role_label, "command": c.command,
            "sql": v.sql, "sql_outcome": v.observed.describe(), "curl": r.response.curl,
            "http_status": r.response.status, "http_body": r.response.body,
            "expected": v.expected.describe(),
        },
    )


def sample_group(
    ctx: CheckContext, client: ApiClient, conn: Any, oracle: Oracle, model: Model,
    cell: tuple[str, str], stats: Counter[str], bad: list[Replay],
) -> Counter[bool]:
    """Replay cases of one (actor kind, command) cell; return how many were allowed/denied."""
    seen: Counter[bool] = Counter()
    label, command = cell

    @hypothesis_settings(ctx, PER_GROUP)
    @seed(ctx.seed)
    @given(cases(model, role_label=label, command=command))
    def draw(case: Case) -> None:
        if seen[True] >= ENOUGH and seen[False] >= ENOUGH:
            return  # enough of this cell (raising would make hypothesis shrink)
        r = replay(client, conn, oracle, model.metas, case)
        allowed = r.verdict.expected.allowed
        seen[allowed] += 1
        stats["cases"] += 1
        stats["allowed" if allowed else "denied"] += 1
        if r.mismatch() is not None:
            stats["mismatches"] += 1
            bad.append(r)

    draw()
    return seen


def sample(ctx: CheckContext, client: ApiClient, conn: Any, model: Model
           ) -> tuple[list[Replay], Counter[str]]:
    """Replay a stratified sample; return the mismatching replays and the counts."""
    oracle = Oracle(model.matrix, model.snapshot)
    http_model = Model(model.matrix, model.snapshot, model.metas,
                       actors=[a for a in model.actors if replayable(a)])
    stats: Counter[str] = Counter()
    bad: list[Replay] = []
    for label in sorted({a.role_label for a in http_model.actors}):
        for command in "RIUD":
            seen = sample_group(ctx, client, conn, oracle, http_model, (label, command), stats,
                                bad)
            stats["cells"] += 1
            stats["cells_allowed"] += bool(seen[True])
            stats["cells_denied"] += bool(seen[False])
    return bad, stats


@check(
    "API001",
    title="The API path agrees with the SQL impersonation path",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    needs=("access",),
    rationale="The security suites act as callers by setting role and claims in SQL, as PostgREST "
    "does. Only replaying their cases through a real PostgREST, with signed tokens, shows that "
    "what they prove holds for the clients: PostgREST's JWT check, role switch, pre-request hook "
    "and query builder could refuse what SQL allows, allow what it refuses, or touch other rows.",
    remedy="Run both reproductions (the curl line and the SQL script). A difference in the "
    "refusal usually comes from something only PostgREST does: the db-pre-request hook, "
    "READ ONLY transactions for GET, RETURNING on writes (SELECT policies on the new row), "
    "column privileges; fix the schema, or the harness's impersonation if it differs from "
    "PostgREST's.",
)
def api_parity(ctx: CheckContext) -> Iterator[Finding]:
    """Replay a stratified sample of access cases on both paths and compare."""
    matrix = load_access(ctx)
    client = api_client(ctx)
    with ctx.connect() as conn:
        model = open_model(conn, matrix)
        bad, stats = sample(ctx, client, conn, model)
    note(ctx, parity_cases=stats["cases"], parity_allowed=stats["allowed"],
         parity_denied=stats["denied"], parity_mismatches=stats["mismatches"],
         parity_cells=stats["cells"], parity_cells_with_allowed=stats["cells_allowed"],
         parity_cells_with_denied=stats["cells_denied"])
    groups: set[tuple[str, str, str]] = set()
    for r in bad:  # one finding per table, actor kind and command: the first case seen
        c = r.verdict.case
        group = (c.table, c.actor.role_label, c.command)
        if group not in groups:
            groups.add(group)
            yield finding(r, r.mismatch() or "", ctx.seed)


PARITY = REGISTRY.get("API001")
