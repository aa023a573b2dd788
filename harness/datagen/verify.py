"""Proofs about generated data: foreign keys hold, and table checksums for determinism.

A load with ``session_replication_role = replica`` skips foreign-key triggers, so a generator bug
would leave dangling references that nothing reports. These functions check every foreign key
the catalog declares, generically, with one anti-join each.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

_FOREIGN_KEYS = """
select c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text,
       array(select a.attname::text from unnest(c.conkey) with ordinality k(n, o)
             join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.o),
       array(select a.attname::text from unnest(c.confkey) with ordinality k(n, o)
             join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.o)
from pg_constraint c
join pg_class r on r.oid = c.conrelid
where c.contype = 'f' and not r.relispartition
  and c.connamespace::regnamespace::text = any (%s)
order by 2, 1
"""


def foreign_key_violations(
    conn: psycopg.Connection[Any], schemas: tuple[str, ...] = ("public",)
) -> dict[str, int]:
    """Return ``{constraint: dangling rows}`` for every foreign key in ``schemas`` that is broken.

    MATCH SIMPLE semantics: a row with any referencing column null is not checked.
    """
    broken: dict[str, int] = {}
    for name, child, parent, cols, pcols in conn.execute(_FOREIGN_KEYS, (list(schemas),)):
        not_null = sql.SQL(" and ").join(
            sql.SQL("c.{} is not null").format(sql.Identifier(col)) for col in cols)
        match = sql.SQL(" and ").join(
            sql.SQL("p.{} = c.{}").format(sql.Identifier(p), sql.Identifier(col))
            for col, p in zip(cols, pcols, strict=True))
        query = sql.SQL(
            "select count(*) from {} c where {} and not exists (select 1 from {} p where {})"
        ).format(sql.SQL(child), not_null, sql.SQL(parent), match)
        row = conn.execute(query).fetchone()
        if row and row[0]:
            broken[f"{child}.{name}"] = int(row[0])
    return broken


def table_checksums(conn: psycopg.Connection[Any], tables: list[str]) -> dict[str, str]:
    """Return ``{table: "<rows>:<md5>"}``, independent of physical row order. For small data."""
    out: dict[str, str] = {}
    for table in tables:
        query = sql.SQL(
            "select count(*), md5(coalesce(string_agg(h, '' order by h), ''))"
            " from (select md5(t::text) h from {} t) s"
        ).format(sql.SQL(table))
        row = conn.execute(query).fetchone()
        assert row is not None
        out[table] = f"{row[0]}:{row[1]}"
    return out
