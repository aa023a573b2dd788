"""PRV007: the grants snapshot.

Every privilege anon holds, and every dangerous table privilege
(TRUNCATE, REFERENCES, TRIGGER) an API role holds, is a finding; the deliberate ones are listed as
suppressions with a reason, so any new grant shows up in review.

Two things are not the project's findings. A privilege on an object in a schema the role has no
USAGE on cannot be exercised (PostgreSQL refuses the name before the table), so it is left out.
And what the platform's default privileges give every new object (profile ``supabase-2025``:
ALL on public's tables, sequences and functions to the API roles) is the platform's grant model,
not a grant a migration wrote: it is reported once, as an info note with the count of objects
holding it, and only privileges beyond it are findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from harness.context import CheckContext
from harness.platform import Profile, profile
from harness.registry import REGISTRY, Finding, Severity, check
from suites.security.scope import FUNC_NAME, REL_NAME, USER_FUNCTION, USER_RELATION, fetch, lit

TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
SEQUENCE_PRIVILEGES = ("USAGE", "SELECT", "UPDATE")
# RLS does not govern these: TRUNCATE empties the table past every policy, REFERENCES lets a
# role probe keys through foreign keys, TRIGGER lets it run code on every write.
DANGEROUS = ("TRUNCATE", "REFERENCES", "TRIGGER")

# (object, kind, role, privileges held) for every API role; has_*_privilege counts grants to
# PUBLIC and through role membership, which is what the role can actually do.
RELATION_GRANTS = f"""
    select {REL_NAME} as obj, c.relkind = 'S' as is_seq, r.name as role, n.nspname as schema,
           has_schema_privilege(r.name, n.oid, 'USAGE') as usage,
           array(select priv from unnest(case when c.relkind = 'S' then %(seq_privs)s::text[]
                                              else %(table_privs)s::text[] end) priv
                 where case when c.relkind = 'S' then has_sequence_privilege(r.name, c.oid, priv)
                            else has_table_privilege(r.name, c.oid, priv) end) as privs
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    cross join unnest(%(api_roles)s::text[]) r(name)
    where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and not c.relispartition and {USER_RELATION}
    order by 1, 3
"""

FUNCTION_GRANTS = f"""
    select {FUNC_NAME} as fn, p.oid::regprocedure::text as sig, n.nspname as schema
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where p.prokind in ('f', 'p') and n.nspname = any(%(exposed)s)
      and p.prorettype not in ('trigger'::regtype, 'event_trigger'::regtype)
      and has_function_privilege(%(anon)s::name, p.oid, 'EXECUTE')
      and has_schema_privilege(%(anon)s::name, n.oid, 'USAGE') and {USER_FUNCTION}
    order by 1
"""


@check(
    "PRV007",
    title="Grant to anon, or TRUNCATE/REFERENCES/TRIGGER to an API role",
    severity=Severity.MEDIUM,
    family="privileges",
    suite="security",
    rationale="Grants decide what RLS even gets to filter; anything anon (every unauthenticated "
    "client) may touch, and any privilege RLS does not govern, must be a deliberate, reviewed "
    "decision.",
    remedy="REVOKE the privilege, or add a suppression for PRV007 on the object with the reason "
    "it is intended (e.g. a public lookup table).",
)
def grants_snapshot(ctx: CheckContext) -> Iterator[Finding]:
    """Flag anon's privileges and API roles' TRUNCATE/REFERENCES/TRIGGER beyond the platform's."""
    chk = REGISTRY.get("PRV007")
    platform = profile(ctx.config.platform)
    rows = fetch(
        ctx,
        RELATION_GRANTS,
        table_privs=list(TABLE_PRIVILEGES),
        seq_privs=list(SEQUENCE_PRIVILEGES),
    )
    anon = ctx.config.options.get("anon_role", "anon")
    by_default: dict[str, set[str]] = {}  # kind -> objects holding only the platform's grants
    for row in rows:
        privs = row["privs"] if row["role"] == anon else [p for p in row["privs"] if p in DANGEROUS]
        if not privs or not row["usage"]:
            continue
        kind = "sequence" if row["is_seq"] else "relation"
        defaults = platform.default_privileges(
            row["schema"], "sequences" if row["is_seq"] else "tables", row["role"]
        )
        if set(privs) <= set(defaults):
            by_default.setdefault(f"{kind}s", set()).add(row["obj"])
            continue
        yield chk.finding(
            row["obj"],
            f"{row['role']} holds {', '.join(privs)} on {kind} {row['obj']}",
            repro_sql=f"select grantee, privilege_type from information_schema.role_table_grants "
            f"where table_schema || '.' || table_name = {lit(row['obj'])};",
            details={"role": row["role"], "privileges": privs},
        )
    for row in fetch(ctx, FUNCTION_GRANTS):
        if "EXECUTE" in platform.default_privileges(row["schema"], "functions", anon):
            by_default.setdefault("functions", set()).add(row["fn"])
            continue
        yield chk.finding(
            row["fn"],
            f"{anon} may execute function {row['fn']} (directly or through PUBLIC)",
            repro_sql=f"select proacl from pg_proc where oid = {lit(row['sig'])}::regprocedure;",
            details={"role": anon, "privileges": ["EXECUTE"]},
        )
    if by_default:
        yield _platform_note(chk.finding, platform, by_default)


def _platform_note(
    make: Callable[..., Finding], platform: Profile, by_default: dict[str, set[str]]
) -> Finding:
    """One info finding: how many objects hold only the platform's default grants."""
    counts = ", ".join(f"{len(objs)} {kind}" for kind, objs in sorted(by_default.items()))
    return make(
        f"platform:{platform.name}",
        f"{counts} hold only the platform's default grants ({platform.describe_defaults()}); "
        "not reported one by one: RLS decides what the API roles see there (SEC001-SEC005)",
        severity=Severity.INFO,
        repro_sql="select defaclnamespace::regnamespace, defaclobjtype, defaclacl "
        "from pg_default_acl;",
        details={"platform": platform.name,
                 "objects": {k: sorted(v) for k, v in sorted(by_default.items())}},
    )
