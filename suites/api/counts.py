"""API013: ``Prefer: count=exact`` and ``HEAD`` count only rows the role can read.

Clients page with ``Content-Range: 0-19/<total>``; ``HEAD`` answers the total without rows. A
total above what the role reads tells it how many rows it may not see (how many work orders a
rival warehouse has), and a ``HEAD`` that answers where ``GET`` is refused tells it the table is
there. PostgREST counts under the same role and policies as the read, so the totals agree unless
something differs for a HEAD or a count request (a policy reading ``request.method``, a
pre-request hook).
"""

from __future__ import annotations

from collections.abc import Iterator

from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, Severity, check
from suites.api.common import SUITE, api_client, note, role_actors
from suites.api.reads import Reads
from suites.security.rls_matrix import load_access

FAMILY = "api"
COUNT = "count=exact"


@check(
    "API013",
    title="Exact counts and HEAD reveal no more rows than the role reads",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    needs=("access",),
    rationale="Counts are data: a total in Content-Range or from HEAD larger than the rows a "
    "role may read discloses the size of other tenants' data, and a HEAD that succeeds where "
    "GET is refused discloses what exists.",
    remedy="Make row visibility depend on the caller only (never on request.method or other "
    "per-request settings), so that a count runs under exactly the policies of the read.",
)
def counts(ctx: CheckContext) -> Iterator[Finding]:
    """For every role and exposed table, compare GET's rows with the exact and HEAD totals."""
    matrix = load_access(ctx)
    client = api_client(ctx)
    reads = Reads(client)
    requests = 0
    for label, actor in role_actors(ctx, matrix).items():
        for name, t in sorted(matrix.tables.items()):
            if t.schema not in ctx.config.api.schemas:
                continue
            readable = reads.keys(label, actor, name, t.key)
            n = len(readable) if readable is not None else 0
            path = f"/{name}?select={t.key}"
            for method, extra in (("GET", "&limit=1"), ("HEAD", "")):
                resp = client.request(method, path + extra, actor=actor, prefer=COUNT)
                requests += 1
                total = resp.total if resp.ok else None
                if resp.ok and readable is None:
                    problem = f"answers {resp.status} where GET is refused"
                elif total is not None and total > n:
                    problem = f"counts {total} rows where GET returns {n}"
                else:
                    continue
                yield COUNTS.finding(
                    f"public.{name}",
                    f"{method} /{name} with Prefer: {COUNT} as {label} {problem}",
                    repro_sql=f"-- {resp.curl}",
                    details={"role": label, "method": method, "total": total, "readable": n,
                             "curl": resp.curl},
                )
    note(ctx, count_requests=requests)


COUNTS = REGISTRY.get("API013")
