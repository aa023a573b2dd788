"""Running the query catalog as the real users: warm runs, the settled plan, timed runs.

Every statement runs the way PostgREST runs a request (one transaction, ``set_config`` of the
role and claims; :func:`harness.impersonate.impersonate`) with ``jit = off`` and no parallel
workers, so that plans and timings are comparable between runs and machines.

Each (query, role) is measured on connections of its own, so that nothing a previous
measurement did to the session changes it. That matters: a prepared statement, and every
statement inside a PL/pgSQL function, is planned afresh for its first five executions in a
session and may then switch to a generic plan (``plan_cache_mode = auto``) that reads other
pages -- at ci scale ``dashboard_kpis`` reads ~440 buffers with custom plans, ~2,000 with the
generic ones. On a shared connection the plan read depended on how often earlier queries had
called the same functions. The statement is prepared (``PREPARE``; PostgREST prepares its
statements too), run ``WARMUP_RUNS`` times, then explained with ``EXPLAIN ANALYZE EXECUTE``:
the plan, buffers and timings all describe the settled plan that a PostgREST connection which
served the request before uses. Timing is the client's view (execute + fetch), median of
``runs``.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg

from harness.impersonate import Actor, impersonate, repro_sql
from suites.performance.catalog import Catalog, Query
from suites.performance.plans import PlanFacts, buffers, indexes_used, relations_read

DEFAULT_RUNS = 7
WARMUP_RUNS = 6  # plan_cache_mode = auto: five custom plans, then the generic one if cheaper
EXPLAIN_RUNS = 2  # the plan kept is the one that read fewer buffers (see _measure_one)
STATEMENT = "dbh_query"  # the name the statement is prepared under, in its own session
# Pinned per transaction: JIT compile time and parallel workers make timings bimodal.
_PIN = ("select set_config('jit', 'off', true),"
        " set_config('max_parallel_workers_per_gather', '0', true)")
_PLACEHOLDER = re.compile(r"%%|%\((\w+)\)s")


def positional(sql: str) -> tuple[str, list[str]]:
    """Turn the catalog's ``%(name)s`` placeholders into ``$n`` for PREPARE.

    Returns the text and the parameter names in ``$n`` order (a repeated name keeps its number).
    """
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "%"
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    return _PLACEHOLDER.sub(number, sql), names


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

    @property
    def large_seq_scans(self) -> list[str]:
        """Relations above the catalog's size threshold that the plan reads by Seq Scan."""
        return [r for r in self.facts.seq_scans if r in self.large_relations] if self.facts else []

    def repro(self, conn: psycopg.Connection[Any]) -> str:
        """Return a psql script that replays the measurement as the role and explains it.

        The warm-up executions come first: the plan explained is the settled one.
        """
        text, names = positional(self.sql)
        call = execute_call(conn, [self.params[n] for n in names])
        body = "\n".join([
            f"PREPARE {STATEMENT} AS {text.strip()};",
            *[f"{call} \\g /dev/null" for _ in range(WARMUP_RUNS)],
            f"EXPLAIN (ANALYZE, BUFFERS) {call};",
            f"DEALLOCATE {STATEMENT}",
        ])
        return repro_sql(Actor.user(self.user_id), body) if self.user_id else body


def execute_call(conn: psycopg.Connection[Any], values: list[Any]) -> str:
    """``execute dbh_query(<values as typed literals>)``."""
    if not values:
        return f"execute {STATEMENT}"
    args = ", ".join(["%s"] * len(values))
    return psycopg.ClientCursor(conn).mogrify(f"execute {STATEMENT}({args})", values)


def _rows_digest(rows: Iterable[tuple[Any, ...]]) -> str:
    return hashlib.md5(json.dumps(sorted(map(repr, rows))).encode()).hexdigest()


class _Session:
    """A connection of one measurement with the statement prepared in it."""

    def __init__(self, conn: psycopg.Connection[Any], actor: Actor, m: Measurement) -> None:
        self.conn = conn
        self.actor = actor
        text, names = positional(m.sql)
        # Prepared by the harness's own role: the role a statement is planned for is checked
        # at each EXECUTE, and it is re-planned once for the acting role, as PostgREST's are.
        self.conn.execute(f"prepare {STATEMENT} as {text}")
        # EXECUTE takes its arguments as expressions, not as bound parameters: inlined as
        # typed literals, they reach the plan as values all the same.
        self.call = execute_call(self.conn, [m.params[n] for n in names])

    @classmethod
    @contextmanager
    def open(cls, dsn: str, actor: Actor, m: Measurement) -> Iterator[_Session]:
        """Yield a session on a new connection to ``dsn``, closed afterwards."""
        with psycopg.connect(dsn, autocommit=True, prepare_threshold=None) as conn:
            yield cls(conn, actor, m)

    def run(self) -> tuple[float, list[Any]]:
        """Execute the statement once as the actor; return the client-side ms and the rows."""
        with impersonate(self.conn, self.actor) as cur:
            cur.execute(_PIN)
            start = time.perf_counter()
            cur.execute(self.call)
            rows = cur.fetchall()
            return (time.perf_counter() - start) * 1000, rows

    def explain(self) -> list[dict[str, Any]]:
        """EXPLAIN ANALYZE the next execution (it counts as one: the plan cache sees it)."""
        with impersonate(self.conn, self.actor) as cur:
            cur.execute(_PIN)
            cur.execute(f"explain (analyze, buffers, verbose, format json) {self.call}")
            doc = cur.fetchone()
        assert doc is not None
        return doc[0] if isinstance(doc[0], list) else json.loads(doc[0])


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


# Relations (schema.name) and indexes (name) of partitions, mapped to their partitioned table's.
_ROOTS = """
select n.nspname || '.' || c.relname, rn.nspname || '.' || r.relname
from pg_class c join pg_namespace n on n.oid = c.relnamespace
join pg_class r on r.oid = pg_partition_root(c.oid)
join pg_namespace rn on rn.oid = r.relnamespace
where c.relispartition and c.relkind in ('r', 'p') and n.nspname || '.' || c.relname = any (%s)
union all
select c.relname, r.relname from pg_class c join pg_class r on r.oid = pg_partition_root(c.oid)
where c.relispartition and c.relkind in ('i', 'I') and c.relname = any (%s)
"""


def partition_roots(conn: psycopg.Connection[Any], plan: dict[str, Any]) -> dict[str, str]:
    """Map the partitions (and their indexes) a plan reads to their partitioned table's."""
    rels, idxs = sorted(relations_read(plan)), sorted(indexes_used(plan))
    if not rels and not idxs:
        return {}
    return {a: b for a, b in conn.execute(_ROOTS, (rels, idxs)).fetchall()}


def server_major(dsn: str) -> int:
    """Return the major version of the server behind ``dsn`` (e.g. 15)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.info.server_version // 10000


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
    with psycopg.connect(dsn, autocommit=True) as conn:
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
                    _measure_one(dsn, conn, m, stmt, runs)
                except psycopg.Error as exc:
                    m.error = f"{type(exc).__name__}: {str(exc).strip()}"
    return out


def _measure_one(
    dsn: str, conn: psycopg.Connection[Any], m: Measurement, stmt: str, runs: int
) -> None:
    """Measure ``m`` as its role and as service_role, each on a fresh session of its own.

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
    with _Session.open(dsn, Actor.user(m.user_id), m) as role, \
            _Session.open(dsn, Actor.service_role(), m) as service:
        _, rows = role.run()
        m.rows = len(rows)
        for _ in range(WARMUP_RUNS - 1):
            role.run()
        for _ in range(WARMUP_RUNS):
            _, service_rows = service.run()
        # The fewer buffers of two: a session told to rebuild its caches (by other sessions'
        # DDL, even in other databases, or by new statistics) reads catalog pages inside the
        # statement it is running, which adds thousands of buffers to that one run.
        explain = min((role.explain() for _ in range(EXPLAIN_RUNS)),
                      key=lambda e: buffers(e[0]["Plan"]))
        m.plan = explain[0]["Plan"]
        m.facts = PlanFacts.of(explain, partition_roots(conn, m.plan))
        m.same_rows_as_service = _rows_digest(service_rows) == _rows_digest(rows)
        m.timings_ms, m.service_timings_ms = [], []
        for _ in range(runs):
            m.timings_ms.append(round(role.run()[0], 3))
            m.service_timings_ms.append(round(service.run()[0], 3))
