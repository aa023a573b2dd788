"""Policy lints that predict slow RLS: per-row function calls and stacked permissive policies.

PRF001 Policy calls auth.uid()/auth.jwt()/auth.role()/current_setting() unwrapped.
PRF002 Several permissive policies for one role and command on one table.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from pglast import parser as pg_parser

from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, Severity, check
from suites.security.scope import POLICIES, fetch, policy_object, policy_repro, scope_of

SUITE = FAMILY = "performance"
# Functions that return the same value for every row of a statement; called bare in a policy,
# PostgreSQL evaluates them once per row instead of once per statement (an initplan).
AUTH_FUNCTIONS = frozenset({"uid", "jwt", "role", "email"})
SETTING_FUNCTIONS = frozenset({"current_setting"})
COMMANDS = ("SELECT", "INSERT", "UPDATE", "DELETE")


def _call_name(call: dict[str, Any]) -> str | None:
    parts = [p.get("String", {}).get("sval", "") for p in call.get("funcname", [])]
    if len(parts) == 2 and parts[0] == "auth" and parts[1] in AUTH_FUNCTIONS:
        return f"auth.{parts[1]}()"
    if parts and parts[-1] in SETTING_FUNCTIONS:
        return f"{parts[-1]}()"
    return None


def unwrapped_calls(node: Any) -> list[str]:
    """Per-row-evaluated calls in a parsed expression: those not inside a sub-select."""
    if isinstance(node, list):
        return [c for item in node for c in unwrapped_calls(item)]
    if not isinstance(node, dict):
        return []
    if "SubLink" in node:
        return []  # `( SELECT auth.uid() AS uid)` becomes an initplan: evaluated once
    found = []
    if "FuncCall" in node and (name := _call_name(node["FuncCall"])):
        found.append(name)
    return found + [c for value in node.values() for c in unwrapped_calls(value)]


def expression_calls(expr: str | None) -> list[str]:
    """Unwrapped calls in a policy expression as pg_policies prints it."""
    if not expr:
        return []
    tree = json.loads(pg_parser.parse_sql_json(f"select {expr}"))
    return sorted(set(unwrapped_calls(tree["stmts"])))


@check(
    "PRF001",
    title="Policy calls auth/current_setting functions per row",
    severity=Severity.MEDIUM,
    family=FAMILY,
    suite=SUITE,
    rationale="A bare `auth.uid()` or `current_setting()` in a policy is evaluated for every row "
    "scanned; wrapped as `(select auth.uid())` it is evaluated once per statement.",
    remedy="Write `(select auth.uid())` (likewise auth.jwt(), auth.role(), current_setting(...)) "
    "in USING and WITH CHECK.",
)
def unwrapped_policy_calls(ctx: CheckContext) -> Iterator[Finding]:
    """Flag policies calling per-statement functions outside a sub-select."""
    chk = REGISTRY.get("PRF001")
    for row in fetch(ctx, POLICIES):
        calls = sorted(set(expression_calls(row["qual"]) + expression_calls(row["with_check"])))
        if calls:
            yield chk.finding(
                policy_object(row),
                f"policy {row['policy']} on {row['rel']} calls {', '.join(calls)} once per row; "
                "wrap each in (select ...)",
                repro_sql=policy_repro(row["schema"], row["table"], row["policy"]),
                details={"calls": calls},
            )


@check(
    "PRF002",
    title="Several permissive policies for one role and command",
    severity=Severity.LOW,
    family=FAMILY,
    suite=SUITE,
    rationale="PostgreSQL evaluates every permissive policy that applies (OR-ed) for each row; "
    "two or more for the same role and command multiply the per-row cost.",
    remedy="Merge them into one policy whose USING/WITH CHECK ORs the conditions.",
)
def multiple_permissive_policies(ctx: CheckContext) -> Iterator[Finding]:
    """Flag tables where permissive policies overlap on a role and command."""
    chk = REGISTRY.get("PRF002")
    api_roles = scope_of(ctx).api_roles
    # (table, role, command) -> permissive policies that apply, with ALL and PUBLIC expanded.
    applying: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in fetch(ctx, POLICIES):
        if not row["permissive"]:
            continue
        roles = {r for name in row["roles"] for r in (api_roles if name == "public" else (name,))}
        commands = COMMANDS if row["cmd"] == "ALL" else (row["cmd"],)
        for role in roles:
            for cmd in commands:
                applying[(row["rel"], role, cmd)].append(row)
    # One finding per table and set of overlapping policies, naming every role/command hit.
    grouped: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
    first: dict[str, dict[str, Any]] = {}
    for (rel, role, cmd), rows in sorted(applying.items()):
        if len(rows) > 1:
            grouped[(rel, tuple(sorted(r["policy"] for r in rows)))].append(f"{role} {cmd}")
            first.setdefault(rel, rows[0])
    for (rel, policies), uses in grouped.items():
        row = first[rel]
        yield chk.finding(
            rel,
            f"table {rel} has permissive policies {', '.join(policies)} that all apply to "
            f"{', '.join(uses)}",
            repro_sql=f"select policyname, roles, cmd from pg_policies where schemaname = "
            f"'{row['schema']}' and tablename = '{row['table']}' and permissive = 'PERMISSIVE';",
            details={"policies": list(policies), "applies_to": uses},
        )
