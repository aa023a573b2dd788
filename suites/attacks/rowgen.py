"""One plausible row for a table, without knowing the schema: for giving a user something to own.

Columns with a default, identity or generated columns are left to the table. Every other
NOT NULL column gets a value: a column of a foreign key takes the referenced columns of an
existing row (or, for ``auth.users``, the owner's own id), an enum its first label, other types
a fixed literal. The owner column takes the owner's id. Deterministic: the same schema and
data give the same row.
"""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
from psycopg import sql

_COLUMNS = """
select a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       a.atthasdef or a.attidentity <> '' or a.attgenerated <> '',
       t.typtype, coalesce(bt.typname, t.typname),
       (select e.enumlabel from pg_enum e where e.enumtypid = a.atttypid
        order by e.enumsortorder limit 1)
from pg_attribute a join pg_type t on t.oid = a.atttypid
left join pg_type bt on bt.oid = t.typbasetype and t.typtype = 'd'
where a.attrelid = %s::regclass and a.attnum > 0 and not a.attisdropped
order by a.attnum
"""

_FOREIGN_KEYS = """
select array(select a.attname from unnest(c.conkey) with ordinality k(n, o)
             join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.o),
       c.confrelid::regclass::text,
       array(select a.attname from unnest(c.confkey) with ordinality k(n, o)
             join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.o)
from pg_constraint c where c.conrelid = %s::regclass and c.contype = 'f'
order by c.conname
"""

# Literals by base type name (pg_type.typname); anything else cannot be made up.
_LITERALS: dict[str, Any] = {
    "text": "dbh probe", "varchar": "dbh probe", "bpchar": "d", "citext": "dbh probe",
    "name": "dbh_probe", "int2": 1, "int4": 1, "int8": 1, "numeric": 1, "float4": 1,
    "float8": 1, "bool": False, "jsonb": "{}", "json": "{}", "date": "2026-01-01",
    "timestamptz": "2026-01-01T00:00:00Z", "timestamp": "2026-01-01T00:00:00",
    "time": "12:00", "interval": "1 hour", "inet": "192.0.2.1", "bytea": b"\x00",
}


class CannotMakeRow(Exception):
    """The table needs a value this module cannot make up (the reason says which)."""


def row_for(
    conn: psycopg.Connection[Any], table: str, owner_col: str | None, owner: uuid.UUID,
    label: str,
) -> dict[str, Any]:
    """Return column -> value for a new row of ``table`` (regclass text) owned by ``owner``.

    ``owner_col`` (when the table has one) takes ``owner``; so do references to auth.users.
    """
    cols = conn.execute(_COLUMNS, (table,)).fetchall()
    need = {str(n) for n, _t, notnull, hasdef, *_ in cols if notnull and not hasdef}
    row: dict[str, Any] = {}
    if owner_col is not None:
        need.add(owner_col)
        row[owner_col] = owner
    for fk_cols, ref, ref_cols in conn.execute(_FOREIGN_KEYS, (table,)).fetchall():
        if not need & set(fk_cols) or set(fk_cols) <= set(row):
            continue
        if ref == "auth.users":
            row.update({c: owner for c in fk_cols})
            continue
        q = sql.SQL("select {} from {} order by 1 limit 1").format(
            sql.SQL(", ").join(map(sql.Identifier, ref_cols)),
            sql.SQL(ref),  # regclass::text, already quoted as needed
        )
        if owner_col is not None and owner_col in fk_cols:  # the owner's own referenced row
            i = list(fk_cols).index(owner_col)
            q = sql.SQL("select {} from {} where {}::text = %s order by 1 limit 1").format(
                sql.SQL(", ").join(map(sql.Identifier, ref_cols)), sql.SQL(ref),
                sql.Identifier(ref_cols[i]),
            )
            got = conn.execute(q, (str(owner),)).fetchone()
        else:
            got = conn.execute(q).fetchone()
        if got is None:
            raise CannotMakeRow(f"{', '.join(fk_cols)} references {ref}, which has no fitting row")
        row.update({c: v for c, v in zip(fk_cols, got, strict=True) if c not in row})
    for name, kind, _notnull, _hasdef, typtype, base, first_label in cols:
        if name not in need or name in row:
            continue
        if typtype == "e" and first_label is not None:
            row[name] = first_label
        elif base == "uuid":
            row[name] = uuid.uuid5(uuid.NAMESPACE_URL, f"dbh:{label}:{name}")
        elif base in _LITERALS:
            row[name] = _LITERALS[base]
        elif kind.endswith("[]"):
            row[name] = "{}"
        else:
            raise CannotMakeRow(f"no value for column {name} of type {kind}")
    return row


def insert_sql(table: tuple[str, str], row: dict[str, Any]) -> sql.Composed:
    """Return the INSERT of ``row`` into ``table`` (values bound as literals)."""
    return sql.SQL("insert into {} ({}) values ({})").format(
        sql.Identifier(*table),
        sql.SQL(", ").join(map(sql.Identifier, row)),
        sql.SQL(", ").join(sql.Literal(_literal(v)) for v in row.values()),
    )


def _literal(v: Any) -> Any:
    return str(v) if isinstance(v, uuid.UUID) else v
