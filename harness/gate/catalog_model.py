"""The catalog as data: what the weakening rules (MIG410-MIG418) compare between base and head.

Read from the database the migrations produced, not from their text, so a policy dropped in a
DO block, RLS disabled by dynamic SQL or a grant made inside a function the migration calls
look exactly like the plain statements would. Only what decides access and integrity is
kept: tables with their RLS flags and columns, policies, privileges (defaults expanded, so a
function re-created with PUBLIC EXECUTE shows), constraints, indexes, triggers, and functions'
SECURITY DEFINER and settings. Objects of PostgreSQL itself, of the harness's ledger and of
extensions are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg

from harness.gate.partitions import DateLeaves, find_date_leaves

EXCLUDED_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast", "dbharness_meta")
PUBLIC = "PUBLIC"  # the grantee of a privilege granted to every role

_USER_NSP = """
    n.nspname <> all(%(excluded)s) and n.nspname not like 'pg\\_temp\\_%%'
    and n.nspname not like 'pg\\_toast\\_temp\\_%%'
"""


def _not_extension(classid: str, oid: str) -> str:
    return (
        f"not exists (select from pg_depend d where d.classid = '{classid}'::regclass "
        f"and d.objid = {oid} and d.deptype = 'e')"
    )


_TABLES = f"""
    select c.oid, format('%%I.%%I', n.nspname, c.relname), c.relkind::text,
           c.relrowsecurity, c.relforcerowsecurity, coalesce(c.reloptions, '{{}}'),
           pg_get_userbyid(c.relowner)
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where {_USER_NSP} and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
      and {_not_extension('pg_class', 'c.oid')}
"""

_COLUMNS = f"""
    select format('%%I.%%I', n.nspname, c.relname), a.attname, format_type(a.atttypid, a.atttypmod),
           a.attnotnull
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    where {_USER_NSP} and c.relkind in ('r', 'p', 'v', 'm', 'f') and a.attnum > 0
      and not a.attisdropped and {_not_extension('pg_class', 'c.oid')}
"""

_POLICIES = f"""
    select format('%%I.%%I', n.nspname, c.relname), p.polname, p.polpermissive, p.polcmd::text,
           array(select coalesce(r.rolname, 'public') from unnest(p.polroles) u(oid)
                 left join pg_roles r on r.oid = u.oid order by 1),
           pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
    from pg_policy p
    join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
    where {_USER_NSP}
"""

# Privileges with the defaults PostgreSQL applies when an ACL is NULL (acldefault), so an
# object re-created with the default grants shows them. The owner's own rights are left out.
def _acl_items(acl: str, owner: str) -> str:
    return (
        "lateral (select x.grantee, x.privilege_type, x.is_grantable "
        f"from aclexplode({acl}) x where x.grantee <> {owner}) a "
        "left join pg_roles r on r.oid = a.grantee"
    )


_GRANTEE = "coalesce(r.rolname, 'PUBLIC'), a.privilege_type, a.is_grantable"
_REL_ACL = _acl_items(
    "coalesce(c.relacl, acldefault("
    "(case when c.relkind = 'S' then 's' else 'r' end)::\"char\", c.relowner))",
    "c.relowner",
)
_COL_ACL = _acl_items("att.attacl", "c.relowner")
_FUNC_ACL = _acl_items("coalesce(p.proacl, acldefault('f', p.proowner))", "p.proowner")
_NSP_ACL = _acl_items("coalesce(n.nspacl, acldefault('n', n.nspowner))", "n.nspowner")
_DEF_ACL = _acl_items("d.defaclacl", "d.defaclrole")

_PRIVILEGES = f"""
    select 'table', format('%%I.%%I', n.nspname, c.relname), {_GRANTEE}
    from pg_class c join pg_namespace n on n.oid = c.relnamespace, {_REL_ACL}
    where {_USER_NSP} and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
      and {_not_extension('pg_class', 'c.oid')}
    union all
    select 'column', format('%%I.%%I.%%I', n.nspname, c.relname, att.attname), {_GRANTEE}
    from pg_attribute att join pg_class c on c.oid = att.attrelid
         join pg_namespace n on n.oid = c.relnamespace, {_COL_ACL}
    where {_USER_NSP} and att.attacl is not null and not att.attisdropped
      and {_not_extension('pg_class', 'c.oid')}
    union all
    select 'function', format('%%I.%%I(%%s)', n.nspname, p.proname,
                              pg_get_function_identity_arguments(p.oid)), {_GRANTEE}
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace, {_FUNC_ACL}
    where {_USER_NSP} and {_not_extension('pg_proc', 'p.oid')}
    union all
    select 'schema', n.nspname, {_GRANTEE}
    from pg_namespace n, {_NSP_ACL}
    where {_USER_NSP} and {_not_extension('pg_namespace', 'n.oid')}
    union all
    select 'default privileges',
           format('for role %%s in %%s on %%s', pg_get_userbyid(d.defaclrole),
                  coalesce(dn.nspname, 'every schema'),
                  case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences'
                       when 'f' then 'functions' when 'T' then 'types' else 'schemas' end),
           {_GRANTEE}
    from pg_default_acl d left join pg_namespace dn on dn.oid = d.defaclnamespace, {_DEF_ACL}
"""

_CONSTRAINTS = f"""
    select format('%%I.%%I', n.nspname, c.relname), k.conname, k.contype::text,
           pg_get_constraintdef(k.oid), k.convalidated,
           array(select a.attname from unnest(k.conkey) with ordinality u(attnum, ord)
                 join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum
                 order by u.ord),
           case when k.contype = 'f' then format('%%I.%%I', fn.nspname, f.relname) end,
           array(select a.attname from unnest(k.confkey) with ordinality u(attnum, ord)
                 join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.attnum
                 order by u.ord),
           k.confmatchtype::text
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
    left join pg_class f on f.oid = k.confrelid left join pg_namespace fn on fn.oid = f.relnamespace
    where {_USER_NSP} and k.conparentid = 0 and {_not_extension('pg_class', 'c.oid')}
"""

_INDEXES = f"""
    select format('%%I.%%I', n.nspname, c.relname), ic.relname, am.amname, i.indisunique,
           array(select pg_get_indexdef(i.indexrelid, k, true)
                 from generate_series(1, i.indnkeyatts) k order by k),
           pg_get_expr(i.indpred, i.indrelid),
           exists (select from pg_constraint k where k.conindid = i.indexrelid
                   and k.conrelid = i.indrelid),
           array(select a.attname from pg_attribute a
                 where a.attrelid = i.indrelid and a.attnum > 0
                   and (a.attnum = any(i.indkey)
                        or exists (select from pg_depend d
                                   where d.classid = 'pg_class'::regclass
                                     and d.objid = i.indexrelid and d.refobjid = i.indrelid
                                     and d.refobjsubid = a.attnum))
                 order by 1),
           pg_get_indexdef(i.indexrelid)
    from pg_index i
    join pg_class ic on ic.oid = i.indexrelid
    join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
    join pg_am am on am.oid = ic.relam
    where {_USER_NSP} and not ic.relispartition and {_not_extension('pg_class', 'c.oid')}
"""

_TRIGGERS = f"""
    select format('%%I.%%I', n.nspname, c.relname), t.tgname, t.tgenabled::text, t.tgtype,
           format('%%I.%%I', pn.nspname, p.proname), pg_get_triggerdef(t.oid)
    from pg_trigger t
    join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
    join pg_proc p on p.oid = t.tgfoid join pg_namespace pn on pn.oid = p.pronamespace
    where {_USER_NSP} and not t.tgisinternal and t.tgparentid = 0
      and {_not_extension('pg_class', 'c.oid')}
"""

_FUNCTIONS = f"""
    select format('%%I.%%I(%%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)),
           p.prosecdef, coalesce(p.proconfig, '{{}}')
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where {_USER_NSP} and {_not_extension('pg_proc', 'p.oid')}
"""

# trigger type bits (pg_trigger.h): the events a trigger fires on
TRIGGER_EVENTS = {4: "INSERT", 8: "DELETE", 16: "UPDATE", 32: "TRUNCATE"}


@dataclass(frozen=True)
class Table:
    """A relation: kind (``r`` table, ``p`` partitioned, ``v`` view, ...), RLS and options."""

    name: str
    kind: str
    rls: bool
    force_rls: bool
    options: tuple[str, ...]
    owner: str
    columns: dict[str, tuple[str, bool]] = field(default_factory=dict)  # name -> (type, not null)


@dataclass(frozen=True)
class Policy:
    """A row level security policy as PostgreSQL stores it."""

    table: str
    name: str
    permissive: bool
    cmd: str  # r, a, w, d or * (pg_policy.polcmd)
    roles: frozenset[str]  # role names; "public" for every role
    using: str | None
    check: str | None


@dataclass(frozen=True)
class Constraint:
    """A table constraint: kind ``p``/``u``/``f``/``c``/``x``, definition, columns, target."""

    table: str
    name: str
    kind: str
    definition: str
    validated: bool
    columns: tuple[str, ...]
    ref_table: str | None = None
    ref_columns: tuple[str, ...] = ()
    match: str = "s"


@dataclass(frozen=True)
class Index:
    """An index (those backing constraints are judged as their constraint)."""

    table: str
    name: str
    method: str
    unique: bool
    keys: tuple[str, ...]  # each key column or expression, as PostgreSQL prints it
    predicate: str | None
    backs_constraint: bool
    columns: tuple[str, ...]  # every column it reads (keys, expressions, predicate)
    definition: str


@dataclass(frozen=True)
class Trigger:
    """A trigger: enabled state (``D`` disabled), events and the function it runs."""

    table: str
    name: str
    enabled: str
    events: frozenset[str]
    function: str
    definition: str


@dataclass(frozen=True)
class Function:
    """What decides the rights a function runs with."""

    signature: str
    security_definer: bool
    config: tuple[str, ...]

    @property
    def pins_search_path(self) -> bool:
        """Whether the function sets its own search_path (a definer must)."""
        return any(c.startswith("search_path=") for c in self.config)


AclKey = tuple[str, str]  # (kind, object name): ("table", "public.parts")
AclItem = tuple[str, str, bool]  # (grantee, privilege, with grant option)


@dataclass
class CatalogModel:
    """Everything the weakening rules read, by object name."""

    tables: dict[str, Table] = field(default_factory=dict)
    policies: dict[tuple[str, str], Policy] = field(default_factory=dict)
    acl: dict[AclKey, frozenset[AclItem]] = field(default_factory=dict)
    constraints: dict[tuple[str, str], Constraint] = field(default_factory=dict)
    indexes: dict[tuple[str, str], Index] = field(default_factory=dict)
    triggers: dict[tuple[str, str], Trigger] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    date_leaves: dict[str, str] = field(default_factory=dict)  # leaf name -> its table's name


def _events(tgtype: int) -> frozenset[str]:
    return frozenset(name for bit, name in TRIGGER_EVENTS.items() if tgtype & bit)


def read_model(conn: psycopg.Connection[Any]) -> CatalogModel:
    """Read the catalog of the database ``conn`` is connected to."""
    params = {"excluded": list(EXCLUDED_SCHEMAS)}
    m = CatalogModel()

    def rows(sql: str) -> list[tuple[Any, ...]]:
        return conn.execute(sql.encode(), params).fetchall()

    for _oid, name, kind, rls, force, options, owner in rows(_TABLES):
        m.tables[name] = Table(name, kind, rls, force, tuple(options), owner)
    for table, col, typ, notnull in rows(_COLUMNS):
        if table in m.tables:
            m.tables[table].columns[col] = (typ, notnull)
    for table, name, permissive, cmd, roles, using, check in rows(_POLICIES):
        m.policies[(table, name)] = Policy(
            table, name, permissive, cmd, frozenset(roles), using, check
        )
    acl: dict[AclKey, set[AclItem]] = {}
    for kind, obj, grantee, privilege, grantable in rows(_PRIVILEGES):
        acl.setdefault((kind, obj), set()).add((grantee, privilege, grantable))
    m.acl = {k: frozenset(v) for k, v in acl.items()}
    for table, name, kind, definition, validated, cols, ref, refcols, match in rows(_CONSTRAINTS):
        m.constraints[(table, name)] = Constraint(
            table, name, kind, definition, validated, tuple(cols), ref, tuple(refcols), match
        )
    for table, name, method, unique, keys, pred, backs, cols, definition in rows(_INDEXES):
        m.indexes[(table, name)] = Index(
            table, name, method, unique, tuple(keys), pred, backs, tuple(cols), definition
        )
    for table, name, enabled, tgtype, function, definition in rows(_TRIGGERS):
        m.triggers[(table, name)] = Trigger(
            table, name, enabled, _events(tgtype), function, definition
        )
    for signature, secdef, config in rows(_FUNCTIONS):
        m.functions[signature] = Function(signature, secdef, tuple(config))
    leaves: DateLeaves = find_date_leaves(conn)
    m.date_leaves = {
        leaf.name: leaves.roots[leaf.group_root] for leaf in leaves.leaves.values()
    }
    return m


def read_model_of(dsn: str) -> CatalogModel:
    """Read the catalog model of the database at ``dsn``."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        return read_model(conn)
