"""INT005: a column that evidently references another table's key has no foreign key.

*Evidently* is narrow on purpose, because the check runs on schemas we did not write. The
column is named ``<thing>_id``, its table declares foreign keys (a table with none is keyless
by design: a log, a counter, a cache) but none that includes the column, and the key it
points at is evident:

* by the schema's own convention: every single-column foreign key on a column of this name
  (self-references aside) points at the same key, of the column's exact type; else
* by name: exactly one table is named ``<thing>`` or its plural (``things``, ``boxes``,
  ``thingies`` for ``thingy``) in the column's schema, else in exactly one other user
  schema, else Supabase's ``auth.users`` for ``user_id``; and it has a primary or unique key
  whose ``id`` (or same-named) column has the column's exact type, and whose other columns (the
  tenant column of a composite key) the referencing table has, with the same types.

Anything less evident (another name, another type, two candidates) is not reported. A column
kept without a foreign key on purpose says so with a suppression and its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, Severity, check
from suites.security.scope import REL_NAME, USER_RELATION, fetch, lit

SUITE = FAMILY = "integrity"
REFERENCE = re.compile(r"^(?P<stem>[a-z][a-z0-9_]*?)_id$")
# Supabase's users live in auth, outside the user's schemas; user_id commonly points there.
AUTH_USERS = ("auth", "users")

# Ordinary and partitioned tables (not partitions: they inherit their parent's keys); every
# relation of the user's schemas plus auth.users, which a column may reference.
COLUMNS = f"""
    select n.nspname as nsp, c.relname as rel, {REL_NAME} as qrel,
           n.nspname <> all(%(system)s) and left(n.nspname, 3) <> 'pg_' as user_table,
           array_agg(a.attname::text order by a.attnum) as cols,
           array_agg(format_type(a.atttypid, a.atttypmod) order by a.attnum) as types
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where c.relkind in ('r', 'p') and not c.relispartition
      and (({USER_RELATION}) or (n.nspname, c.relname) = (%(auth_nsp)s, %(auth_rel)s))
    group by 1, 2, 3, 4
"""

# Keys a reference can point at: primary keys, unique constraints, unique indexes on plain
# columns without a predicate.
KEYS = f"""
    select {REL_NAME} as qrel,
           array(select a.attname::text from unnest(i.indkey) with ordinality u(attnum, ord)
                 join pg_attribute a on a.attrelid = i.indrelid and a.attnum = u.attnum
                 order by u.ord) as cols
    from pg_index i join pg_class c on c.oid = i.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    where i.indisunique and i.indpred is null and i.indexprs is null and i.indisvalid
    order by 1, 2
"""

# Every foreign key: the referencing columns and the key they point at, in order.
FOREIGN_KEYS = f"""
    select {REL_NAME} as qrel,
           array(select a.attname::text from unnest(k.conkey) with ordinality u(attnum, ord)
                 join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum
                 order by u.ord) as cols,
           (select rn.nspname || '.' || r.relname from pg_class r
            join pg_namespace rn on rn.oid = r.relnamespace where r.oid = k.confrelid) as ref,
           array(select a.attname::text from unnest(k.confkey) with ordinality u(attnum, ord)
                 join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.attnum
                 order by u.ord) as refcols
    from pg_constraint k join pg_class c on c.oid = k.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    -- the project's own keys: the platform's (auth.identities.user_id) are no convention of it
    where k.contype = 'f' and {USER_RELATION}
"""


def table_names(stem: str) -> tuple[str, ...]:
    """Return the names a table of ``stem`` things goes by: singular and English plurals."""
    names = [stem, f"{stem}s", f"{stem}es"]
    if stem.endswith("y"):
        names.append(f"{stem[:-1]}ies")
    return tuple(names)


@dataclass(frozen=True)
class Table:
    """A table's name and typed columns."""

    nsp: str
    rel: str
    qrel: str
    user: bool
    columns: dict[str, str]  # name -> type


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key: referencing columns, the referenced table and its key, aligned."""

    qrel: str
    cols: tuple[str, ...]
    ref: str
    refcols: tuple[str, ...]


def _by_name(stem: str, referrer: Table, tables: list[Table], column: str) -> Table | None:
    named = [t for t in tables if t.rel in table_names(stem) and t.qrel != referrer.qrel]
    same = [t for t in named if t.nsp == referrer.nsp and t.user]
    other = [t for t in named if t.nsp != referrer.nsp and t.user]
    auth = [t for t in named if (t.nsp, t.rel) == AUTH_USERS and column == "user_id"]
    for group in (same, other, auth):
        if group:
            return group[0] if len(group) == 1 else None  # two candidates: not evident
    return None


def _by_convention(column: str, fks: list[ForeignKey]) -> tuple[str, tuple[str, ...]] | None:
    """Return the one (table, key) every foreign key on a column of this name points at."""
    seen = {
        (fk.ref, fk.refcols[0])
        for fk in fks if fk.cols == (column,) and fk.ref != fk.qrel  # self-references aside
    }
    if len(seen) != 1:
        return None
    ref, refcol = seen.pop()
    return ref, (refcol,)


def _key(target: Table, referrer: Table, column: str, keys: list[list[str]]) -> list[str] | None:
    """Return the widest key of ``target`` the column (with its same-named columns) fits."""
    want = referrer.columns[column]
    fits = []
    for key in keys:
        own = [k for k in key if k in ("id", column)]
        others = [k for k in key if k not in own]
        if len(own) == 1 and target.columns.get(own[0]) == want and all(
            referrer.columns.get(k) == target.columns.get(k) for k in others
        ):
            fits.append(key)
    return max(fits, key=len) if fits else None


def evident_reference(
    t: Table, column: str, tables: dict[str, Table], keys: dict[str, list[list[str]]],
    fks: list[ForeignKey],
) -> tuple[Table, list[str]] | None:
    """Return the table and key ``t.column`` evidently references, or None.

    The schema's own convention first (every foreign key on a column of this name points at
    one key), then the table named after the column.
    """
    m = REFERENCE.match(column)
    if m is None:
        return None
    convention = _by_convention(column, fks)
    if convention is not None:
        target = tables.get(convention[0])
        key = list(convention[1])
        if target is None or target.columns.get(key[0]) != t.columns[column]:
            return None
        return target, key
    named = _by_name(m.group("stem"), t, list(tables.values()), column)
    if named is None:
        return None
    fit = _key(named, t, column, keys.get(named.qrel, []))
    return (named, fit) if fit is not None else None


@check(
    "INT005",
    title="Column references a key without a foreign key",
    severity=Severity.MEDIUM,
    family=FAMILY,
    suite=SUITE,
    rationale="A column named after another table's key, of the key's exact type, holds that "
    "table's ids; without a foreign key nothing stops it from pointing at a row that never "
    "existed or was deleted, or (without the tenant column in the key) into another tenant. "
    "Only evident cases are reported: the column is <thing>_id, exactly one table is named "
    "<thing> or its plural, its key has the column's type, and the referencing table has the "
    "key's other (tenant) columns.",
    remedy="Add the foreign key (composite with the tenant column when the key is composite) "
    "and an index leading with its columns; if the table keeps no foreign key on purpose (an "
    "audit trail outliving its rows), suppress INT005 for the column with the reason.",
)
def missing_foreign_keys(ctx: CheckContext) -> Iterator[Finding]:
    """Flag ``<thing>_id`` columns matching exactly one table's key with no foreign key."""
    chk = REGISTRY.get("INT005")
    tables = {
        r["qrel"]: Table(r["nsp"], r["rel"], r["qrel"], r["user_table"],
                         dict(zip(r["cols"], r["types"], strict=True)))
        for r in fetch(ctx, COLUMNS, auth_nsp=AUTH_USERS[0], auth_rel=AUTH_USERS[1])
    }
    keys: dict[str, list[list[str]]] = {}
    for r in fetch(ctx, KEYS):
        keys.setdefault(r["qrel"], []).append(r["cols"])
    fks = [ForeignKey(r["qrel"], tuple(r["cols"]), r["ref"], tuple(r["refcols"]))
           for r in fetch(ctx, FOREIGN_KEYS)]
    covered = {(fk.qrel, c) for fk in fks for c in fk.cols}
    with_fks = {fk.qrel for fk in fks}
    for t in sorted((t for t in tables.values() if t.user), key=lambda t: t.qrel):
        if t.qrel not in with_fks:
            continue  # a table that declares no foreign key at all is keyless by design
        for column, typ in t.columns.items():
            if (t.qrel, column) in covered or column == "id":
                continue
            hit = evident_reference(t, column, tables, keys, fks)
            if hit is None:
                continue
            target, key = hit
            mine = [column if k in ("id", column) or len(key) == 1 else k for k in key]
            yield chk.finding(
                f"{t.qrel}.{column}",
                f"{t.qrel}.{column} ({typ}) looks like a reference to {target.qrel} "
                f"({', '.join(key)}) but no foreign key includes it: add FOREIGN KEY "
                f"({', '.join(mine)}) REFERENCES {target.qrel} ({', '.join(key)})",
                repro_sql="select conname, pg_get_constraintdef(oid) from pg_constraint "
                f"where contype = 'f' and conrelid = {lit(t.qrel)}::regclass;",
                details={"table": t.qrel, "column": column, "references": target.qrel,
                         "key": key},
            )
