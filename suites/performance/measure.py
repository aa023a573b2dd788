"""Running the query catalog as the real users: EXPLAIN ANALYZE once, then N warm timed runs.

Every statement runs the way PostgREST runs a request (one transaction, ``set_config`` of the
role and claims; :func:`harness.impersonate.impersonate`) with ``jit = off`` and no parallel
workers, so that plans and timings are comparable between runs and machines. Timing is the
client's view (execute + fetch of a prepared statement, as PostgREST runs it), median of
``runs`` after ``WARMUP_RUNS`` warm-up runs: PostgreSQL plans a prepared statement afresh for its
first five executions and only then settles on a plan, which is what a PostgREST connection
that has served the request before pays.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import psycopg

from harness.impersonate import Actor, impersonate, repro_sql
from suites.performance.catalog import Catalog, Query
from suites.performance.plans import PlanFacts

DEFAULT_RUNS = 7
WARMUP_RUNS = 6  # plan_cache_mode = auto: five custom plans, then the generic one if cheaper
# Pinned per transaction: JIT compile time and parallel workers make timings bimodal.
_PIN = ("select set_config('jit', 'off', true),"
        " set_config('max_parallel_workers_per_gather', '0', true)")


@dataclass
class Measurement:
    """One query run by one role: its plan facts, timings and the service_role comparison."""

    query: Query
    role: str
    user_id: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    sql: str = ""
    skipped: str | None = None  # why it did not run (missing function, no user, ...)
    error: str | None = None
    plan: dict[str, Any] = field(default_factory=dict)
    facts: PlanFacts | None = None
    rows: int = 0
    timings_ms: list[float] = field(default_factory=list)
    service_timings_ms: list[float] = field(default_factory=list)
    same_rows_as_service: bool = False
    large_relations: dict[str, int] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """``query/role``: how findings, the baseline and reports name this measurement."""
        return f"{self.query.name}/{self.role}"

    @property
    def median_ms(self) -> float | None:
        """Median client-side latency as the role."""
        return statistics.median(self.timings_ms) if self.timings_ms else None

    @property
    def service_median_ms(self) -> float | None:
        """Median latency of the same statement as service_role (RLS bypassed)."""
        return statistics.median(self.service_timings_ms) if self.service_timings_ms else None

    @property
    def rls_ratio(self) -> float | None:
        """Median as the role over median as service_role."""
        m, s = self.median_ms, self.service_median_ms
        return round(m / s, 2) if m is not None and s else None

    def repro(self, conn: psycopg.Connection[Any]) -> str:
        """Return a psql script running the EXPLAIN as the role (parameters inlined)."""
        stmt = psycopg.ClientCursor(conn).mogrify(self.sql, self.params)
        explain = f"explain (analyze, buffers) {stmt}"
        return repro_sql(Actor.user(self.user_id), explain) if self.user_id else explain


def _rows_digest(rows: Iterable[tuple[Any, ...]]) -> str:
    return hashlib.md5(json.dumps(sorted(map(repr, rows))).encode()).hexdigest()


def _run(conn: psycopg.Connection[Any], actor: Actor, m: Measurement) -> tuple[float, list[Any]]:
    with impersonate(conn, actor) as cur:
        cur.execute(_PIN)
        start = time.perf_counter()
        # prepare=True: PostgREST prepares its statements (db-prepared-statements, the
        # default), so a warm request pays execution, not planning.
        cur.execute(m.sql, m.params, prepare=True)
        rows = cur.fetchall()
        return (time.perf_counter() - start) * 1000, rows


def _resolve(conn: psycopg.Connection[Any], q: Query) -> tuple[str | None, str | None]:
    """Pick the statement to run (``sql`` or ``fallback_sql``) or the reason to skip."""
    if q.requires is None:
        return q.sql, None
    row = conn.execute("select to_regprocedure(%s) is not null", (q.requires,)).fetchone()
    if row and row[0]:
        return q.sql, None
    if q.fallback_sql:
        return q.fallback_sql, None
    return None, f"the schema has no function {q.requires}"


def _large_relations(conn: psycopg.Connection[Any], threshold: int) -> dict[str, int]:
    rows = conn.execute(
        "select n.nspname || '.' || c.relname, c.reltuples::bigint from pg_class c"
        " join pg_namespace n on n.oid = c.relnamespace"
        " where c.relkind in ('r', 'm', 'p') and c.reltuples > %s", (threshold,)).fetchall()
    return {r[0]: int(r[1]) for r in rows}


def index_roots(conn: psycopg.Connection[Any], names: Iterable[str]) -> dict[str, str]:
    """Map index names (partitions' included) to their root index's name."""
    names = list(names)
    if not names:
        return {}
    rows = conn.execute(
        "select c.relname, r.relname from pg_class c"
        " join pg_class r on r.oid = coalesce(pg_partition_root(c.oid), c.oid)"
        " where c.relkind in ('i', 'I') and c.relname = any (%s)", (names,)).fetchall()
    return {a: b for a, b in rows}


def measure(
    dsn: str,
    catalog: Catalog,
    *,
    runs: int = DEFAULT_RUNS,
    only: Callable[[Query], bool] = lambda _q: True,
    role: str | None = None,
    progress: Callable[[str], None] = lambda _m: None,
) -> list[Measurement]:
    """Measure every (query, role) of ``catalog`` that ``only`` accepts on the database ``dsn``.

    ``role`` limits each query to that one of its roles.
    """
    out: list[Measurement] = []
    with psycopg.connect(dsn, autocommit=True, prepare_threshold=None) as conn, \
            psycopg.connect(dsn, autocommit=True, prepare_threshold=None) as service_conn:
        large = _large_relations(conn, catalog.settings.seq_scan_max_rows)
        users: dict[str, str | None] = {}
        for actor_role, selector in catalog.actors.items():
            row = conn.execute(selector).fetchone()
            users[actor_role] = str(row[0]) if row and row[0] else None
        for q in catalog.queries:
            if not only(q):
                continue
            stmt, skip = _resolve(conn, q)
            for r in q.roles if role is None else [x for x in q.roles if x == role]:
                m = Measurement(q, r, users.get(r), large_relations=large)
                out.append(m)
                if skip or stmt is None or m.user_id is None:
                    m.skipped = skip or f"no {r} in the data (selector returned nothing)"
                    continue
                progress(f"measuring {m.key}")
                try:
                    _measure_one(conn, service_conn, m, stmt, runs)
                except psycopg.Error as exc:
                    m.error = f"{type(exc).__name__}: {str(exc).strip()}"
    return out


def _measure_one(
    conn: psycopg.Connection[Any],
    service_conn: psycopg.Connection[Any],
    m: Measurement,
    stmt: str,
    runs: int,
) -> None:
    """Measure ``m`` as its role on ``conn`` and as service_role on ``service_conn``.

    The two sides run in turns, one run each, so that a noisy neighbour or a CPU frequency step
    hits both alike (PRF102 compares them); each keeps its own connection because a prepared
    statement's plan is tied to the role it was planned for and would be re-planned at every
    switch.
    """
    assert m.user_id is not None
    cur = conn.execute(m.query.params, {"user_id": m.user_id})
    row = cur.fetchone()
    if row is None:
        m.skipped = "the params selector returned no row (too little data at this scale?)"
        return
    cols = [d.name for d in cur.description or []]
    m.params = {"user_id": m.user_id, **dict(zip(cols, row, strict=True))}
    m.sql = stmt
    actor, service = Actor.user(m.user_id), Actor.service_role()
    _, rows = _run(conn, actor, m)  # warm-up: the cache, hint bits, catalog caches
    m.rows = len(rows)
    with impersonate(conn, actor) as cur:
        cur.execute(_PIN)
        cur.execute(f"explain (analyze, buffers, verbose, format json) {stmt}", m.params)
        doc = cur.fetchone()
    assert doc is not None
    explain = doc[0] if isinstance(doc[0], list) else json.loads(doc[0])
    m.plan = explain[0]["Plan"]
    m.facts = PlanFacts.of(explain)
    # The plan is read after one run, the timings after WARMUP_RUNS: a function's statements
    # switch to generic plans on the sixth call of a session, which changes their buffers (and
    # the baseline would then depend on how often the check ran the function before).
    for _ in range(WARMUP_RUNS - 1):
        _run(conn, actor, m)
    for _ in range(WARMUP_RUNS):  # warm-up of the service_role side
        _, service_rows = _run(service_conn, service, m)
    m.same_rows_as_service = _rows_digest(service_rows) == _rows_digest(rows)
    m.timings_ms, m.service_timings_ms = [], []
    for _ in range(runs):
        m.timings_ms.append(round(_run(conn, actor, m)[0], 3))
        m.service_timings_ms.append(round(_run(service_conn, service, m)[0], 3))
