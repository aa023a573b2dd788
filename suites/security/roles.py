"""Role lints: API roles must not own objects, bypass RLS, or reach a role that does.

SEC011 Table owned by an API role without FORCE RLS; API role with BYPASSRLS.
SEC012 Client API role is a member of service_role or of a superuser/BYPASSRLS role.
PRV008 Object owned by an API role.
"""

from __future__ import annotations

from collections.abc import Iterator

from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, Severity, check
from suites.security.scope import (
    FUNC_NAME,
    REL_NAME,
    USER_FUNCTION,
    USER_RELATION,
    fetch,
    lit,
    rel_repro,
)

OWNED_TABLES = f"""
    select {REL_NAME} as rel, format('%%I.%%I', n.nspname, c.relname) as qrel,
           pg_get_userbyid(c.relowner) as owner, c.relrowsecurity as rls,
           c.relforcerowsecurity as force
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and pg_get_userbyid(c.relowner) = any(%(api_roles)s)
      and {USER_RELATION}
    order by 1
"""

API_ROLE_ATTRIBUTES = """
    select rolname, rolsuper, rolbypassrls from pg_roles
    where rolname = any(%(api_roles)s) and (rolsuper or rolbypassrls)
      and not (rolname = any(%(privileged_roles)s) and not rolsuper)
    order by 1
"""

# Memberships (direct or inherited) of the client roles in roles that escape RLS.
ESCALATIONS = """
    select m.name as member, r.rolname as target, r.rolsuper as super, r.rolbypassrls as bypass,
           r.rolname = any(%(privileged_roles)s) as privileged
    from unnest(%(client_roles)s::text[]) m(name)
    join pg_roles r on r.rolname <> m.name
    where (r.rolsuper or r.rolbypassrls or r.rolname = any(%(privileged_roles)s))
      and pg_has_role(m.name, r.oid, 'MEMBER')
    order by 1, 2
"""

OWNED_OBJECTS = f"""
    select 'relation' as kind, {REL_NAME} as obj, pg_get_userbyid(c.relowner) as owner,
           format('select relowner::regrole from pg_class where oid = %%L::regclass;',
                  format('%%I.%%I', n.nspname, c.relname)) as repro
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and not c.relispartition
      and pg_get_userbyid(c.relowner) = any(%(api_roles)s) and {USER_RELATION}
    union all
    select 'function', {FUNC_NAME}, pg_get_userbyid(p.proowner),
           format('select proowner::regrole from pg_proc where oid = %%L::regprocedure;',
                  p.oid::regprocedure::text)
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where pg_get_userbyid(p.proowner) = any(%(api_roles)s) and {USER_FUNCTION}
    union all
    select 'schema', n.nspname, pg_get_userbyid(n.nspowner),
           format('select nspowner::regrole from pg_namespace where nspname = %%L;', n.nspname)
    from pg_namespace n
    where pg_get_userbyid(n.nspowner) = any(%(api_roles)s) and n.nspname <> all(%(system)s)
    order by 2
"""


@check(
    "SEC011",
    title="API role owns a table without FORCE RLS, or has BYPASSRLS",
    severity=Severity.HIGH,
    family="security",
    suite="security",
    rationale="A table's owner bypasses its RLS unless FORCE ROW LEVEL SECURITY is set, and a "
    "BYPASSRLS role ignores every policy; only the backend role (service_role) may do that.",
    remedy="ALTER TABLE ... OWNER TO a non-API role (or FORCE ROW LEVEL SECURITY); "
    "ALTER ROLE ... NOBYPASSRLS NOSUPERUSER.",
)
def api_role_bypasses_rls(ctx: CheckContext) -> Iterator[Finding]:
    """Flag API-role-owned tables without FORCE RLS and API roles bypassing RLS."""
    chk = REGISTRY.get("SEC011")
    for row in fetch(ctx, OWNED_TABLES):
        if not row["force"]:
            yield chk.finding(
                row["rel"],
                f"table {row['rel']} is owned by API role {row['owner']} without FORCE ROW "
                "LEVEL SECURITY, so that role bypasses its policies",
                repro_sql=rel_repro(
                    row["qrel"], "relname, relowner::regrole, relrowsecurity, relforcerowsecurity"
                ),
            )
    for row in fetch(ctx, API_ROLE_ATTRIBUTES):
        what = "SUPERUSER" if row["rolsuper"] else "BYPASSRLS"
        yield chk.finding(
            row["rolname"],
            f"API role {row['rolname']} has {what}, so RLS never applies to it",
            repro_sql=f"select rolname, rolsuper, rolbypassrls from pg_roles "
            f"where rolname = {lit(row['rolname'])};",
        )


@check(
    "SEC012",
    title="Client API role can become a role that escapes RLS",
    severity=Severity.CRITICAL,
    family="security",
    suite="security",
    rationale="anon/authenticated are what every API client runs as; membership in service_role, "
    "a superuser or a BYPASSRLS role lets any client SET ROLE past every policy.",
    remedy="REVOKE <role> FROM anon/authenticated (and from the roles they belong to).",
)
def client_role_escalation(ctx: CheckContext) -> Iterator[Finding]:
    """Flag client roles that are members of a role escaping RLS."""
    chk = REGISTRY.get("SEC012")
    for row in fetch(ctx, ESCALATIONS):
        powers = [
            name
            for name, flag in (
                ("superuser", row["super"]),
                ("BYPASSRLS", row["bypass"]),
                ("privileged API role", row["privileged"]),
            )
            if flag
        ]
        yield chk.finding(
            row["member"],
            f"client role {row['member']} is a member of {row['target']} "
            f"({', '.join(powers)}) and can SET ROLE to it",
            repro_sql=f"select pg_has_role({lit(row['member'])}, {lit(row['target'])}, 'MEMBER');",
        )


@check(
    "PRV008",
    title="Object owned by an API role",
    severity=Severity.MEDIUM,
    family="privileges",
    suite="security",
    rationale="An owner holds every privilege on its object, can change or drop it and bypasses "
    "its RLS; API clients run as these roles, so they must own nothing.",
    remedy="ALTER ... OWNER TO the schema's owner role (e.g. postgres).",
)
def owned_by_api_role(ctx: CheckContext) -> Iterator[Finding]:
    """Flag relations, functions and schemas owned by an API role."""
    chk = REGISTRY.get("PRV008")
    for row in fetch(ctx, OWNED_OBJECTS):
        yield chk.finding(
            row["obj"],
            f"{row['kind']} {row['obj']} is owned by API role {row['owner']}",
            repro_sql=row["repro"],
            details={"kind": row["kind"], "owner": row["owner"]},
        )
