"""PLT001: a policy no API role can use, because the role holds no privilege for its command.

RLS filters what a role may already do; it grants nothing. A policy ``for select to
authenticated`` on a table ``authenticated`` holds no SELECT on is never consulted: the request
fails with 42501 before any row is looked at. On a Supabase project created since 2026 this is
what every table looks like until a migration grants it, so a forgotten GRANT ships a feature
the Data API refuses.
"""

from __future__ import annotations

from collections.abc import Iterator

from harness.context import CheckContext
from harness.platform import profile
from harness.registry import REGISTRY, Finding, Severity, check
from suites.security.scope import POLICIES, fetch, lit, policy_object, policy_repro

SUITE, FAMILY = "platform", "platform"
# The privilege a policy's command needs before RLS consults it (ALL: any of them).
COMMAND_PRIVILEGES = {
    "SELECT": ("SELECT",),
    "INSERT": ("INSERT",),
    "UPDATE": ("UPDATE",),
    "DELETE": ("DELETE",),
    "ALL": ("SELECT", "INSERT", "UPDATE", "DELETE"),
}

# For each policy on a table of an exposed schema: the API roles it applies to (PUBLIC: every
# client role) that may reach the schema, and which of them hold which table privileges.
HOLDERS = """
    select r.name as role,
           has_schema_privilege(r.name, %(schema)s, 'USAGE') as usage,
           array(select p from unnest(%(privs)s::text[]) p
                 where has_table_privilege(r.name, %(qrel)s, p)) as held
    from unnest(%(roles)s::text[]) r(name)
    order by 1
"""


@check(
    "PLT001",
    title="RLS policy no API role can use: the role holds no privilege for its command",
    severity=Severity.INFO,
    family=FAMILY,
    suite=SUITE,
    rationale="Policies filter what a role may already do. Without the table privilege the "
    "Data API answers 42501 and the policy never runs; since 2026 a new Supabase table is "
    "granted to no API role, so the missing GRANT is the migration's to write.",
    remedy="GRANT the command on the table to the role the policy names (only the commands "
    "the policy is meant for), or drop the policy if the table is not meant for the API.",
)
def policy_without_grant(ctx: CheckContext) -> Iterator[Finding]:
    """Flag policies on exposed tables whose roles hold none of the privileges they filter."""
    chk = REGISTRY.get("PLT001")
    exposed = set(ctx.config.exposed_schemas)
    api_roles = list(ctx.config.api_roles)
    privileged = set(ctx.config.options.get("privileged_api_roles", ("service_role",)))
    clients = [r for r in api_roles if r not in privileged]
    model = profile(ctx.config.platform)
    for pol in fetch(ctx, POLICIES):
        if pol["schema"] not in exposed or not pol["rls"]:
            continue
        roles = clients if "public" in pol["roles"] else [
            r for r in pol["roles"] if r in api_roles
        ]
        if not roles:
            continue
        privs = list(COMMAND_PRIVILEGES[pol["cmd"]])
        rows = fetch(ctx, HOLDERS, schema=pol["schema"], qrel=pol["qrel"], roles=roles,
                     privs=privs)
        if any(r["usage"] and r["held"] for r in rows):
            continue
        who = ", ".join(roles)
        lacking = "USAGE on the schema" if not any(r["usage"] for r in rows) else (
            " or ".join(privs) + " on the table"
        )
        yield chk.finding(
            policy_object(pol),
            f"policy {pol['policy']} ({pol['cmd']} to {who}) on {pol['rel']} never applies: "
            f"{who} lack{'s' if len(roles) == 1 else ''} {lacking}, so the Data API answers "
            f"42501 (platform {model.name}: "
            + ("new tables are granted to no API role" if not model.default_grants
               else "the default grants were revoked") + ")",
            repro_sql=policy_repro(pol["schema"], pol["table"], pol["policy"])
            + f" select has_table_privilege({lit(roles[0])}, {lit(pol['qrel'])}, "
            f"{lit(privs[0])});",
            details={"roles": roles, "command": pol["cmd"], "platform": model.name},
        )
