"""Rows a sign-up created: every row of the project's tables that carries the new user's id.

Found without knowing the schema: each table of the project's schemas with a uuid column is
read once for all the users at a time. To compare two users' rows, values that are theirs by
construction (their id, their email) are masked, and columns whose values differ between any
two inserts (identity and serial numbers, generated uuids, timestamps) are left out.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

import psycopg
from psycopg import sql

from suites.attacks.common import PLATFORM_SCHEMAS

Rows = dict[uuid.UUID, dict[str, list[dict[str, Any]]]]

_TABLES = """
select n.nspname, c.relname,
       array_agg(a.attname order by a.attnum) filter (where a.atttypid = 'uuid'::regtype),
       array_agg(a.attname order by a.attnum) filter (
         where a.attidentity <> '' or a.attgenerated <> ''
            or pg_get_expr(d.adbin, d.adrelid)
               ~* 'nextval|gen_random_uuid|uuid_generate|now\\(|clock_timestamp|current_'
            or a.atttypid in ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype,
                              'time'::regtype))
from pg_class c join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
where c.relkind in ('r', 'p') and not c.relispartition
  and n.nspname <> all(%s) and left(n.nspname, 3) <> 'pg_'
group by 1, 2
order by 1, 2
"""


_KEYED = """
select n.nspname, c.relname, a.attname
from pg_index i join pg_class c on c.oid = i.indrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
where i.indisprimary and i.indnatts = 1 and c.relkind in ('r', 'p') and not c.relispartition
  and n.nspname <> all(%s) and left(n.nspname, 3) <> 'pg_'
order by 1, 2
"""


def signup_xid(conn: psycopg.Connection[Any], user: uuid.UUID) -> str:
    """Return the transaction that signed ``user`` up (the xmin of their auth.users row)."""
    row = conn.execute("select xmin::text from auth.users where id = %s", (user,)).fetchone()
    return str(row[0]) if row else ""


def fresh_keys(
    conn: psycopg.Connection[Any], xids: Mapping[uuid.UUID, str]
) -> dict[uuid.UUID, set[str]]:
    """Return, per user, the primary keys of rows their sign-up transaction created.

    A personal team made at sign-up has a new id for every user; such values differ between
    any two users without being anything they chose, so comparisons mask them.
    """
    by_xid = {x: u for u, x in xids.items() if x}
    out: dict[uuid.UUID, set[str]] = {u: set() for u in xids}
    if not by_xid:
        return out
    for schema, table, key in conn.execute(_KEYED, (sorted(PLATFORM_SCHEMAS),)).fetchall():
        q = sql.SQL("select {k}::text, xmin::text from {t} where xmin::text = any(%s)").format(
            k=sql.Identifier(key), t=sql.Identifier(schema, table))
        for value, xid in conn.execute(q, (list(by_xid),)).fetchall():
            out[by_xid[xid]].add(str(value))
    return out


def rows_of(
    conn: psycopg.Connection[Any],
    users: list[uuid.UUID],
    emails: Mapping[uuid.UUID, str],
    fresh: Mapping[uuid.UUID, set[str]] | None = None,
) -> Rows:
    """Return, per user, the rows of each table (``schema.table``) that hold the user's id.

    Rows are masked (the user's id and email become ``<user>`` and ``<email>``, keys their
    sign-up created, ``fresh``, become ``<new>``) and stripped of the columns that differ
    between any two inserts.
    """
    out: Rows = {u: {} for u in users}
    if not users:
        return out
    ids = [str(u) for u in users]
    for schema, table, uuid_cols, noisy in conn.execute(
        _TABLES, (sorted(PLATFORM_SCHEMAS),)
    ).fetchall():
        if not uuid_cols:
            continue
        where = sql.SQL(" or ").join(
            sql.SQL("{}::text = any(%s)").format(sql.Identifier(c)) for c in uuid_cols
        )
        q = sql.SQL("select to_jsonb(t) from {} t where {}").format(
            sql.Identifier(schema, table), where
        )
        skip = set(noisy or ())
        for (doc,) in conn.execute(q, [ids] * len(uuid_cols)).fetchall():
            for c in uuid_cols:
                owner = doc.get(c)
                if owner in ids:
                    uid = uuid.UUID(owner)
                    names = {k: "<new>" for k in (fresh or {}).get(uid, set())}
                    names.update({owner: "<user>", emails.get(uid, ""): "<email>"})
                    row = _mask(doc, skip, names)
                    out[uid].setdefault(f"{schema}.{table}", []).append(row)
                    break
    return out


def _mask(doc: dict[str, Any], skip: set[str], names: dict[str, str]) -> dict[str, Any]:
    names.pop("", None)

    def masked(col: str, v: Any) -> Any:
        if isinstance(v, str):
            return names.get(v, v)
        # Numbers only in key columns: a serial team id 1 is not a level 1.
        if isinstance(v, int) and not isinstance(v, bool) and (col == "id" or col.endswith("_id")):
            return names.get(str(v), v)
        return v

    return {k: masked(k, v) for k, v in doc.items() if k not in skip}


def differences(
    plain: dict[str, list[dict[str, Any]]], mine: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """Compare two users' rows per table: row counts, and columns whose values differ."""
    out: dict[str, Any] = {}
    for table in sorted(set(plain) | set(mine)):
        a, b = plain.get(table, []), mine.get(table, [])
        cols = sorted({c for r in a + b for c in r})
        differ = {}
        for c in cols:
            va = sorted(json.dumps(r.get(c), sort_keys=True) for r in a)
            vb = sorted(json.dumps(r.get(c), sort_keys=True) for r in b)
            if va != vb:
                differ[c] = {"plain": [json.loads(v) for v in va],
                             "this": [json.loads(v) for v in vb]}
        if differ or len(a) != len(b):
            out[table] = {"rows": (len(a), len(b)), "columns": differ}
    return out
