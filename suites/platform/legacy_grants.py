"""PLT002: a table the API reaches only through the platform's 2025 default grants.

Under the older grant model every table created in ``public`` was granted to the API roles by
default, so migrations written then often GRANT nothing. The database they built keeps working,
but the same migrations replayed on a project created since 30 May 2026 (a new environment, a
preview branch, a restore into a new project) build tables granted to nobody: each policy is
dead and the Data API answers 42501. The migration text, not the catalog, tells the two apart:
the catalog holds the same ACL whether a GRANT or the default privileges wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pglast
from pglast import ast, enums

from harness.context import CheckContext
from harness.errors import CheckSkipped
from harness.migrate import split_statements
from harness.platform import profile
from harness.registry import REGISTRY, Finding, Severity, check
from harness.schema_dir import SqlFile
from suites.security.scope import REL_NAME, USER_RELATION, fetch, lit

SUITE, FAMILY = "platform", "platform"
DEFAULT_SCHEMA = "public"  # where an unqualified name in a migration lands on Supabase

# Tables in the exposed schemas a client role may use now, with policies naming a client role.
POLICED_TABLES = f"""
    select n.nspname as schema, c.relname as table, {REL_NAME} as rel
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and not c.relispartition and {USER_RELATION}
      and n.nspname = any(%(exposed)s) and c.relrowsecurity
      and exists (select from pg_policy p where p.polrelid = c.oid
                  and (0 = any(p.polroles) or exists (
                       select from unnest(p.polroles) r(oid)
                       where pg_get_userbyid(r.oid) = any(%(client_roles)s))))
      and exists (select from unnest(%(client_roles)s::text[]) r(name)
                  where has_schema_privilege(r.name, n.oid, 'USAGE')
                    and has_table_privilege(r.name, c.oid, 'SELECT,INSERT,UPDATE,DELETE'))
    order by 1, 2
"""


@dataclass
class ExplicitGrants:
    """What the migrations themselves grant the client roles on tables."""

    tables: set[tuple[str, str]] = field(default_factory=set)
    schemas: set[str] = field(default_factory=set)  # ALL TABLES IN SCHEMA, or own defaults

    def covers(self, schema: str, table: str) -> bool:
        """Whether a migration's own statement grants ``schema.table`` to a client role."""
        return (schema, table) in self.tables or schema in self.schemas


def _to_client(stmt: ast.GrantStmt, clients: set[str]) -> bool:
    return bool(stmt.is_grant) and stmt.objtype == enums.ObjectType.OBJECT_TABLE and any(
        g.roletype == enums.RoleSpecType.ROLESPEC_PUBLIC or g.rolename in clients
        for g in stmt.grantees or ()
    )


def explicit_grants(files: Iterable[SqlFile], clients: set[str]) -> ExplicitGrants:
    """Read every GRANT (and ALTER DEFAULT PRIVILEGES) on tables to a client role."""
    out = ExplicitGrants()
    for file in files:
        for piece in split_statements(file.text):
            try:
                parsed = pglast.parse_sql(piece.text)
            except pglast.parser.ParseError:
                continue  # the apply reports it (MIG010); nothing to read here
            for raw in parsed:
                stmt = raw.stmt
                if isinstance(stmt, ast.AlterDefaultPrivilegesStmt):
                    if stmt.action is not None and _to_client(stmt.action, clients):
                        for opt in stmt.options or ():
                            if opt.defname == "schemas":
                                out.schemas.update(s.sval for s in opt.arg or ())
                elif isinstance(stmt, ast.GrantStmt) and _to_client(stmt, clients):
                    objects = stmt.objects or ()
                    if stmt.targtype == enums.GrantTargetType.ACL_TARGET_ALL_IN_SCHEMA:
                        out.schemas.update(s.sval for s in objects)
                    else:
                        out.tables.update((o.schemaname or DEFAULT_SCHEMA, o.relname)
                                          for o in objects)
    return out


@check(
    "PLT002",
    title="Table reachable only through the platform's 2025 default grants",
    severity=Severity.LOW,
    family=FAMILY,
    suite=SUITE,
    rationale="Migrations that GRANT nothing build a working API only on a Supabase project "
    "created before 30 May 2026; replayed on a newer project (a new environment, a preview "
    "branch) every such table is granted to no API role and the Data API answers 42501.",
    remedy="GRANT each table's commands to the API roles in the migration that creates it (or "
    "in a new migration), as the 2026 model requires; run with --platform supabase to see the "
    "result (PLT001 then lists nothing).",
)
def default_grants_only(ctx: CheckContext) -> Iterator[Finding]:
    """Flag policed tables no migration grants to a client role."""
    platform = profile(ctx.config.platform)
    if not platform.default_grants:
        raise CheckSkipped(
            f"platform {platform.name} grants nothing by default: PLT001 shows what a missing "
            "GRANT does there"
        )
    chk = REGISTRY.get("PLT002")
    privileged = set(ctx.config.options.get("privileged_api_roles", ("service_role",)))
    clients = {r for r in ctx.config.api_roles if r not in privileged}
    granted = explicit_grants(ctx.schema.migrations, clients)
    for row in fetch(ctx, POLICED_TABLES):
        if granted.covers(row["schema"], row["table"]):
            continue
        yield chk.finding(
            row["rel"],
            f"no migration grants {row['rel']} to {', '.join(sorted(clients))}: its policies "
            f"work only through the default privileges of platform {platform.name}; on a "
            "project created since 30 May 2026 the Data API answers 42501",
            repro_sql="select defaclnamespace::regnamespace, defaclobjtype, defaclacl from "
            f"pg_default_acl; select relacl from pg_class where oid = {lit(row['rel'])}::regclass;",
            details={"platform": platform.name},
        )
