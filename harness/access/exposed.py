"""What the API exposes, as the access probes need it: relations, their keys and owners, functions.

Extension members are left out (they are the extension's, not the schema's). An *owner column*
is one the relation's policies compare with ``auth.uid()``: its rows are "the persona's own".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from harness.access.owners import owner_columns


@dataclass(frozen=True)
class Column:
    """A column as the probes need it."""

    name: str
    type: str
    writable: bool  # neither generated nor identity ALWAYS
    has_default: bool


@dataclass(frozen=True)
class Relation:
    """An exposed table, view or materialized view."""

    schema: str
    name: str
    kind: str  # pg_class.relkind
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # primary key columns
    unique: tuple[str, ...]  # single-column unique keys besides the primary key
    owners: tuple[str, ...]  # columns its policies compare with auth.uid()
    updatable: int  # pg_relation_is_updatable bits

    @property
    def label(self) -> str:
        """Return ``schema.name`` as the snapshot names it."""
        return f"{self.schema}.{self.name}"

    @property
    def ident(self) -> sql.Identifier:
        """Return the quoted name."""
        return sql.Identifier(self.schema, self.name)

    def can(self, command: str) -> bool:
        """Tell whether the relation accepts ``command`` at all (views may not)."""
        bit = {"update": 4, "insert": 8, "delete": 16}[command]
        return bool(self.updatable & bit)


_RELATIONS = """
select c.oid, n.nspname, c.relname, c.relkind::text,
       pg_relation_is_updatable(c.oid, true)
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = any(%s) and c.relkind in ('r', 'p', 'v', 'm', 'f')
  and not exists (select from pg_depend d where d.classid = 'pg_class'::regclass
                  and d.objid = c.oid and d.deptype = 'e')
order by n.nspname, c.relname
"""
_COLUMNS = """
select a.attname, format_type(a.atttypid, a.atttypmod),
       a.attgenerated = '' and a.attidentity <> 'a', a.atthasdef or a.attidentity <> ''
from pg_attribute a where a.attrelid = %s and a.attnum > 0 and not a.attisdropped
order by a.attnum
"""
_KEYS = """
select c.contype::text, array(select a.attname::text from unnest(c.conkey) k
                              join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k)
from pg_constraint c where c.conrelid = %s and c.contype in ('p', 'u') order by c.conname
"""
FUNCTIONS = """
select format('%%I.%%I(%%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)),
       p.oid, n.nspname
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where n.nspname = any(%s) and p.prokind = 'f'
  and p.prorettype not in ('trigger'::regtype, 'event_trigger'::regtype)
  and not exists (select from pg_depend d where d.classid = 'pg_proc'::regclass
                  and d.objid = p.oid and d.deptype = 'e')
"""


def exposed_relations(conn: psycopg.Connection[Any], schemas: Sequence[str]) -> list[Relation]:
    """Return the tables and views of ``schemas`` (extension members left out), sorted."""
    # Owner columns from the policies' syntax trees, read as the attacks suite reads them.
    owned: dict[tuple[str, str], set[str]] = {}
    for o in owner_columns(conn, list(schemas)):
        owned.setdefault((o.schema, o.table), set()).add(o.column)
    out = []
    for oid, nsp, name, kind, upd in conn.execute(_RELATIONS, (list(schemas),)).fetchall():
        cols = tuple(Column(*r) for r in conn.execute(_COLUMNS, (oid,)).fetchall())
        key: tuple[str, ...] = ()
        unique: list[str] = []
        for contype, names in conn.execute(_KEYS, (oid,)).fetchall():
            if contype == "p":
                key = tuple(names)
            elif len(names) == 1:
                unique.append(names[0])
        owners = tuple(c.name for c in cols if c.name in owned.get((nsp, name), set()))
        out.append(Relation(nsp, name, kind, cols, key, tuple(unique), owners, int(upd)))
    return out
