"""Integrity lints read from the catalog: keys, foreign-key indexes, duplicate indexes, tenancy.

INT001 Table without a primary key.
INT002 Foreign key without an index on its columns.
INT003 Duplicate indexes.
INT004 Tenant column missing, or a foreign key between tenant tables that ignores it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, Severity, check
from suites.security.scope import REL_NAME, USER_RELATION, fetch, lit

SUITE = FAMILY = "integrity"
DEFAULT_TENANT_COLUMN = "warehouse_id"
DEFAULT_TENANT_ROOTS = ("warehouses",)

TABLES = f"""
    select c.oid, {REL_NAME} as rel, format('%%I.%%I', n.nspname, c.relname) as qrel,
           c.relname as name, n.nspname = any(%(exposed)s) as exposed,
           exists (select from pg_constraint k where k.conrelid = c.oid and k.contype = 'p')
             as has_pk,
           (select a.attnum from pg_attribute a
            where a.attrelid = c.oid and a.attname = %(tenant)s and not a.attisdropped)
             as tenant_attnum
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and not c.relispartition and {USER_RELATION}
    order by 2
"""

FOREIGN_KEYS = f"""
    select k.conname as name, {REL_NAME} as rel, format('%%I.%%I', n.nspname, c.relname) as qrel,
           k.conrelid as child, k.confrelid as parent,
           k.conkey::int[] as cols, k.confkey::int[] as refcols,
           array(select a.attname::text from unnest(k.conkey) with ordinality u(attnum, ord)
                 join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum
                 order by u.ord) as colnames,
           array(select i.indkey::text from pg_index i
                 where i.indrelid = k.conrelid and i.indisvalid and i.indpred is null)
             as indexes
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and k.conparentid = 0 and {USER_RELATION}
    order by 2, 1
"""

# Indexes equal in every respect but their name: table, access method, columns, expressions,
# predicate, operator classes, collations and options. Constraint-backed and unique ones first:
# those are the ones to keep.
DUPLICATES = f"""
    select {REL_NAME} as rel,
           array_agg(n.nspname || '.' || ic.relname
                     order by exists (select from pg_constraint k where k.conindid = i.indexrelid)
                              desc, i.indisunique desc, ic.relname) as indexes
    from pg_index i
    join pg_class ic on ic.oid = i.indexrelid
    join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
    where {USER_RELATION}
    group by 1, ic.relam, i.indkey::text, i.indclass::text, i.indcollation::text,
             i.indoption::text, coalesce(pg_get_expr(i.indexprs, i.indrelid), ''),
             coalesce(pg_get_expr(i.indpred, i.indrelid), '')
    having count(*) > 1
    order by 1
"""


def covered(fk_cols: list[int], indexes: list[list[int]]) -> bool:
    """Whether an index leads with exactly the FK's columns, in any order."""
    want = set(fk_cols)
    return any(set(ix[: len(fk_cols)]) == want for ix in indexes if len(ix) >= len(fk_cols))


@check(
    "INT001",
    title="Table without a primary key",
    severity=Severity.MEDIUM,
    family=FAMILY,
    suite=SUITE,
    rationale="Without a primary key rows cannot be addressed one by one (PostgREST updates, "
    "logical replication, deduplication) and duplicates go unnoticed.",
    remedy="Add a primary key (e.g. `id bigint generated always as identity primary key`).",
)
def missing_primary_key(ctx: CheckContext) -> Iterator[Finding]:
    """Flag ordinary and partitioned tables with no primary key."""
    chk = REGISTRY.get("INT001")
    for row in fetch(ctx, TABLES, tenant=""):
        if not row["has_pk"]:
            yield chk.finding(
                row["rel"],
                f"table {row['rel']} has no primary key",
                repro_sql="select conname from pg_constraint where contype = 'p' "
                f"and conrelid = {lit(row['qrel'])}::regclass;",
            )


@check(
    "INT002",
    title="Foreign key without a covering index",
    severity=Severity.MEDIUM,
    family=FAMILY,
    suite=SUITE,
    rationale="Deleting or updating a parent row scans the child table for references unless an "
    "index leads with the foreign-key columns; joins along the key pay the same.",
    remedy="CREATE INDEX ON child (fk columns) (CONCURRENTLY in a migration on a live table).",
)
def unindexed_foreign_key(ctx: CheckContext) -> Iterator[Finding]:
    """Flag foreign keys no valid, non-partial index leads with."""
    chk = REGISTRY.get("INT002")
    for row in fetch(ctx, FOREIGN_KEYS):
        # int2vector as text ("2 1"): arrays of unequal length cannot nest in one SQL array
        indexes = [[int(k) for k in ix.split()] for ix in row["indexes"]]
        if not covered(row["cols"], indexes):
            cols = ", ".join(row["colnames"])
            yield chk.finding(
                f"{row['rel']}.{row['name']}",
                f"foreign key {row['name']} on {row['rel']} ({cols}) has no index leading with "
                "its columns",
                repro_sql=f"select indexrelid::regclass, indkey from pg_index "
                f"where indrelid = {lit(row['qrel'])}::regclass;",
            )


@check(
    "INT003",
    title="Duplicate indexes",
    severity=Severity.LOW,
    family=FAMILY,
    suite=SUITE,
    rationale="Identical indexes double the write cost and the disk use for no read benefit.",
    remedy="DROP INDEX the duplicate (keep the one backing a constraint).",
)
def duplicate_indexes(ctx: CheckContext) -> Iterator[Finding]:
    """Flag every index of a duplicate group but the one to keep."""
    chk = REGISTRY.get("INT003")
    for row in fetch(ctx, DUPLICATES):
        keep, *extra = row["indexes"]
        for idx in extra:
            yield chk.finding(
                idx,
                f"index {idx} duplicates {keep} on {row['rel']}",
                repro_sql=f"select pg_get_indexdef({lit(idx)}::regclass), "
                f"pg_get_indexdef({lit(keep)}::regclass);",
            )


def _tenant_options(ctx: CheckContext) -> tuple[str, set[str], set[str]]:
    opts = ctx.config.options
    column = str(opts.get("tenant_column", DEFAULT_TENANT_COLUMN))
    roots = {str(r) for r in opts.get("tenant_root_tables", DEFAULT_TENANT_ROOTS)}
    shared = {str(r) for r in opts.get("tenant_shared_tables", ())}
    return column, roots, shared


def _fk_carries_tenant(fk: dict[str, Any], tables: dict[int, dict[str, Any]]) -> bool:
    child, parent = tables[fk["child"]]["tenant_attnum"], tables[fk["parent"]]["tenant_attnum"]
    return any(c == child and p == parent for c, p in zip(fk["cols"], fk["refcols"], strict=False))


@check(
    "INT004",
    title="Tenant column missing or ignored by a foreign key",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="Every tenant table carries the tenant column, and a reference between tenant "
    "tables includes it (composite foreign key), so a row can never point into another tenant; "
    "it also keeps the schema distributable by tenant. Skipped when no table has the column.",
    remedy="Add the tenant column, a UNIQUE (tenant, id) on the parent and "
    "FOREIGN KEY (tenant, parent_id) REFERENCES parent (tenant, id) on the child. Options: "
    "tenant_column, tenant_root_tables, tenant_shared_tables (parents that rows of any tenant "
    "may reference, such as user profiles).",
)
def tenant_consistency(ctx: CheckContext) -> Iterator[Finding]:
    """Flag tables lacking the tenant column and FKs between tenant tables without it."""
    chk = REGISTRY.get("INT004")
    column, roots, shared = _tenant_options(ctx)
    tables = {row["oid"]: row for row in fetch(ctx, TABLES, tenant=column)}
    if not any(t["tenant_attnum"] for t in tables.values()):
        return  # the schema is not multi-tenant by this column: nothing to say
    for t in tables.values():
        if t["exposed"] and not t["tenant_attnum"] and not {t["name"], t["rel"]} & roots:
            yield chk.finding(
                t["rel"],
                f"table {t['rel']} has no tenant column {column}",
                repro_sql="select attname from pg_attribute "
                f"where attrelid = {lit(t['qrel'])}::regclass and attname = {lit(column)};",
            )
    for fk in fetch(ctx, FOREIGN_KEYS):
        child, parent = tables.get(fk["child"]), tables.get(fk["parent"])
        if not child or not parent or not child["tenant_attnum"] or not parent["tenant_attnum"]:
            continue
        if {parent["name"], parent["rel"]} & shared:
            continue  # declared as referenced across tenants (e.g. users of several tenants)
        if not _fk_carries_tenant(fk, tables):
            yield chk.finding(
                f"{fk['rel']}.{fk['name']}",
                f"foreign key {fk['name']} from {child['rel']} to {parent['rel']} does not "
                f"include {column}, so a row can reference another tenant's row",
                repro_sql="select pg_get_constraintdef(oid) from pg_constraint "
                f"where conname = {lit(fk['name'])} and conrelid = {lit(fk['qrel'])}::regclass;",
            )
