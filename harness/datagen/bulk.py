"""Loading tools for generator plug-ins: COPY, parallel server-side statements, deferred indexes.

Every connection made here is a *loader session*: ``session_replication_role = replica`` so that
user triggers (audit, rule and ledger triggers) and foreign-key triggers do not fire for each of
millions of rows. The generator is then responsible for writing consistent rows, including the
audit rows the triggers would have written; :mod:`harness.datagen.verify` proves the foreign keys
afterwards. Superuser only.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from harness.datagen.plugin import Progress

# Session settings of a loader connection, and why:
LOADER_SETTINGS: dict[str, str] = {
    "session_replication_role": "replica",  # no user or FK triggers per row
    "synchronous_commit": "off",  # a crash loses a scratch database, nothing more
    "work_mem": "256MB",  # window functions and aggregates over millions of rows sort in memory
    "maintenance_work_mem": "1GB",  # index builds in one pass
    "max_parallel_maintenance_workers": "0",  # parallelism is ours: one backend per core
    "jit": "off",  # compile time dominates on these one-shot statements
}
DEFAULT_WORKERS = 2  # the project's reference machine has two cores


def _set(conn: psycopg.Connection[Any], settings: dict[str, str]) -> None:
    for name, value in settings.items():
        conn.execute(sql.SQL("select set_config({}, {}, false)").format(
            sql.Literal(name), sql.Literal(value)))


def connect_like(conn: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
    """Open another autocommit connection to the same database as ``conn`` (same credentials)."""
    info = conn.info
    dsn = make_conninfo(info.dsn, password=info.password) if info.password else info.dsn
    return psycopg.connect(dsn, autocommit=True)


@contextmanager
def loader_session(conn: psycopg.Connection[Any]) -> Iterator[psycopg.Connection[Any]]:
    """Put ``conn`` into loader settings for the block, restoring them afterwards."""
    names = list(LOADER_SETTINGS)
    saved = {n: str(conn.execute("select current_setting(%s)", (n,)).fetchone()[0])  # type: ignore[index]
             for n in names}
    _set(conn, LOADER_SETTINGS)
    try:
        yield conn
    finally:
        if not conn.closed:
            _set(conn, saved)


def copy_rows(
    conn: psycopg.Connection[Any], table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """COPY ``rows`` into ``table`` (``schema.name``) through psycopg; return the row count."""
    schema, name = table.split(".", 1)
    stmt = sql.SQL("copy {} ({}) from stdin").format(
        sql.Identifier(schema, name), sql.SQL(", ").join(map(sql.Identifier, columns)))
    n = 0
    with conn.cursor() as cur, cur.copy(stmt) as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


@dataclass(frozen=True)
class Task:
    """Statements run in order on one connection; tasks run side by side."""

    label: str
    statements: tuple[str | sql.Composed, ...]
    params: dict[str, Any] = field(default_factory=dict)


def run_parallel(
    conn: psycopg.Connection[Any],
    tasks: Sequence[Task],
    *,
    prelude: str | sql.Composed = "",
    workers: int = DEFAULT_WORKERS,
    progress: Progress = lambda _m: None,
) -> dict[str, float]:
    """Run ``tasks`` on up to ``workers`` loader connections; return seconds per task label.

    ``prelude`` runs first on every connection (e.g. temporary helper functions). Each task is
    one transaction; the first failure is re-raised after the others finish.
    """

    def one(task: Task) -> tuple[str, float]:
        start = time.perf_counter()
        with connect_like(conn) as c:
            _set(c, LOADER_SETTINGS)
            if prelude:
                c.execute(prelude)
            with c.transaction():
                for stmt in task.statements:
                    c.execute(stmt, task.params or None)
        took = time.perf_counter() - start
        progress(f"  {task.label}: {took:.1f}s")
        return task.label, took

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return dict(pool.map(one, tasks))


@dataclass(frozen=True)
class IndexDef:
    """A secondary index dropped for the load and rebuilt after it."""

    name: str
    table: str
    definition: str
    table_bytes: int


_INDEXES = """
select i.indexrelid::regclass::text, i.indrelid::regclass::text,
       pg_get_indexdef(i.indexrelid), pg_total_relation_size(i.indrelid)
from pg_index i
where i.indrelid = any (%s::regclass[])
  and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
order by 4 desc, 1
"""
# Bytes of each table now, partitions included (a partitioned parent has no storage of its own).
_SIZES = """
select t::text, (select coalesce(sum(pg_relation_size(p.relid)), 0)
                 from pg_partition_tree(t) p)::bigint
from unnest(%s::regclass[]) t
"""


def _build_tasks(conn: psycopg.Connection[Any], defs: Sequence[IndexDef]) -> list[Task]:
    """Return build tasks for ``defs``, largest tables (as loaded now) first.

    The slowest builds start early, so the workers finish together.
    """
    sizes: dict[str, int] = dict(
        conn.execute(_SIZES, (sorted({d.table for d in defs}),)).fetchall())

    def cost(d: IndexDef) -> int:  # a GIN build costs several B-tree builds of the same table
        return sizes.get(d.table, 0) * (4 if " USING gin " in d.definition else 1)

    ordered = sorted(defs, key=lambda d: (-cost(d), d.name))
    return [Task(f"index {d.name}", (d.definition,)) for d in ordered]


@dataclass
class DeferredIndexes:
    """The indexes :func:`deferred_indexes` dropped and has not rebuilt yet."""

    conn: psycopg.Connection[Any]
    pending: list[IndexDef]

    def build_tasks(self, tables: Sequence[str]) -> list[Task]:
        """Hand over the builds of ``tables``' indexes as tasks, to run beside other work.

        The caller runs them (e.g. in the next :func:`run_parallel` batch, once nothing writes
        to ``tables`` any more); they are then no longer rebuilt when the block ends.
        """
        names = {r[0] for r in self.conn.execute(
            "select unnest(%s::regclass[])::text", (list(tables),)).fetchall()}
        mine = [d for d in self.pending if d.table in names]
        self.pending = [d for d in self.pending if d.table not in names]
        return _build_tasks(self.conn, mine)


@contextmanager
def deferred_indexes(
    conn: psycopg.Connection[Any],
    tables: Sequence[str],
    *,
    workers: int = DEFAULT_WORKERS,
    progress: Progress = lambda _m: None,
) -> Iterator[DeferredIndexes]:
    """Drop the non-constraint indexes of ``tables`` for the block, then rebuild them in parallel.

    One build per index sorts once; maintaining ten indexes row by row during a load of millions
    costs several times more. Indexes backing constraints (primary keys, uniques that foreign keys
    reference) stay. On a partitioned table the parent index is rebuilt, which recreates those of
    the partitions. Builds claimed with :meth:`DeferredIndexes.build_tasks` are the caller's to
    run; the rest run when the block ends.
    """
    rows = conn.execute(_INDEXES, (list(tables),)).fetchall()
    defs = [IndexDef(r[0], r[1], r[2].replace(" ON ONLY ", " ON "), r[3]) for r in rows]
    for d in defs:
        conn.execute(sql.SQL("drop index {}").format(sql.SQL(d.name)))
    handle = DeferredIndexes(conn, list(defs))
    yield handle
    progress(f"building {len(handle.pending)} indexes")
    run_parallel(conn, _build_tasks(conn, handle.pending), workers=workers, progress=progress)
    handle.pending = []


# ANALYZE reads a random sample of 300 rows per unit of statistics target (30,000 at the default
# 100): two generations of the same rows then get different statistics, and a plan that is a
# close call -- a custom against a generic plan, one index against another -- flips between
# runs. A table of up to WHOLE_TABLE_MAX_ROWS rows is analyzed whole instead (the target raised
# so that the sample is the table), which makes its statistics a function of its rows alone.
# A partitioned table's partitions are analyzed each on its own: the largest one counts.
ROWS_PER_TARGET = 300  # std_typanalyze: the sample size is 300 x the statistics target
MAX_TARGET = 10_000  # the largest target PostgreSQL accepts
# Beyond this, the default sample: sorting every value of every column (text, jsonb) costs
# several times a sampled ANALYZE. It covers every table of the "ci" scale.
WHOLE_TABLE_MAX_ROWS = 250_000


def whole_table_target(rows: int, default: int = 100) -> int:
    """Return the statistics target whose ANALYZE sample holds all ``rows`` (at least ``default``).

    Tables above :data:`WHOLE_TABLE_MAX_ROWS` keep ``default``: they are sampled.
    """
    if rows > WHOLE_TABLE_MAX_ROWS:
        return default
    return min(MAX_TARGET, max(default, -(-rows // ROWS_PER_TARGET) + 1))


def analyze_statements(conn: psycopg.Connection[Any], table: str) -> list[sql.Composed]:
    """Statements (for one transaction) that ANALYZE ``table`` reading every row when it is small.

    ``SET LOCAL`` keeps the raised target to that transaction.
    """
    rows = conn.execute(sql.SQL(
        "select coalesce(max(n), 0) from (select count(*) n from {} group by tableoid) t"
    ).format(sql.SQL(table))).fetchone()
    default = conn.execute("select current_setting('default_statistics_target')::int").fetchone()
    assert rows is not None and default is not None
    target = whole_table_target(int(rows[0]), int(default[0]))
    return [sql.SQL("set local default_statistics_target = {}").format(sql.Literal(target)),
            sql.SQL("analyze {}").format(sql.SQL(table))]


def vacuum_analyze(
    conn: psycopg.Connection[Any],
    tables: Sequence[str],
    *,
    workers: int = DEFAULT_WORKERS,
    progress: Progress = lambda _m: None,
    vacuum: bool = True,
    analyze: bool = True,
) -> None:
    """VACUUM and/or ANALYZE ``tables`` side by side (see :func:`analyze_statements`).

    VACUUM sets the visibility map, without which index-only scans visit the heap and the
    measured plans would not be the plans of a settled production database; a table left
    unvacuumed is also autovacuum's to process, at a moment no measurement controls.
    """
    verb = " and ".join(v for v, on in (("vacuum", vacuum), ("analyze", analyze)) if on)

    def one(table: str) -> None:
        start = time.perf_counter()
        with connect_like(conn) as c:
            _set(c, {k: v for k, v in LOADER_SETTINGS.items() if k != "session_replication_role"})
            if vacuum:  # VACUUM cannot run inside a transaction block; ANALYZE can
                c.execute(sql.SQL("vacuum {}").format(sql.SQL(table)))
            if analyze:
                with c.transaction():
                    for stmt in analyze_statements(c, table):
                        c.execute(stmt)
        progress(f"  {verb} {table}: {time.perf_counter() - start:.1f}s")

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(one, tables))
