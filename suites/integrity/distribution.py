"""Whether the schema stays distributable by its tenant column (Citus' rules, from the catalog).

INT040 Schema not distributable by its tenant column.

Citus spreads a distributed table's rows over nodes by one column and co-locates the tables
distributed by the same column, so that everything one tenant touches sits on one node. It can
do that only if every uniqueness rule and every reference can be checked on one node: the
primary key and every unique key of a distributed table must include the distribution column,
a foreign key between two distributed tables must join their distribution columns, and a table
that is not distributed is replicated to every node as a reference table (which may be
referenced by anyone, but may itself reference no distributed table). This check holds a schema
to those rules with the tenant column as the distribution column, before anyone runs Citus:
every table of the schema either has the tenant column or is named as a reference table in the
config (``options.reference_tables``); docs/citus.md explains the plan for the canonical schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from harness.context import CheckContext
from harness.errors import CheckSkipped, ConfigError
from harness.registry import REGISTRY, Finding, Severity, check
from suites.integrity.catalog import DEFAULT_TENANT_COLUMN
from suites.security.scope import REL_NAME, USER_RELATION, fetch, lit

SUITE = FAMILY = "integrity"

TABLES = f"""
    select c.oid, {REL_NAME} as rel, c.relname as name,
           (select a.attnum from pg_attribute a
            where a.attrelid = c.oid and a.attname = %(tenant)s and not a.attisdropped)
             as tenant_attnum
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and not c.relispartition and c.relpersistence <> 't'
      and {USER_RELATION}
    order by 2
"""

# Primary keys, unique constraints and unique indexes (a unique index enforces the same rule).
UNIQUE_KEYS = f"""
    select {REL_NAME} as rel, i.indrelid as table_oid, ic.relname as name,
           coalesce(k.contype::text, 'i') as kind, i.indkey::int2[]::int[] as cols,
           pg_get_indexdef(i.indexrelid) as definition
    from pg_index i
    join pg_class ic on ic.oid = i.indexrelid
    join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
    left join pg_constraint k on k.conindid = i.indexrelid and k.contype in ('p', 'u')
    where i.indisunique and not c.relispartition and {USER_RELATION}
    order by 1, 3
"""

FOREIGN_KEYS = f"""
    select k.conname as name, {REL_NAME} as rel, k.conrelid as child, k.confrelid as parent,
           k.conkey::int[] as cols, k.confkey::int[] as refcols,
           pg_get_constraintdef(k.oid) as definition
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and k.conparentid = 0 and {USER_RELATION}
    order by 2, 1
"""


def _options(ctx: CheckContext) -> tuple[str, set[str]]:
    opts = ctx.config.options
    refs = opts.get("reference_tables")
    if refs is None:
        raise CheckSkipped("the config names no reference_tables: the schema declares no plan "
                           "for distribution by its tenant column")
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise ConfigError("options.reference_tables must be a list of table names "
                          "(schema.table, or table for public)")
    names = {r if "." in r else f"public.{r}" for r in refs}
    return str(opts.get("tenant_column", DEFAULT_TENANT_COLUMN)), names


@check(
    "INT040",
    title="Schema not distributable by its tenant column",
    severity=Severity.MEDIUM,
    family=FAMILY,
    suite=SUITE,
    rationale="""
Scaling out by tenant (Citus: the tenant column as distribution column, the tenant tables
co-located, the rest reference tables) needs every uniqueness rule and every reference to be
checkable inside one tenant: a primary or unique key without the tenant column, a foreign key
between tenant tables that does not join their tenant columns, a reference table that refers to
a tenant table, or a table that is neither, each makes the schema refuse distribution (Citus
rejects create_distributed_table) or forces cross-node checks on every write. Runs when the
config names the schema's reference tables (options.reference_tables).
""",
    remedy="""
Put the tenant column first in the key: PRIMARY KEY (tenant, id) (keep a plain index on id for
lookups by id), UNIQUE (tenant, ...); reference tenant tables with FOREIGN KEY (tenant, x_id)
REFERENCES x (tenant, id); give a table without the tenant column to options.reference_tables
if every node may hold a copy of it (small, read-mostly), else add the tenant column. See
docs/citus.md.
""",
)
def distributable(ctx: CheckContext) -> Iterator[Finding]:
    """Flag what would keep the schema from being distributed by its tenant column."""
    chk = REGISTRY.get("INT040")
    column, references = _options(ctx)
    tables = {t["oid"]: t for t in fetch(ctx, TABLES, tenant=column)}
    if not any(t["tenant_attnum"] for t in tables.values()):
        raise CheckSkipped(f"no table has the tenant column {column}")
    by_name = {t["rel"]: t for t in tables.values()}
    for name in sorted(references - set(by_name)):
        yield chk.finding(name, f"reference table {name} (options.reference_tables) does not "
                          "exist", details={"kind": "unknown reference table"})

    def tenant(oid: int) -> dict[str, Any] | None:
        t = tables.get(oid)
        return t if t is not None and t["rel"] not in references and t["tenant_attnum"] else None

    for t in tables.values():
        if t["rel"] not in references and not t["tenant_attnum"]:
            yield chk.finding(
                t["rel"],
                f"table {t['rel']} has no tenant column {column} and is not named a reference "
                "table: it could be neither distributed nor replicated",
                repro_sql=f"select attname from pg_attribute where attrelid = "
                f"{lit(t['rel'])}::regclass and attname = {lit(column)};",
                details={"kind": "neither tenant nor reference table"},
            )
    for key in fetch(ctx, UNIQUE_KEYS):
        owner = tenant(key["table_oid"])
        if owner is not None and owner["tenant_attnum"] not in key["cols"]:
            what = {"p": "primary key", "u": "unique constraint", "i": "unique index"}[key["kind"]]
            index = key["rel"].split(".")[0] + "." + key["name"]
            yield chk.finding(
                f"{key['rel']}.{key['name']}",
                f"{what} {key['name']} of tenant table {key['rel']} does not include {column} "
                f"({key['definition']})",
                repro_sql=f"select pg_get_indexdef({lit(index)}::regclass);",
                details={"kind": what},
            )
    for fk in fetch(ctx, FOREIGN_KEYS):
        child, parent = tables.get(fk["child"]), tables.get(fk["parent"])
        if child is None or parent is None:
            continue
        if child["rel"] in references and tenant(fk["parent"]) is not None:
            problem = (f"reference table {child['rel']} refers to tenant table {parent['rel']}: "
                       "a copy on every node cannot point into one node's rows")
        elif tenant(fk["child"]) is not None and tenant(fk["parent"]) is not None and not any(
                c == child["tenant_attnum"] and p == parent["tenant_attnum"]
                for c, p in zip(fk["cols"], fk["refcols"], strict=True)):
            problem = (f"foreign key {fk['name']} from {child['rel']} to {parent['rel']} does not "
                       f"join their {column} columns: the parent row may sit on another node")
        else:
            continue
        yield chk.finding(
            f"{fk['rel']}.{fk['name']}", f"{problem} ({fk['definition']})",
            repro_sql=f"select pg_get_constraintdef(oid) from pg_constraint where conname = "
            f"{lit(fk['name'])} and conrelid = {lit(fk['rel'])}::regclass;",
            details={"kind": "foreign key"},
        )


DISTRIBUTABLE = REGISTRY.get("INT040")
