"""Lints of relations the API exposes past RLS.

Definer views, views over auth.users, materialized views and foreign tables, and
sensitive-looking columns left readable.

SEC007 View reachable by API roles without security_invoker.
SEC008 View exposing auth.users.
SEC009 Materialized view or foreign table reachable by API roles.
SEC010 Sensitive-looking column in a table without RLS or readable by anon.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, Severity, check
from suites.security.scope import REACHABLE, REL_NAME, USER_RELATION, fetch, lit, rel_repro

SUITE, FAMILY = "security", "security"

INVOKER = """coalesce((select lower(option_value) in ('true', 'on', '1', 'yes')
                       from pg_options_to_table(c.reloptions)
                       where option_name = 'security_invoker'), false)"""

VIEWS = f"""
    select {REL_NAME} as rel, format('%%I.%%I', n.nspname, c.relname) as qrel, c.relkind as kind,
           {INVOKER} as invoker, o.rolname as owner, o.rolsuper or o.rolbypassrls as owner_bypasses,
           {REACHABLE} as reachable,
           exists (select from pg_rewrite rw join pg_depend d
                     on d.classid = 'pg_rewrite'::regclass and d.objid = rw.oid
                   where rw.ev_class = c.oid and d.refclassid = 'pg_class'::regclass
                     and d.refobjid = to_regclass('auth.users')) as uses_auth_users
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    join pg_roles o on o.oid = c.relowner
    where c.relkind in ('v', 'm', 'f') and {USER_RELATION}
    order by 1
"""

KIND_NAMES = {"v": "view", "m": "materialized view", "f": "foreign table"}

# Column-name words that mark secrets or personal identifiers. Matched against the words of the
# column name (split on "_"), so "shipping" never matches "pin".
SENSITIVE_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "ssn",
        "iban",
        "cvv",
        "cvc",
        "pin",
        "salt",
        "otp",
        "passphrase",
        "apikey",
        "taxid",
        "tin",
        "swift",
        "bic",
    }
)
SENSITIVE_PHRASES = (
    "api_key",
    "private_key",
    "secret_key",
    "access_key",
    "tax_id",
    "tax_number",
    "social_security",
    "credit_card",
    "card_number",
    "account_number",
    "routing_number",
    "national_id",
    "passport_number",
    "drivers_license",
    "bank_account",
)


def sensitive(column: str) -> bool:
    """Whether a column name looks like it holds a secret or a personal identifier."""
    name = column.lower()
    words = set(re.split(r"[^a-z0-9]+", name))
    return bool(words & SENSITIVE_WORDS) or any(
        re.search(rf"(^|_){p}($|_)", name) for p in SENSITIVE_PHRASES
    )


@check(
    "SEC007",
    title="View reachable by API roles without security_invoker",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="A view runs with its owner's rights; owned by the table owner, a superuser or a "
    "BYPASSRLS role it returns rows the caller's RLS would hide.",
    remedy="ALTER VIEW ... SET (security_invoker = true) (PostgreSQL 15+), or revoke the API "
    "roles' access to it.",
)
def definer_view(ctx: CheckContext) -> Iterator[Finding]:
    """Flag reachable views that run with their owner's rights."""
    chk = REGISTRY.get("SEC007")
    for row in fetch(ctx, VIEWS):
        if row["kind"] == "v" and row["reachable"] and not row["invoker"]:
            why = (
                f"its owner {row['owner']} is a superuser or BYPASSRLS role, so it bypasses RLS"
                if row["owner_bypasses"]
                else f"it applies the RLS of its owner {row['owner']}, not of the caller"
            )
            yield chk.finding(
                row["rel"],
                f"view {row['rel']} is reachable by the API roles without security_invoker: {why}",
                repro_sql=rel_repro(row["qrel"], "relname, reloptions, relowner::regrole, relacl"),
            )


@check(
    "SEC008",
    title="View exposes auth.users",
    severity=Severity.CRITICAL,
    family=FAMILY,
    suite=SUITE,
    rationale="auth.users holds every user's email, phone and metadata; a view over it in reach "
    "of the API publishes them.",
    remedy="Expose a profiles table with only the needed columns under RLS, or revoke the API "
    "roles' access to the view.",
)
def view_exposes_auth_users(ctx: CheckContext) -> Iterator[Finding]:
    """Flag reachable views and materialized views reading auth.users."""
    chk = REGISTRY.get("SEC008")
    for row in fetch(ctx, VIEWS):
        if row["kind"] in ("v", "m") and row["reachable"] and row["uses_auth_users"]:
            yield chk.finding(
                row["rel"],
                f"{KIND_NAMES[row['kind']]} {row['rel']} reads auth.users and is reachable by "
                "the API roles",
                repro_sql=f"select pg_get_viewdef({lit(row['qrel'])}::regclass);",
            )


@check(
    "SEC009",
    title="Materialized view or foreign table reachable by API roles",
    severity=Severity.MEDIUM,
    family=FAMILY,
    suite=SUITE,
    rationale="RLS does not apply to materialized views and foreign tables: every API client "
    "that can select them sees every row.",
    remedy="Revoke the API roles' privileges on it (serve it through a security_invoker view or "
    "a function that checks the caller), or move it out of the exposed schemas.",
)
def matview_or_foreign_table(ctx: CheckContext) -> Iterator[Finding]:
    """Flag reachable materialized views and foreign tables."""
    chk = REGISTRY.get("SEC009")
    for row in fetch(ctx, VIEWS):
        if row["kind"] in ("m", "f") and row["reachable"]:
            yield chk.finding(
                row["rel"],
                f"{KIND_NAMES[row['kind']]} {row['rel']} is reachable by the API roles and RLS "
                "does not apply to it",
                repro_sql=rel_repro(row["qrel"], "relname, relkind, relacl"),
            )


COLUMNS = f"""
    select {REL_NAME} as rel, format('%%I.%%I', n.nspname, c.relname) as qrel, a.attname as col,
           c.relkind in ('r', 'p') and not c.relrowsecurity and {REACHABLE} as open_table,
           coalesce(has_column_privilege(%(anon)s::name, c.oid, a.attnum, 'SELECT'), false)
             as anon_reads
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where c.relkind in ('r', 'p', 'v', 'm', 'f') and not c.relispartition and {USER_RELATION}
    order by 1, a.attnum
"""


@check(
    "SEC010",
    title="Sensitive-looking column without RLS or readable by anon",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="Columns named like passwords, tokens, secrets, tax ids or bank accounts in a table "
    "without RLS, or selectable by anon, leak to every API client.",
    remedy="Enable RLS on the table, revoke anon's SELECT (or the column's), and store secrets "
    "hashed or encrypted in a schema the API does not expose.",
)
def sensitive_columns(ctx: CheckContext) -> Iterator[Finding]:
    """Flag sensitive-looking columns of open tables or readable by anon."""
    chk = REGISTRY.get("SEC010")
    for row in fetch(ctx, COLUMNS):
        if not sensitive(row["col"]) or not (row["open_table"] or row["anon_reads"]):
            continue
        why = "the table has no RLS" if row["open_table"] else "anon can select it"
        yield chk.finding(
            f"{row['rel']}.{row['col']}",
            f"sensitive-looking column {row['rel']}.{row['col']} is exposed: {why}",
            repro_sql=f"select has_column_privilege('anon', {lit(row['qrel'])}::regclass, "
            f"{lit(row['col'])}, 'SELECT'), relrowsecurity from pg_class "
            f"where oid = {lit(row['qrel'])}::regclass;",
        )
