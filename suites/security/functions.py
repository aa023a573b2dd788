"""Function and extension lints: who may execute definer functions, and where names resolve.

PRV001 Security definer function executable by anon/authenticated in an exposed schema.
PRV002 Function without a fixed search_path.
PRV003 Security definer helper outside the exposed schemas executable by anon.
PRV004 Extension installed in an exposed schema.
"""

from __future__ import annotations

from collections.abc import Iterator

from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, Severity, check
from suites.security.scope import FUNC_NAME, USER_FUNCTION, fetch, func_repro, lit

FAMILY, SUITE = "privileges", "security"

FUNCTIONS = f"""
    select {FUNC_NAME} as fn, p.oid::regprocedure::text as sig, l.lanname as lang,
           p.prosecdef as definer, n.nspname = any(%(exposed)s) as exposed,
           exists (select from unnest(coalesce(p.proconfig, '{{}}')) cfg
                   where cfg like 'search_path=%%') as fixed_path,
           array(select r.name from unnest(%(client_roles)s::text[]) r(name)
                 where has_function_privilege(r.name, p.oid, 'EXECUTE')) as executors,
           coalesce(has_function_privilege(%(anon)s::name, p.oid, 'EXECUTE'), false) as anon_exec,
           p.prorettype in ('trigger'::regtype, 'event_trigger'::regtype) as is_trigger
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    join pg_language l on l.oid = p.prolang
    where p.prokind in ('f', 'p') and {USER_FUNCTION}
    order by 1
"""

EXTENSIONS = """
    select e.extname, n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where n.nspname = 'public' or n.nspname = any(%(exposed)s)
    order by 1
"""


@check(
    "PRV001",
    title="Security definer function executable by API clients in an exposed schema",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="PostgREST publishes every function of an exposed schema as /rpc/<name>; a "
    "security definer one runs with its owner's rights (bypassing RLS) for any anon or "
    "authenticated caller.",
    remedy="Make it SECURITY INVOKER, or move it to a schema the API does not expose and "
    "REVOKE EXECUTE ... FROM PUBLIC, anon, authenticated.",
)
def definer_in_exposed_schema(ctx: CheckContext) -> Iterator[Finding]:
    """Flag definer functions of exposed schemas that client roles may call."""
    chk = REGISTRY.get("PRV001")
    for row in fetch(ctx, FUNCTIONS):
        if row["definer"] and row["exposed"] and row["executors"] and not row["is_trigger"]:
            yield chk.finding(
                row["fn"],
                f"security definer function {row['fn']} is executable by "
                f"{', '.join(row['executors'])} through the API",
                repro_sql=func_repro(row["sig"]),
            )


@check(
    "PRV002",
    title="Function without a fixed search_path",
    severity=Severity.MEDIUM,
    family=FAMILY,
    suite=SUITE,
    rationale="A function that resolves names through the caller's search_path can be made to "
    "call an attacker's object of the same name; for security definer functions that is a "
    "privilege escalation (high severity).",
    remedy="ALTER FUNCTION ... SET search_path = '' and schema-qualify every name in its body.",
)
def mutable_search_path(ctx: CheckContext) -> Iterator[Finding]:
    """Flag SQL and plpgsql functions with no search_path setting."""
    chk = REGISTRY.get("PRV002")
    for row in fetch(ctx, FUNCTIONS):
        if row["lang"] not in ("plpgsql", "sql") or row["fixed_path"]:
            continue
        kind = "security definer function" if row["definer"] else "function"
        yield chk.finding(
            row["fn"],
            f"{kind} {row['fn']} has no fixed search_path",
            repro_sql=func_repro(row["sig"], "proname, prosecdef, proconfig"),
            details={"severity": (Severity.HIGH if row["definer"] else Severity.MEDIUM).value},
        )


@check(
    "PRV003",
    title="Security definer helper executable by anon",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="Definer helpers (e.g. the ones policies call) live outside the exposed schemas, "
    "but anon can still call them directly through any SQL path it has unless EXECUTE is "
    "revoked; new functions are executable by PUBLIC by default.",
    remedy="REVOKE EXECUTE ON FUNCTION ... FROM PUBLIC, anon; GRANT it to authenticated only "
    "when policies of authenticated need it.",
)
def definer_helper_executable_by_anon(ctx: CheckContext) -> Iterator[Finding]:
    """Flag definer functions outside exposed schemas anon may call."""
    chk = REGISTRY.get("PRV003")
    for row in fetch(ctx, FUNCTIONS):
        if row["definer"] and not row["exposed"] and row["anon_exec"] and not row["is_trigger"]:
            yield chk.finding(
                row["fn"],
                f"security definer function {row['fn']} is executable by anon "
                "(directly or through PUBLIC)",
                repro_sql=func_repro(row["sig"]),
            )


@check(
    "PRV004",
    title="Extension installed in an exposed schema",
    severity=Severity.LOW,
    family=FAMILY,
    suite=SUITE,
    rationale="Objects of an extension in public (or another exposed schema) become API "
    "endpoints and clutter the schema the API publishes.",
    remedy="Install extensions in a dedicated schema: CREATE EXTENSION ... SCHEMA extensions "
    "(or ALTER EXTENSION ... SET SCHEMA extensions).",
)
def extension_in_exposed_schema(ctx: CheckContext) -> Iterator[Finding]:
    """Flag extensions installed in public or another exposed schema."""
    chk = REGISTRY.get("PRV004")
    for row in fetch(ctx, EXTENSIONS):
        yield chk.finding(
            row["extname"],
            f"extension {row['extname']} is installed in schema {row['nspname']}",
            repro_sql="select extname, extnamespace::regnamespace from pg_extension "
            f"where extname = {lit(row['extname'])};",
        )
