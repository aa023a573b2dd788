"""What the catalog lints look at, and as whom.

The user's schemas (never PostgreSQL's or
Supabase's own, never objects an extension owns), the API roles and the exposed schemas.

Every lint reads the catalog through :func:`fetch` with the parameters of :class:`Scope`, and
filters objects with the SQL fragments below, so "user object" and "reachable by the API" mean the
same thing in every check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from psycopg.rows import dict_row

if TYPE_CHECKING:
    import psycopg

    from harness.context import CheckContext

# Schemas PostgreSQL, Supabase and the harness own; a project cannot fix what it finds there.
SYSTEM_SCHEMAS = (
    "pg_catalog",
    "information_schema",
    "pg_toast",
    "auth",
    "storage",
    "extensions",
    "dbharness_meta",
    "graphql",
    "graphql_public",
    "realtime",
    "_realtime",
    "supabase_functions",
    "supabase_migrations",
    "vault",
    "pgsodium",
    "pgsodium_masks",
    "pgbouncer",
    "net",
    "cron",
)

# Roles that bypass RLS by design (Supabase's backend key); overridable by option.
DEFAULT_PRIVILEGED_ROLES = ("service_role",)
DEFAULT_ANON_ROLE = "anon"

# `c` is a pg_class row, `n` its pg_namespace row. Parameters come from Scope.params().
USER_RELATION = """
    n.nspname <> all(%(system)s) and left(n.nspname, 3) <> 'pg_'
    and not exists (select from pg_depend d where d.classid = 'pg_class'::regclass
                    and d.objid = c.oid and d.deptype = 'e')
"""

# `p` is a pg_proc row, `n` its pg_namespace row.
USER_FUNCTION = """
    n.nspname <> all(%(system)s) and left(n.nspname, 3) <> 'pg_'
    and not exists (select from pg_depend d where d.classid = 'pg_proc'::regclass
                    and d.objid = p.oid and d.deptype = 'e')
"""

# A relation the client roles (anon, authenticated) can reach: granted to them (directly, through
# PUBLIC or a role they belong to), or living in a schema the API exposes.
REACHABLE = """
    (n.nspname = any(%(exposed)s)
     or exists (select from unnest(%(client_roles)s::text[]) r(name)
                where has_table_privilege(r.name, c.oid, 'SELECT,INSERT,UPDATE,DELETE')))
"""

# Granted to a client role, whatever the schema.
GRANTED_TO_CLIENT = """
    exists (select from unnest(%(client_roles)s::text[]) r(name)
            where has_table_privilege(r.name, c.oid, 'SELECT,INSERT,UPDATE,DELETE'))
"""

# Qualified display names, as findings and suppressions use them.
REL_NAME = "n.nspname || '.' || c.relname"
FUNC_NAME = (
    "n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'"
)


@dataclass(frozen=True)
class Scope:
    """The run's roles and schemas, restricted to roles that exist in the cluster."""

    system: tuple[str, ...]
    exposed: tuple[str, ...]
    api_roles: tuple[str, ...]
    client_roles: tuple[str, ...]  # API roles subject to RLS (anon, authenticated)
    privileged_roles: tuple[str, ...]  # API roles allowed to bypass RLS (service_role)
    anon: str | None

    @classmethod
    def of(cls, ctx: CheckContext, conn: psycopg.Connection[Any]) -> Scope:
        """Build the scope of a run from its config and the roles present on the server."""
        opts = ctx.config.options
        existing = {
            r[0]
            for r in conn.execute(
                "select rolname from pg_roles where rolname = any(%s)", [list(ctx.config.api_roles)]
            )
        }
        api = tuple(r for r in ctx.config.api_roles if r in existing)
        privileged = tuple(opts.get("privileged_api_roles", DEFAULT_PRIVILEGED_ROLES))
        anon = str(opts.get("anon_role", DEFAULT_ANON_ROLE))
        return cls(
            system=SYSTEM_SCHEMAS + tuple(opts.get("system_schemas", ())),
            exposed=tuple(ctx.config.exposed_schemas),
            api_roles=api,
            client_roles=tuple(r for r in api if r not in privileged),
            privileged_roles=tuple(r for r in api if r in privileged),
            anon=anon if anon in api else None,
        )

    def params(self, **extra: object) -> dict[str, object]:
        """Query parameters naming the scope (plus ``extra``), for the SQL fragments above."""
        base: dict[str, object] = {
            "system": list(self.system),
            "exposed": list(self.exposed),
            "api_roles": list(self.api_roles),
            "client_roles": list(self.client_roles),
            "privileged_roles": list(self.privileged_roles),
            "anon": self.anon,
        }
        return base | extra


def fetch(ctx: CheckContext, sql: str, **extra: object) -> list[dict[str, Any]]:
    """Rows of ``sql`` as dicts, with the scope's parameters (and ``extra``) bound."""
    with ctx.connect() as conn:
        scope = Scope.of(ctx, conn)
        with conn.cursor(row_factory=dict_row) as cur:
            cur.execute(sql, scope.params(**extra))
            return cur.fetchall()


def scope_of(ctx: CheckContext) -> Scope:
    """Return the scope alone, for checks that loop over roles in Python."""
    with ctx.connect() as conn:
        return Scope.of(ctx, conn)


def lit(text: str) -> str:
    """``text`` as an SQL string literal, for repro statements."""
    return "'" + text.replace("'", "''") + "'"


def rel_repro(qname: str, columns: str) -> str:
    """Build a statement showing ``columns`` of pg_class for relation ``qname`` (quoted)."""
    return f"select {columns} from pg_class where oid = {lit(qname)}::regclass;"


def func_repro(signature: str, columns: str = "proname, prosecdef, proconfig, proacl") -> str:
    """Build a statement showing ``columns`` of pg_proc for function ``signature``."""
    return f"select {columns} from pg_proc where oid = {lit(signature)}::regprocedure;"


def policy_repro(schema: str, table: str, policy: str) -> str:
    """Build a statement showing one policy as pg_policies prints it."""
    return (
        f"select * from pg_policies where schemaname = {lit(schema)} "
        f"and tablename = {lit(table)} and policyname = {lit(policy)};"
    )


# Platform tables the project writes the policies of: Supabase creates storage.objects and
# storage.buckets with RLS on and no policy, so every policy there is the project's.
PROJECT_POLICED = "(n.nspname = 'storage' and c.relname in ('objects', 'buckets'))"

# Every policy on a user relation or on a platform table the project polices; roles as names with
# PUBLIC spelled "public" (as pg_policies).
POLICIES = f"""
    select n.nspname as schema, c.relname as table, {REL_NAME} as rel,
           format('%%I.%%I', n.nspname, c.relname) as qrel,
           pol.polname as policy, pol.polpermissive as permissive,
           case pol.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE'
                           when 'd' then 'DELETE' else 'ALL' end as cmd,
           array(select case when r.oid = 0 then 'public' else pg_get_userbyid(r.oid)::text end
                 from unnest(pol.polroles) r(oid)) as roles,
           pg_get_expr(pol.polqual, pol.polrelid) as qual,
           pg_get_expr(pol.polwithcheck, pol.polrelid) as with_check,
           c.relrowsecurity as rls
    from pg_policy pol
    join pg_class c on c.oid = pol.polrelid
    join pg_namespace n on n.oid = c.relnamespace
    where ({USER_RELATION}) or {PROJECT_POLICED}
    order by 1, 2, 5
"""


def policy_object(row: dict[str, Any]) -> str:
    """``schema.table.policy``, the object name of a policy finding."""
    return f"{row['rel']}.{row['policy']}"
