"""SEC111: no API caller writes auth, storage or a private schema through a definer function.

Anti-pattern: a SECURITY DEFINER function that anon or any signed-up user may execute and that
writes ``auth.users`` (confirms an email, sets ``raw_app_meta_data``), ``storage.objects`` or a
table of a schema the API does not serve. The function runs as its owner, past every policy
and grant of those tables: whoever can call it writes them with the owner's rights.

Each such function is called, as anon and as a signed-up user (whichever may execute it), with
plausible arguments (the caller's own id, then another user's, for uuid parameters), inside a
transaction that is rolled back, and what it wrote is observed (:mod:`.definer_calls`):

- other users' rows of ``auth`` changed, or the caller's own privilege columns of
  ``auth.users`` (app metadata, role, confirmation): critical;
- other users' rows of ``storage`` changed: high;
- ``auth`` or ``storage`` written in the source while no call changed them: high (static);
- only the caller's own rows of ``auth``/``storage`` ("delete my account"), or a table of
  another non-exposed schema (audit trails, rate limits): info, reported for review, except
  for PostgREST's pre-request hook (config ``api.pre_request``) and the functions it calls,
  which run on every request by design.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from harness.context import CheckContext
from harness.errors import CheckSkipped
from harness.impersonate import Actor
from harness.registry import REGISTRY, Finding, Severity, check
from suites.attacks.common import (
    PLATFORM_SCHEMAS,
    exposed_schemas,
    is_platform_schema,
    require_auth,
    two_users,
)
from suites.attacks.definer_calls import Observed, observe, platform_tables
from suites.attacks.probes import acting
from suites.attacks.repro import scripted_repro

SUITE, FAMILY = "attacks", "security"
CHECK_ID = "SEC111"
SENSITIVE = ("auth", "storage")  # the platform's schemas: a write there is never by design

_FUNCTIONS = """
select p.oid, format('%%I.%%I(%%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes)),
       n.nspname, p.proname, coalesce(p.prosrc, ''),
       coalesce(p.proargnames, '{}'), p.pronargs,
       array(select format_type(t, null) from unnest(p.proargtypes::oid[]) t),
       has_function_privilege('anon', p.oid, 'execute')
         and has_schema_privilege('anon', n.oid, 'usage'),
       has_function_privilege('authenticated', p.oid, 'execute')
         and has_schema_privilege('authenticated', n.oid, 'usage')
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where p.prosecdef and p.prokind = 'f'
  and p.prorettype not in ('trigger'::regtype, 'event_trigger'::regtype)
  and n.nspname <> all(%s) and left(n.nspname, 3) <> 'pg_'
  and not exists (select from pg_depend d where d.classid = 'pg_proc'::regclass
                  and d.objid = p.oid and d.deptype = 'e')
order by 2
"""

_WRITE = re.compile(
    r"\b(insert\s+into|update|delete\s+from|truncate(?:\s+table)?|merge\s+into)\s+(?:only\s+)?"
    r"(\"?[a-z_][a-z0-9_$]*\"?)\s*\.\s*(\"?[a-z_][a-z0-9_$]*\"?)",
    re.IGNORECASE,
)
_VERBS = {"insert": "INSERT", "update": "UPDATE", "delete": "DELETE", "truncate": "TRUNCATE",
          "merge": "MERGE"}


@dataclass
class Definer:
    """A SECURITY DEFINER function an API role may execute."""

    oid: int
    signature: str
    schema: str
    name: str
    source: str
    arg_names: list[str]
    arg_types: list[str]
    anon: bool
    authenticated: bool
    static: list[tuple[str, str]] = field(default_factory=list)  # (verb, schema.table)


def static_writes(source: str, targets: set[str]) -> list[tuple[str, str]]:
    """Return the (verb, schema.table) writes of ``source`` into schemas of ``targets``."""
    out = []
    for verb, schema, table in _WRITE.findall(source):
        s, t = schema.strip('"').lower(), table.strip('"')
        if s in targets:
            item = (_VERBS[verb.split()[0].lower()], f"{s}.{t}")
            if item not in out:
                out.append(item)
    return out


def _value(kind: str, name: str, me: uuid.UUID, other: uuid.UUID, victim: bool) -> str:
    """Return a literal plausible for a parameter of type ``kind`` named ``name``."""
    low = name.lower()
    if kind == "uuid":
        return f"'{other if victim else me}'::uuid"
    if kind in ("text", "character varying", "citext"):
        if "email" in low:
            return "'dbh-probe@example.com'"
        if "role" in low:
            return "'admin'"
        return "'dbh-probe'"
    if kind in ("integer", "bigint", "smallint", "numeric", "real", "double precision"):
        return f"1::{kind}"
    if kind == "boolean":
        return "true"
    if kind in ("json", "jsonb"):
        return f"'{{\"role\": \"admin\"}}'::{kind}"
    if kind.startswith("timestamp") or kind == "date":
        return f"'2026-01-01'::{kind}"
    return f"null::{kind}"


def _call(f: Definer, me: uuid.UUID, other: uuid.UUID, victim: bool) -> str:
    args = ", ".join(
        _value(t, f.arg_names[i] if i < len(f.arg_names) else "", me, other, victim)
        for i, t in enumerate(f.arg_types)
    )
    fn = sql.Identifier(f.schema, f.name).as_string(None)
    return f"select count(*) from (select {fn}({args})) dbh_call"


def _targets(conn: psycopg.Connection[Any], exposed: tuple[str, ...]) -> list[str]:
    rows = conn.execute("select nspname from pg_namespace order by 1").fetchall()
    names = [str(r[0]) for r in rows]
    return [n for n in names
            if n in SENSITIVE or (n not in exposed and not is_platform_schema(n))]


def _called_by(conn: psycopg.Connection[Any], hook: str | None, defs: list[Definer]) -> set[str]:
    """Return the names of ``defs`` the pre-request hook's source calls (its implementation)."""
    if not hook:
        return set()
    row = conn.execute("select string_agg(prosrc, ' ') from pg_proc where oid = any(array("
                       "select oid from pg_proc p where p.proname = split_part(%s, '.', 2)"
                       " and p.pronamespace = to_regnamespace(split_part(%s, '.', 1))))",
                       (hook, hook)).fetchone()
    src = str(row[0] or "") if row else ""
    return {d.name for d in defs if re.search(rf"\b{re.escape(d.name)}\s*\(", src)}


@dataclass
class Verdict:
    """The worst of what a function's calls did, or its source says it does."""

    severity: Severity
    what: str
    caller: Actor
    statement: str
    table: str  # the table to look at after the call


def _judge(d: Definer, calls: list[tuple[Actor, str, Observed]]) -> Verdict | None:
    """Rank what the calls observed (and the source's writes when no call wrote any)."""
    best: Verdict | None = None

    def consider(sev: Severity, what: str, actor: Actor, stmt: str, table: str) -> None:
        nonlocal best
        if best is None or sev.rank > best.severity.rank:
            best = Verdict(sev, what, actor, stmt, table)
        elif sev is best.severity and what not in best.what:
            best.what += f"; {what}"

    for actor, stmt, seen in calls:
        for t in seen.others:
            sev = Severity.CRITICAL if t.startswith("auth.") else Severity.HIGH
            consider(sev, f"changed other users' rows of {t}", actor, stmt, t)
        if seen.own_privileges:
            consider(Severity.CRITICAL, "changed the caller's own auth.users "
                     + ", ".join(seen.own_privileges), actor, stmt, "auth.users")
        for t in seen.own:
            consider(Severity.INFO, f"changed only the caller's own rows of {t}", actor, stmt, t)
        for t, n in sorted(seen.changed.items()):
            if t.split(".")[0] not in SENSITIVE:
                consider(Severity.INFO, f"wrote {t} ({n} row(s))", actor, stmt, t)
    sensitive_seen = any(s.others or s.own for _a, _s, s in calls)
    static = [f"{v} {t}" for v, t in d.static if t.split(".")[0] in SENSITIVE]
    if static and not sensitive_seen and calls:
        actor, stmt, _seen = calls[-1]
        consider(Severity.HIGH, "writes " + ", ".join(static) + " in its source (the probe "
                 "calls changed nothing there)", actor, stmt, static[0].split()[-1])
    return best


@check(
    CHECK_ID,
    title="No SECURITY DEFINER function lets an API caller write auth, storage or private tables",
    severity=Severity.CRITICAL,
    family=FAMILY,
    suite=SUITE,
    rationale="A SECURITY DEFINER function runs as its owner: when anon or any signed-up user "
    "may execute it, its writes into auth.users, storage.objects or a schema the API does not "
    "serve are theirs to make, past every policy and grant of those tables.",
    remedy="REVOKE EXECUTE ON FUNCTION ... FROM public, anon, authenticated (grant it to "
    "service_role or call it from a trigger), or make it SECURITY INVOKER; when it must stay "
    "callable, check auth.uid() against the rows it writes before writing.",
)
def definer_writes(ctx: CheckContext) -> Iterator[Finding]:
    """Call each API-callable definer function and report the protected tables it wrote."""
    chk = REGISTRY.get(CHECK_ID)
    exposed = exposed_schemas(ctx)
    pre_request = ctx.config.api.pre_request
    with ctx.connect() as conn:
        require_auth(conn, CHECK_ID)
    with ctx.fresh_database() as dsn, ctx.connect(dsn) as conn:
        targets = _targets(conn, exposed)
        defs = [Definer(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), list(r[5]),
                        list(r[7]), bool(r[8]), bool(r[9]))
                for r in conn.execute(_FUNCTIONS, (sorted(PLATFORM_SCHEMAS),)).fetchall()]
        defs = [d for d in defs if d.anon or d.authenticated]
        if not defs:
            raise CheckSkipped(f"{CHECK_ID}: no SECURITY DEFINER function is executable by anon "
                               "or authenticated")
        people = two_users(conn, ("definer-caller", "definer-victim"))
        if len(people.users) == 2:
            me, other = (u.user_id for u in people.users)
            user = people.users[0].actor
        else:  # the schema refuses sign-ups: callers with ids nobody holds
            me, other = uuid.uuid5(uuid.NAMESPACE_URL, "dbh:me"), uuid.uuid5(
                uuid.NAMESPACE_URL, "dbh:other")
            user = Actor.user(me, "definer-caller@example.com")
        hook_calls = _called_by(conn, pre_request, defs)
        platform = platform_tables(conn, SENSITIVE)
        calls = failed = 0
        exempt: list[str] = []
        errors: dict[str, str] = {}
        for d in defs:
            d.static = static_writes(d.source, set(targets))
            callers = ([Actor.anon()] if d.anon else []) + ([user] if d.authenticated else [])
            done: list[tuple[Actor, str, Observed]] = []
            for actor in callers:
                for victim in (False, True) if "uuid" in d.arg_types else (False,):
                    stmt = _call(d, me, other, victim)
                    with acting(conn, actor) as cur:
                        seen = observe(cur, actor, stmt, targets, platform)
                    calls += 1
                    if seen.error is not None:
                        failed += 1
                        errors[d.signature] = seen.error
                    else:
                        done.append((actor, stmt, seen))
            if not done:  # every call refused: the source is all there is to judge
                done = [(callers[0], _call(d, me, other, True), Observed())]
            verdict = _judge(d, done)
            if verdict is None:
                continue
            hook = d.signature.startswith(f"{pre_request}(") or d.name in hook_calls
            if hook and verdict.severity is Severity.INFO:
                exempt.append(d.signature)
                continue  # PostgREST calls the pre-request hook on every request, by design
            who = "anon" if verdict.caller.kind == "anon" else "any signed-up user"
            yield chk.finding(
                d.signature,
                f"{who} may call {d.signature}, SECURITY DEFINER, which {verdict.what}"
                + (f" (last refusal: {errors[d.signature]})" if d.signature in errors else ""),
                repro_sql=scripted_repro(
                    conn, people.users if len(people.users) == 2 else [], [], verdict.caller,
                    verdict.statement, "select * from " + ".".join(
                        sql.Identifier(p).as_string(conn) for p in verdict.table.split(".", 1))),
                severity=verdict.severity,
                details={"caller": str(verdict.caller),
                         "changed": {t: n for _a, _s, o in done for t, n in o.changed.items()},
                         "static_writes": [f"{v} {t}" for v, t in d.static]},
            )
    ctx.stats.update(functions=len(defs), calls=calls, calls_refused=failed,
                     target_schemas=targets, call_errors=errors, pre_request_exempt=exempt)
    ctx.progress(f"{CHECK_ID}: {len(defs)} definer functions called {calls} times")
