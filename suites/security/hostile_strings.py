"""SEC104: hostile strings into every exposed function, as a caller allowed to execute it.

Anti-pattern: dynamic SQL built by concatenating arguments. Best practice: call every function
of the exposed schemas that an API role may execute with quotes, semicolons, comments and very
long strings in each text argument, as that role (anon as anon; ``authenticated`` as an active
user of the most powerful app role, so that calls get past the function's own permission checks;
service_role only for functions no client role may execute). Success or an error the function
raised on purpose (22xxx, 23xxx, 42501, P0001, P0002) is clean. A syntax error or an internal
error means the text reached a parser; a statement timeout (57014) means a string hung the
function: both are findings.

Every function is first called with harmless values: when that call fails because our call is
malformed (undefined or ambiguous function, a type the arguments cannot take), the probe broke,
not the function, and the check is an ERROR naming it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from harness.access.matrix import AccessMatrix
from harness.context import CheckContext
from harness.errors import CheckSkipped, ToolFailed
from harness.impersonate import ANON_ROLE, SERVICE_ROLE, USER_ROLE, Actor, impersonate, repro_sql
from harness.registry import REGISTRY, Finding, Severity, check
from suites.security.actors import app_users
from suites.security.floors import Floor, below_floor
from suites.security.rls_matrix import load_access

SUITE, FAMILY = "security", "security"
STATEMENT_TIMEOUT = "2s"  # far above any API call of a healthy schema; a hostile string hung it
HOSTILE = (
    "'",
    "''",
    "';--",
    "'); drop table public.profiles; --",
    "\\'",
    '"',
    "a'b\"c",
    "1; select pg_sleep(0)",
    "/*",
    "*/ select 1 /*",
    "--",
    "$$",
    "$q$ x $q$",
    "%s %I %L",
    "x" * 10_000,
    "ünïcödé ✓ 日本 🚀",
    "\u202e\u200b",
    " or 1=1 --",
    "%",
    "\\x00",
)
HARMLESS = "x"
CLEAN = ("22", "23", "42501", "P0001", "P0002")
TIMEOUT = "57014"
# Our call, not the function, is wrong: undefined or ambiguous function, argument types.
PROBE_BROKEN = frozenset({"42883", "42725", "42804", "42846", "42P18"})
TEXT_TYPES = ("text", "character varying", "citext", "name", "character")
FLOORS = (
    Floor("min_fuzzed_share", 1.0, "the share of exposed functions with a text argument fuzzed "
          "as a role allowed to execute them", share=True),
)


@dataclass(frozen=True)
class Target:
    """An exposed function with at least one text argument, and the API roles that may call it."""

    schema: str
    name: str
    types: tuple[str, ...]
    roles: tuple[str, ...]  # API roles with EXECUTE on it and USAGE on its schema
    variadic: bool = False  # the last argument is VARIADIC: passed as an array

    @property
    def label(self) -> str:
        """Return ``schema.name(types)``."""
        return f"{self.schema}.{self.name}({', '.join(self.types)})"


def _is_text(pgtype: str) -> bool:
    return pgtype.split("(")[0] in TEXT_TYPES


def fuzz_targets(conn: psycopg.Connection[Any], schemas: tuple[str, ...]) -> list[Target]:
    """Every function of ``schemas`` with a text argument, with the API roles that may run it."""
    rows = conn.execute(
        """select n.nspname, p.proname,
                  array(select format_type(t, null) from unnest(p.proargtypes::oid[]) t),
                  array(select r from unnest(%s::text[]) r
                        where exists (select 1 from pg_roles where rolname = r)
                          and has_function_privilege(r, p.oid, 'execute')
                          and has_schema_privilege(r, n.oid, 'usage')),
                  p.provariadic <> 0
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = any(%s) and p.prokind = 'f'
             and p.prorettype not in ('trigger'::regtype, 'event_trigger'::regtype)
             and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
           order by 1, 2, 3""",
        ([ANON_ROLE, USER_ROLE, SERVICE_ROLE], list(schemas)),
    ).fetchall()
    return [
        Target(s, f, tuple(t), tuple(r), v)
        for s, f, t, r, v in rows
        if any(_is_text(x) for x in t)
    ]


def fuzz_roles(target: Target) -> list[str]:
    """Choose the roles to call ``target`` as: every client role allowed, else service_role."""
    client = [r for r in (ANON_ROLE, USER_ROLE) if r in target.roles]
    return client or ([SERVICE_ROLE] if SERVICE_ROLE in target.roles else [])


def role_actors(conn: psycopg.Connection[Any], m: AccessMatrix) -> dict[str, Actor]:
    """Map each API role to an actor (``authenticated``: an active user of the top role)."""
    active = [u for u in app_users(conn, m) if u["active"]]
    rank = {r: i for i, r in enumerate(m.roles)}
    active.sort(key=lambda u: rank.get(u["role"], len(rank)))
    out = {ANON_ROLE: Actor.anon(), SERVICE_ROLE: Actor.service_role()}
    if active:
        out[USER_ROLE] = Actor.user(active[0]["id"])
    return out


def call_sql(conn: psycopg.Connection[Any], t: Target, arg: int | None, value: str) -> str:
    """Render ``select fn(...)`` with ``value`` in argument ``arg``, harmless values elsewhere."""
    args = [
        sql.SQL("{}::{}").format(sql.Literal(value if j == arg else HARMLESS), sql.SQL(ty))
        if _is_text(ty)
        else sql.SQL(f"NULL::{ty}")
        for j, ty in enumerate(t.types)
    ]
    if t.variadic:
        args[-1] = sql.SQL("VARIADIC {}").format(args[-1])
    return (
        sql.SQL("select {}.{}({})")
        .format(sql.Identifier(t.schema), sql.Identifier(t.name), sql.SQL(", ").join(args))
        .as_string(conn)
    )


def call(conn: psycopg.Connection[Any], actor: Actor, stmt: str) -> tuple[str | None, str]:
    """Run ``stmt`` as ``actor`` (rolled back); return the SQLSTATE (None: success), message."""
    try:
        with impersonate(conn, actor) as cur:
            cur.execute(f"set local statement_timeout = '{STATEMENT_TIMEOUT}'")
            cur.execute(stmt.encode())
    except psycopg.Error as exc:
        return exc.sqlstate or "?????", (exc.diag.message_primary or str(exc)).strip()
    return None, ""


def is_clean(state: str | None) -> bool:
    """Tell whether an outcome is success or an error the function raised on purpose."""
    return state is None or any(state.startswith(c) for c in CLEAN)


@check(
    "SEC104",
    title="Exposed functions survive hostile strings",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    needs=("access",),
    rationale="A function that builds SQL by concatenating an argument is an injection point; "
    "a syntax error (42601) or an internal error (XX000) on a quote or comment in an argument "
    "is the tell-tale sign. A string that makes a function run into the statement timeout "
    "(57014) is a denial of service through the API.",
    remedy="Use format() with %I/%L or EXECUTE ... USING for dynamic SQL; validate arguments "
    "and raise a clean error (22023, P0001) for bad input; bound loops and pattern matches by "
    "the input's length.",
)
def hostile_strings(ctx: CheckContext) -> Iterator[Finding]:
    """Fuzz every text argument of every exposed function, as a role that may execute it."""
    m = load_access(ctx)
    chk = REGISTRY.get("SEC104")
    per_role: Counter[str] = Counter()
    broken: list[str] = []
    calls = timeouts = 0
    with ctx.connect() as conn:
        targets = fuzz_targets(conn, ctx.config.exposed_schemas)
        exposed = [t for t in targets if t.roles]
        if not exposed:
            raise CheckSkipped(
                "no function of the exposed schemas takes a text argument an API role can pass"
            )
        actors = role_actors(conn, m)
        fuzzed = 0
        for t in exposed:
            roles = [r for r in fuzz_roles(t) if r in actors]
            done = 0
            for role in roles:
                actor = actors[role]
                state, msg = call(conn, actor, call_sql(conn, t, None, HARMLESS))
                calls += 1
                if state in PROBE_BROKEN:
                    broken.append(f"{t.label} as {role}: {state} {msg}")
                    continue
                per_role[role] += 1
                done += 1
                finding = None
                for i, ty in enumerate(t.types):
                    if not _is_text(ty) or finding:
                        continue
                    for bad in HOSTILE:
                        stmt = call_sql(conn, t, i, bad)
                        state, msg = call(conn, actor, stmt)
                        calls += 1
                        timeouts += state == TIMEOUT
                        if is_clean(state):
                            continue
                        what = (
                            f"hung until the statement timeout ({STATEMENT_TIMEOUT})"
                            if state == TIMEOUT
                            else f"error {state} ({msg})"
                        )
                        finding = chk.finding(
                            f"{t.schema}.{t.name}",
                            f"{t.label} as {role}, argument {i + 1} = {bad[:40]!r}: {what}; "
                            f"expected success or a clean error ({', '.join(CLEAN)})",
                            repro_sql=repro_sql(actor, stmt if len(stmt) < 2000 else stmt[:2000]),
                            details={"sqlstate": state, "argument": i + 1, "role": role},
                        )
                        break
                if finding:
                    yield finding
            fuzzed += done > 0
    fuzzed_share = fuzzed / len(exposed)
    unfuzzed = [t.label for t in exposed if not [r for r in fuzz_roles(t) if r in actors]]
    ctx.stats.update(
        functions=len(exposed),
        functions_not_executable=len(targets) - len(exposed),
        functions_fuzzed=fuzzed,
        fuzzed_per_role=dict(sorted(per_role.items())),
        calls=calls,
        timeouts=timeouts,
    )
    ctx.progress(
        f"SEC104: {fuzzed} of {len(exposed)} functions fuzzed ("
        + ", ".join(f"{r} {n}" for r, n in sorted(per_role.items()))
        + f"), {calls} calls"
    )
    yield from below_floor(
        ctx, "SEC104", FLOORS, {"min_fuzzed_share": fuzzed_share},
        {"min_fuzzed_share": "no caller for " + ", ".join(unfuzzed) if unfuzzed else ""},
    )
    if broken:
        raise ToolFailed(
            f"SEC104: {len(broken)} call(s) with harmless values failed, so those functions "
            "could not be fuzzed: " + "; ".join(broken),
            hint="the probe builds each call from the catalog's argument types; report the "
            "function's signature",
        )
