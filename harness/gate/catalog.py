"""A normalized snapshot of a database's catalog, for comparing two databases built two ways.

Each object is one key (``kind:name``) and a definition string; long definitions (function
bodies, views) are reduced to their md5 so a diff names the object without printing pages.
Ordering-only differences (column order, OIDs, owners) are left out on purpose: they do not
change what the schema does, and replay vs incremental apply legitimately differ in them. So
are the bounded partitions of range-partitioned tables, which exist by date: each kind of them
is described once instead (harness.gate.partitions), so a snapshot does not depend on the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from harness.gate.partitions import Entry, find_date_leaves, kinds_of_partitions

# Schemas that belong to PostgreSQL, or to the harness's own migration ledger.
EXCLUDED_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast", "dbharness_meta")
_NSP_FILTER = (
    "n.nspname not in ({}) and n.nspname not like 'pg_temp_%'"
    " and n.nspname not like 'pg_toast_temp_%'"
)

# Each query yields (name, definition, relid, inherited): ``relid`` is the table an object
# belongs to (None for schema-level objects), ``inherited`` marks what a partition takes from
# its parent (attached indexes, cloned triggers, inherited constraints).
_QUERIES: dict[str, str] = {
    "schema": """
        select n.nspname, coalesce(array_to_string(array(select unnest(n.nspacl)::text
               order by 1), ','), ''), null::oid, false
        from pg_namespace n where {nsp}""",
    "relation": """
        select format('%I.%I', n.nspname, c.relname),
               concat_ws(' ', c.relkind::text, 'rls=' || c.relrowsecurity,
                         'force=' || c.relforcerowsecurity,
                         'persistence=' || c.relpersistence::text, 'options=' || c.reloptions::text,
                         'partition=' || pg_get_partkeydef(c.oid)),
               c.oid, false
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where {nsp} and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')""",
    "bound": """
        select format('%I.%I', n.nspname, c.relname), pg_get_expr(c.relpartbound, c.oid),
               c.oid, true
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where {nsp} and c.relispartition and c.relkind in ('r', 'p', 'f')""",
    "column": """
        select format('%I.%I.%I', n.nspname, c.relname, a.attname),
               concat_ws(' ', format_type(a.atttypid, a.atttypmod),
                         case when a.attnotnull then 'not null' end,
                         'default ' || pg_get_expr(d.adbin, d.adrelid),
                         nullif('identity ' || a.attidentity::text, 'identity '),
                         nullif('generated ' || a.attgenerated::text, 'generated '),
                         'collate ' || nullif(co.collname, 'default'),
                         'acl ' || array_to_string(array(select unnest(a.attacl)::text
                                                         order by 1), ',')),
               c.oid, false
        from pg_attribute a
        join pg_class c on c.oid = a.attrelid
        join pg_namespace n on n.oid = c.relnamespace
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        left join pg_collation co on co.oid = a.attcollation
        where {nsp} and c.relkind in ('r', 'p', 'v', 'm', 'f') and a.attnum > 0
          and not a.attisdropped""",
    "constraint": """
        select format('%I.%I.%I', n.nspname, coalesce(c.relname, t.typname), k.conname),
               pg_get_constraintdef(k.oid)
               || case when k.convalidated then '' else ' (not validated)' end,
               nullif(k.conrelid, 0), k.conparentid <> 0 or not k.conislocal
        from pg_constraint k
        join pg_namespace n on n.oid = k.connamespace
        left join pg_class c on c.oid = k.conrelid
        left join pg_type t on t.oid = k.contypid
        where {nsp}""",
    "index": """
        select format('%I.%I', n.nspname, ic.relname), pg_get_indexdef(i.indexrelid),
               i.indrelid, ic.relispartition
        from pg_index i
        join pg_class ic on ic.oid = i.indexrelid
        join pg_namespace n on n.oid = ic.relnamespace
        where {nsp}""",
    "policy": """
        select format('%I.%I.%I', n.nspname, c.relname, p.polname),
               concat_ws(' ', case when p.polpermissive then 'PERMISSIVE' else 'RESTRICTIVE' end,
                         p.polcmd::text,
                         (select array_agg(coalesce(r.rolname, 'public') order by 1)
                          from unnest(p.polroles) u(oid) left join pg_roles r on r.oid = u.oid
                         )::text,
                         'using ' || pg_get_expr(p.polqual, p.polrelid),
                         'check ' || pg_get_expr(p.polwithcheck, p.polrelid)),
               c.oid, false
        from pg_policy p
        join pg_class c on c.oid = p.polrelid
        join pg_namespace n on n.oid = c.relnamespace
        where {nsp}""",
    "grant": """
        select format('%I.%I', n.nspname, c.relname),
               array_to_string(array(select unnest(c.relacl)::text order by 1), ','),
               c.oid, false
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where {nsp} and c.relacl is not null""",
    "trigger": """
        select format('%I.%I.%I', n.nspname, c.relname, t.tgname),
               pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text,
               c.oid, t.tgparentid <> 0
        from pg_trigger t
        join pg_class c on c.oid = t.tgrelid
        join pg_namespace n on n.oid = c.relnamespace
        where {nsp} and not t.tgisinternal""",
    "function": """
        select format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)),
               concat_ws(' ', 'md5=' || md5(case when p.prokind = 'a' then p.proname
                                               else pg_get_functiondef(p.oid) end),
                         'acl=' || array_to_string(array(select unnest(p.proacl)::text
                                                         order by 1), ',')),
               null::oid, false
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where {nsp} and not exists (select from pg_depend d
                                    where d.objid = p.oid and d.deptype = 'e')""",
    "view": """
        select format('%I.%I', n.nspname, c.relname), 'md5=' || md5(pg_get_viewdef(c.oid)),
               c.oid, false
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where {nsp} and c.relkind in ('v', 'm')""",
    "type": """
        select format('%I.%I', n.nspname, t.typname),
               concat_ws(' ', t.typtype::text,
                         'labels=' || (select string_agg(e.enumlabel, ',' order by e.enumsortorder)
                                       from pg_enum e where e.enumtypid = t.oid),
                         'base=' || case when t.typtype = 'd'
                                         then format_type(t.typbasetype, t.typtypmod) end),
               null::oid, false
        from pg_type t join pg_namespace n on n.oid = t.typnamespace
        where {nsp} and t.typtype in ('e', 'd', 'c', 'r')
          and (t.typrelid = 0
               or (select c.relkind from pg_class c where c.oid = t.typrelid) = 'c')""",
    "extension": """
        select e.extname, n.nspname, null::oid, false from pg_extension e
        join pg_namespace n on n.oid = e.extnamespace""",
    "publication": """
        select p.pubname, concat_ws(' ', 'all=' || p.puballtables,
               (select string_agg(format('%I.%I', pt.schemaname, pt.tablename), ',' order by 1, 1)
                from pg_publication_tables pt where pt.pubname = p.pubname)),
               null::oid, false
        from pg_publication p""",
}


@dataclass(frozen=True)
class Snapshot:
    """``kind:name -> definition`` for every object of the schema."""

    objects: dict[str, str]

    def diff(self, other: Snapshot) -> list[tuple[str, str | None, str | None]]:
        """``(key, mine, theirs)`` for every object missing on one side or defined differently."""
        keys = sorted(set(self.objects) | set(other.objects))
        return [
            (k, self.objects.get(k), other.objects.get(k))
            for k in keys
            if self.objects.get(k) != other.objects.get(k)
        ]


def entries(conn: psycopg.Connection[Any]) -> list[Entry]:
    """Read every object of the database ``conn`` is connected to, as snapshot entries."""
    excl = ", ".join(f"'{s}'" for s in EXCLUDED_SCHEMAS)
    nsp = _NSP_FILTER.format(excl)
    out: list[Entry] = []
    with conn.cursor() as cur:
        for kind, sql in _QUERIES.items():
            cur.execute(sql.format(nsp=nsp).encode())
            for name, definition, relid, inherited in cur.fetchall():
                out.append(Entry(kind, name, str(definition or ""), relid, bool(inherited)))
    return out


def snapshot(conn: psycopg.Connection[Any]) -> Snapshot:
    """Read the catalog of the database ``conn`` is connected to.

    Bounded range partitions are left out and described by their kinds, one
    ``partitions:<table>`` object per range-partitioned table (harness.gate.partitions).
    """
    leaves = find_date_leaves(conn)
    all_entries = entries(conn)
    objects = {
        f"{e.kind}:{e.name}": e.definition for e in all_entries if e.relid not in leaves
    }
    for root, kinds in kinds_of_partitions(leaves, all_entries).items():
        objects[f"partitions:{root}"] = " | ".join("; ".join(k) for k in kinds)
    return Snapshot(objects)


def snapshot_of(dsn: str) -> Snapshot:
    """Snapshot the database at ``dsn``."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        return snapshot(conn)
