"""Read what the oracle and the generators need, as the harness's superuser.

That is every row of the matrix's tables, and per table the columns (type, generated, nullable,
enum labels), the unique keys and the composite foreign keys that pin a reference to the same
warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from harness.access.matrix import AccessMatrix
from harness.access.oracle import Snapshot
from harness.errors import HarnessError


@dataclass(frozen=True)
class Column:
    """One column as the generators see it."""

    name: str
    type: str  # format_type(), usable as a cast target
    nullable: bool
    generated: bool  # generated or identity-always: never written
    has_default: bool
    enum_labels: tuple[str, ...] = ()

    @property
    def is_text(self) -> bool:
        """Tell whether the column holds free text."""
        return self.type in ("text", "character varying") or self.type.startswith(
            "character varying("
        )


@dataclass(frozen=True)
class TableMeta:
    """Columns, unique keys and same-warehouse references of one table."""

    schema: str
    name: str
    columns: dict[str, Column]
    unique: tuple[tuple[str, ...], ...]
    references: dict[str, str] = field(default_factory=dict)  # column -> parent table

    @property
    def qualified(self) -> sql.Composable:
        """Return the quoted ``schema.name``."""
        return sql.Identifier(self.schema, self.name)

    def writable(self) -> list[Column]:
        """Return the columns a statement may write."""
        return [c for c in self.columns.values() if not c.generated]


_COLUMNS = """
select a.attname, format_type(a.atttypid, a.atttypmod), not a.attnotnull,
       a.attgenerated <> '' or a.attidentity = 'a', a.atthasdef or a.attidentity <> '',
       coalesce((select array_agg(e.enumlabel::text order by e.enumsortorder)
                 from pg_enum e
                 where e.enumtypid = (select case when t.typcategory = 'A' then t.typelem
                                                  else t.oid end
                                      from pg_type t where t.oid = a.atttypid)), '{}')
from pg_attribute a
where a.attrelid = %s::regclass and a.attnum > 0 and not a.attisdropped
order by a.attnum
"""

_UNIQUE = """
select array(select a.attname::text from unnest(c.conkey) k
             join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k)
from pg_constraint c where c.conrelid = %s::regclass and c.contype in ('p', 'u')
"""

_FKEYS = """
select array(select a.attname::text from unnest(c.conkey) k
             join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k),
       c.confrelid::regclass::text
from pg_constraint c where c.conrelid = %s::regclass and c.contype = 'f'
"""


def read_meta(
    conn: psycopg.Connection[Any], schema: str, table: str, scope_column: str
) -> TableMeta:
    """Catalog facts about ``schema.table``."""
    rel = f"{schema}.{table}"
    cols = {
        r[0]: Column(r[0], r[1], r[2], r[3], r[4], tuple(r[5]))
        for r in conn.execute(_COLUMNS, (rel,)).fetchall()
    }
    uniq = tuple(tuple(r[0]) for r in conn.execute(_UNIQUE, (rel,)).fetchall())
    refs: dict[str, str] = {}
    for fcols, parent in conn.execute(_FKEYS, (rel,)).fetchall():
        # Only composite keys that include the tenant column pin the reference to one warehouse.
        rest = [c for c in fcols if c != scope_column]
        if scope_column in fcols and len(rest) == 1:
            refs[rest[0]] = parent.split(".")[-1]
    return TableMeta(schema, table, cols, uniq, refs)


def _require_row_key(meta: TableMeta, key: str, rows: list[dict[str, Any]]) -> None:
    """Refuse a key column that does not name one row each (the oracle names rows by it).

    A single-column primary key or unique constraint does; so does a column that is unique in
    practice, such as the uuid ``id`` of a partitioned table whose primary key must also hold the
    partition column.
    """
    if key not in meta.columns:
        problem = f"has no column {key!r}"
    else:
        seen: set[Any] = set()
        for row in rows:
            value = row[key]
            if value is None or value in seen:
                break
            seen.add(value)
        else:
            return
        problem = f"has rows that share {key!r} = {value!r}"
    candidates = [u[0] for u in meta.unique if len(u) == 1]
    raise HarnessError(
        f"access matrix: table {meta.schema}.{meta.name} {problem}; the RLS suites name a row "
        "by one column whose values are unique",
        hint=(f"set key = {candidates[0]!r} under [tables.{meta.name}]" if candidates else
              f"add a single-column unique key (e.g. a surrogate id) to {meta.name}: composite "
              "keys are not supported yet"),
    )


def _select_item(col: Column) -> sql.Composable:
    """Arrays of enums come back as one string unless cast: read them as text[]."""
    if col.enum_labels and col.type.endswith("[]"):
        return sql.SQL("{}::text[] as {}").format(
            sql.Identifier(col.name), sql.Identifier(col.name)
        )
    return sql.Identifier(col.name)


def read_snapshot(
    conn: psycopg.Connection[Any], matrix: AccessMatrix
) -> tuple[Snapshot, dict[str, TableMeta]]:
    """All rows of the matrix's tables and their metadata, read as the connection's (super)user."""
    metas: dict[str, TableMeta] = {}
    rows: dict[str, list[dict[str, Any]]] = {}
    for name, t in matrix.tables.items():
        if conn.execute("select to_regclass(%s)", (t.qualified,)).fetchone() == (None,):
            continue
        meta = read_meta(conn, t.schema, name, t.scope_column)
        metas[name] = meta
        wanted = [c for c in meta.columns if meta.columns[c].type != "tsvector"]
        query = sql.SQL("select {} from {}").format(
            sql.SQL(", ").join(_select_item(meta.columns[c]) for c in wanted), meta.qualified
        )
        with conn.cursor(row_factory=dict_row) as cur:
            rows[name] = list(cur.execute(query).fetchall())
        _require_row_key(meta, t.key, rows[name])
    snap = Snapshot(
        rows,
        keys={n: t.key for n, t in matrix.tables.items()},
        references={n: dict(m.references) for n, m in metas.items()},
    )
    return snap, metas
