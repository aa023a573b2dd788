"""Row Level Security lints: is RLS on where the API reaches, and do the policies say something.

SEC001 RLS disabled on a table the API roles reach.
SEC002 Policies exist but RLS is off.
SEC003 RLS on with no policy.
SEC004 Always-true permissive write policy for anon, authenticated or PUBLIC.
SEC005 INSERT policy without a WITH CHECK that constrains the new row.
SEC006 Policy reads user-editable metadata from the JWT.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, Severity, check
from suites.security.scope import (
    GRANTED_TO_CLIENT,
    POLICIES,
    REACHABLE,
    REL_NAME,
    USER_RELATION,
    fetch,
    lit,
    policy_object,
    policy_repro,
    rel_repro,
    scope_of,
)

SUITE, FAMILY = "security", "security"
TABLE_KINDS = "('r', 'p')"
WRITE_COMMANDS = ("INSERT", "UPDATE", "DELETE", "ALL")
# user_metadata (Supabase's JWT claim) and raw_user_meta_data (its auth.users column) are editable
# by the user through the auth API, so a policy must never trust them.
USER_METADATA = re.compile(r"user_metadata|raw_user_meta_data", re.IGNORECASE)

TABLES = f"""
    select {REL_NAME} as rel, format('%%I.%%I', n.nspname, c.relname) as qrel,
           n.nspname as schema, c.relname as table,
           c.relrowsecurity as rls, {GRANTED_TO_CLIENT} as granted,
           -- a partition is read through its parent's policies unless granted on its own
           case when c.relispartition then {GRANTED_TO_CLIENT} else {REACHABLE} end as reachable,
           c.relispartition as partition,
           (select count(*) from pg_policy p where p.polrelid = c.oid) as policies
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in {TABLE_KINDS} and {USER_RELATION}
    order by 1
"""


def is_true(expr: str | None) -> bool:
    """Tell whether a policy expression admits every row: absent, or the constant ``true``."""
    return expr is None or expr.strip().strip("()").strip().lower() == "true"


@check(
    "SEC001",
    title="RLS disabled on a table the API roles can reach",
    severity=Severity.CRITICAL,
    family=FAMILY,
    suite=SUITE,
    rationale="Without RLS every row of a table granted to anon/authenticated (or living in an "
    "exposed schema) is readable and writable by any API client.",
    remedy="ALTER TABLE ... ENABLE ROW LEVEL SECURITY and add policies, or revoke the API roles' "
    "privileges and move the table out of the exposed schemas.",
)
def rls_disabled(ctx: CheckContext) -> Iterator[Finding]:
    """Flag reachable tables with RLS disabled."""
    chk = REGISTRY.get("SEC001")
    for row in fetch(ctx, TABLES):
        if row["reachable"] and not row["rls"]:
            yield chk.finding(
                row["rel"],
                f"table {row['rel']} is reachable by the API roles but RLS is disabled",
                repro_sql=rel_repro(row["qrel"], "relname, relrowsecurity, relacl"),
            )


@check(
    "SEC002",
    title="Policies exist but RLS is disabled",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="Policies on a table without RLS are never applied: the author believed the table "
    "protected and it is not.",
    remedy="ALTER TABLE ... ENABLE ROW LEVEL SECURITY (or drop the dead policies).",
)
def policies_without_rls(ctx: CheckContext) -> Iterator[Finding]:
    """Flag tables that have policies but RLS disabled."""
    chk = REGISTRY.get("SEC002")
    for row in fetch(ctx, TABLES):
        if row["policies"] and not row["rls"]:
            yield chk.finding(
                row["rel"],
                f"table {row['rel']} has {row['policies']} policies but RLS is disabled",
                repro_sql=rel_repro(row["qrel"], "relname, relrowsecurity"),
            )


@check(
    "SEC003",
    title="RLS enabled with no policy",
    severity=Severity.LOW,
    family=FAMILY,
    suite=SUITE,
    rationale="RLS with no policy denies every row to non-owners: harmless when the API roles have "
    "no grant (info), a broken table when they do.",
    remedy="Add the policies the table needs, or revoke the API roles' grants if it is internal.",
)
def rls_without_policy(ctx: CheckContext) -> Iterator[Finding]:
    """Flag tables with RLS enabled and no policy."""
    chk = REGISTRY.get("SEC003")
    for row in fetch(ctx, TABLES):
        granted = bool(row["granted"])
        if row["rls"] and not row["policies"] and (granted or not row["partition"]):
            yield chk.finding(
                row["rel"],
                f"table {row['rel']} has RLS enabled but no policy"
                + (" although the API roles are granted access" if granted else ""),
                repro_sql="select * from pg_policies where schemaname = "
                f"{lit(row['schema'])} and tablename = {lit(row['table'])};",
                details={"severity": (Severity.LOW if granted else Severity.INFO).value},
            )


def _client_policy(row: dict[str, Any], client_roles: tuple[str, ...]) -> bool:
    return bool({"public", *client_roles} & set(row["roles"]))


@check(
    "SEC004",
    title="Always-true permissive write policy for an API client role",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="A permissive INSERT/UPDATE/DELETE/ALL policy whose USING or WITH CHECK is `true` "
    "(or absent) lets anon/authenticated write any row: RLS is on in name only.",
    remedy="Restrict the policy to the rows the caller owns, e.g. "
    "`using ((select auth.uid()) = owner_id)`, and give writes a WITH CHECK.",
)
def always_true_write_policy(ctx: CheckContext) -> Iterator[Finding]:
    """Flag permissive write policies for client roles that admit every row."""
    chk = REGISTRY.get("SEC004")
    clients = scope_of(ctx).client_roles
    for row in fetch(ctx, POLICIES):
        if not row["permissive"] or row["cmd"] not in WRITE_COMMANDS:
            continue
        if not _client_policy(row, clients):
            continue
        # The new-row check of UPDATE/ALL falls back to USING when WITH CHECK is absent.
        effective_check = row["with_check"] if row["with_check"] is not None else row["qual"]
        if row["cmd"] == "INSERT":
            open_parts = ["WITH CHECK"] if is_true(row["with_check"]) else []
        elif row["cmd"] == "DELETE":
            open_parts = ["USING"] if is_true(row["qual"]) else []
        else:
            open_parts = [
                part
                for part, expr in (("USING", row["qual"]), ("WITH CHECK", effective_check))
                if is_true(expr)
            ]
        if open_parts:
            yield chk.finding(
                policy_object(row),
                f"permissive {row['cmd']} policy {row['policy']} for {', '.join(row['roles'])} "
                f"has an always-true {' and '.join(open_parts)}",
                repro_sql=policy_repro(row["schema"], row["table"], row["policy"]),
            )


@check(
    "SEC005",
    title="INSERT policy without a constraining WITH CHECK",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="An INSERT policy only has WITH CHECK; when it is absent or `true` any role it names "
    "may insert rows for any owner or tenant. (An ALL policy without WITH CHECK reuses its USING "
    "and is only flagged when that is empty too.)",
    remedy="Give the policy a WITH CHECK tying the new row to the caller, e.g. "
    "`with check ((select auth.uid()) = owner_id)`.",
)
def insert_without_check(ctx: CheckContext) -> Iterator[Finding]:
    """Flag INSERT (and empty ALL) policies with no constraining WITH CHECK."""
    chk = REGISTRY.get("SEC005")
    for row in fetch(ctx, POLICIES):
        if not row["permissive"]:
            continue
        if row["cmd"] == "INSERT" and is_true(row["with_check"]):
            what = "no WITH CHECK" if row["with_check"] is None else "WITH CHECK (true)"
        elif row["cmd"] == "ALL" and row["with_check"] is None and is_true(row["qual"]):
            what = "neither USING nor WITH CHECK"
        else:
            continue
        yield chk.finding(
            policy_object(row),
            f"{row['cmd']} policy {row['policy']} for {', '.join(row['roles'])} has {what}",
            repro_sql=policy_repro(row["schema"], row["table"], row["policy"]),
        )


@check(
    "SEC006",
    title="Policy trusts user-editable JWT metadata",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="`user_metadata` in the JWT (raw_user_meta_data in auth.users) is written by the "
    "user through the auth API; a policy deciding on it lets users grant themselves access.",
    remedy="Decide on data the user cannot edit: app_metadata, or a profiles/roles table the "
    "user may not update.",
)
def policy_reads_user_metadata(ctx: CheckContext) -> Iterator[Finding]:
    """Flag policies that read user_metadata / raw_user_meta_data."""
    chk = REGISTRY.get("SEC006")
    for row in fetch(ctx, POLICIES):
        parts = [
            part
            for part, expr in (("USING", row["qual"]), ("WITH CHECK", row["with_check"]))
            if expr and USER_METADATA.search(expr)
        ]
        if parts:
            yield chk.finding(
                policy_object(row),
                f"policy {row['policy']} reads user-editable metadata in its {' and '.join(parts)}",
                repro_sql=policy_repro(row["schema"], row["table"], row["policy"]),
            )
