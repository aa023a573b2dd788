"""Attacks that must fail (SEC102) and hostile strings into every exposed function (SEC104).

SEC102 anti-pattern: trusting that nobody will try. Best practice: try the known escalations as
the roles that would: promote yourself or move yourself to another warehouse through
``profiles``, reactivate yourself, have a manager mint an admin, GRANT/REVOKE/SET ROLE/ALTER
TABLE from the API role, rewrite or delete the audit trail and the stock ledger (even as admin,
even as service_role), call the private security-definer helpers as anon. Each attack runs in a
rolled-back transaction; it counts as refused when it raises, or when the state it aimed at is
unchanged (checked in the same transaction as the superuser, via ``RESET ROLE``).

SEC104 anti-pattern: dynamic SQL built by concatenating arguments. Best practice: call every
function in the exposed schemas that ``authenticated`` may execute with quotes, semicolons,
comments and very long strings in each text argument: a clean error (22xxx, 23xxx, 42501,
P0001) or success is fine, a syntax error or an internal error means the text reached a parser.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from harness.access.matrix import AccessMatrix
from harness.context import CheckContext
from harness.errors import CheckSkipped as SkipCheck
from harness.impersonate import Actor, impersonate, repro_sql
from harness.registry import REGISTRY, Finding, Severity, check
from suites.security.rls_matrix import load_access

SUITE, FAMILY = "security", "security"
STATEMENT_TIMEOUT = "2s"  # a hostile string must not hang a function either


@dataclass(frozen=True)
class Attack:
    """One attempt: ``statement`` as ``actor``.

    ``intact`` (run as the superuser in the same transaction) says whether the target is
    unchanged; ``must_raise`` demands an error (e.g. SET ROLE).
    """

    name: str
    actor: Actor
    statement: str
    intact: str = "select true"
    setup: str = ""  # run as the superuser inside the transaction before the attack
    must_raise: bool = False
    as_api_session: bool = False  # SET SESSION AUTHORIZATION to the API role first


def _lit(v: Any) -> str:
    return sql.Literal(str(v)).as_string(None)


def _users(conn: psycopg.Connection[Any], m: AccessMatrix) -> list[dict[str, Any]]:
    a = m.actors
    q = sql.SQL(
        "select {k}::text as id, {r}::text as role, {h}::text as home, {act} as active "
        "from public.{t} order by {k}"
    ).format(
        k=sql.Identifier(a.key),
        r=sql.Identifier(a.role),
        h=sql.Identifier(a.home),
        act=sql.Identifier(a.active),
        t=sql.Identifier(a.table),
    )
    with conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        return list(cur.execute(q).fetchall())


def attacks(conn: psycopg.Connection[Any], m: AccessMatrix) -> list[Attack]:
    """Instantiate the attack catalogue on the data of this database."""
    users = _users(conn, m)
    if not users:
        raise SkipCheck("no profiles to attack with")
    a = m.actors
    prof = f"public.{a.table}"
    homes = sorted({u["home"] for u in users})
    first: dict[str, dict[str, Any]] = {}
    for u in users:
        if u["active"]:
            first.setdefault(u["role"], u)
    out: list[Attack] = []
    top = m.roles[0]  # the matrix lists the most powerful role first
    for role, u in first.items():
        me, act = u["id"], Actor.user(u["id"])
        where = f"{a.key} = {_lit(me)}"
        if role != top:
            out.append(
                Attack(
                    f"{role} promotes itself to {top}",
                    act,
                    f"update {prof} set {a.role} = {_lit(top)} where {where}",
                    f"select {a.role}::text = {_lit(role)} from {prof} where {where}",
                )
            )
        other = next((h for h in homes if h != u["home"]), None)
        if other:
            out.append(
                Attack(
                    f"{role} moves itself to another warehouse",
                    act,
                    f"update {prof} set {a.home} = {_lit(other)} where {where}",
                    f"select {a.home}::text = {_lit(u['home'])} from {prof} where {where}",
                )
            )
    for u in users:
        if not u["active"]:
            where = f"{a.key} = {_lit(u['id'])}"
            out.append(
                Attack(
                    f"inactive {u['role']} reactivates itself",
                    Actor.user(u["id"]),
                    f"update {prof} set {a.active} = true where {where}",
                    f"select not {a.active} from {prof} where {where}",
                )
            )
            break
    mgr = first.get("manager")
    if mgr:
        victim = next(
            (
                u
                for u in users
                if u["home"] == mgr["home"] and u["role"] not in (top, "manager") and u["active"]
            ),
            None,
        )
        if victim:
            where = f"{a.key} = {_lit(victim['id'])}"
            out.append(
                Attack(
                    f"manager promotes a {victim['role']} to {top}",
                    Actor.user(mgr["id"]),
                    f"update {prof} set {a.role} = {_lit(top)} where {where}",
                    f"select {a.role}::text = {_lit(victim['role'])} from {prof} where {where}",
                )
            )
        new_id = "00000000-0000-4000-8000-0000000ad111"
        out.append(
            Attack(
                f"manager creates an {top} profile",
                Actor.user(mgr["id"]),
                f"insert into {prof} ({a.key}, {a.home}, {a.role}) "
                f"values ({_lit(new_id)}, {_lit(mgr['home'])}, {_lit(top)})",
                f"select not exists (select 1 from {prof} where {a.key} = {_lit(new_id)})",
                setup="insert into auth.users (id, email) "
                f"values ({_lit(new_id)}, 'mint@example.invalid')",
            )
        )
    out += _privilege_attacks(first)
    out += _append_only_attacks(conn, m, first)
    return out


def _privilege_attacks(first: dict[str, dict[str, Any]]) -> list[Attack]:
    someone = next(iter(first.values()))
    act = Actor.user(someone["id"])
    policy_count = "select count(*) from pg_policy"
    return [
        Attack(
            "SET ROLE service_role from authenticated",
            act,
            "set local role service_role",
            must_raise=True,
            as_api_session=True,
        ),
        Attack(
            "SET ROLE to the database owner from authenticated",
            act,
            "select set_config('role', (select rolname from pg_roles where oid = 10), true)",
            must_raise=True,
            as_api_session=True,
        ),
        Attack(
            "GRANT service_role to authenticated",
            act,
            "grant service_role to authenticated",
            "select not pg_has_role('authenticated', 'service_role', 'member')",
            as_api_session=True,
        ),
        Attack(
            "GRANT on the audit trail to anon",
            act,
            "grant all on public.system_logs to anon",
            "select not has_table_privilege('anon', 'public.system_logs', 'select')",
            as_api_session=True,
        ),
        Attack(
            "REVOKE RLS-bypassing privileges from service_role",
            act,
            "revoke all on public.profiles from service_role",
            "select has_table_privilege('service_role', 'public.profiles', 'select')",
            as_api_session=True,
        ),
        Attack(
            "disable RLS from authenticated",
            act,
            "alter table public.profiles disable row level security",
            "select relrowsecurity from pg_class where oid = 'public.profiles'::regclass",
            as_api_session=True,
        ),
        Attack(
            "create an always-true policy from authenticated",
            act,
            "create policy dbh_evil on public.profiles for all to authenticated using (true)",
            f"select ({policy_count}) = "
            "(select count(*) from pg_policy where polname <> 'dbh_evil')",
            as_api_session=True,
        ),
    ]


def _append_only_attacks(
    conn: psycopg.Connection[Any], m: AccessMatrix, first: dict[str, dict[str, Any]]
) -> list[Attack]:
    out: list[Attack] = []
    admin = first.get(m.roles[0])
    actors = [Actor.service_role()] + ([Actor.user(admin["id"])] if admin else [])
    for name, t in m.tables.items():
        if not t.append_only:
            continue
        q = f"public.{name}"
        # Fingerprint of the whole table, taken after the setup and kept in a local setting.
        fp = (
            f"(select count(*) || ':' || coalesce(md5(string_agg(x::text, ',' "
            f"order by x::text)), '') from {q} x)"
        )
        setup = ""
        if m.audit and name == m.audit.table:
            setup = "update public.warehouses set name = name;\n"  # makes fresh audit rows
        setup += f"select set_config('dbh.fingerprint', {fp}, true)"
        intact = f"select {fp} = current_setting('dbh.fingerprint')"
        col = m.audit.actor if (m.audit and name == m.audit.table) else t.key
        for act in actors:
            who = (
                "service_role" if act.kind == "service_role" else f"{m.roles[0]} via authenticated"
            )
            out.append(
                Attack(
                    f"{who} rewrites {name}",
                    act,
                    f"update {q} set {col} = {col}",
                    intact,
                    setup=setup,
                )
            )
            out.append(
                Attack(f"{who} deletes {name}", act, f"delete from {q}", intact, setup=setup)
            )
    return out


def _private_helper_attacks(conn: psycopg.Connection[Any]) -> list[Attack]:
    rows = conn.execute(
        """select p.oid::regprocedure::text, p.proname, n.nspname,
                  array(select format_type(t, null) from unnest(p.proargtypes::oid[]) t)
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'private' and p.prosecdef and p.prokind = 'f'
             and p.prorettype <> 'trigger'::regtype
           order by 1"""
    ).fetchall()
    out = []
    for sig, fname, schema, types in rows:
        args = ", ".join(f"NULL::{t}" for t in types)
        stmt = (
            sql.SQL("select {}.{}(" + args + ")")
            .format(sql.Identifier(schema), sql.Identifier(fname))
            .as_string(conn)
        )
        out.append(
            Attack(f"anon calls security definer {sig}", Actor.anon(), stmt, must_raise=True)
        )
    return out


def run_attack(conn: psycopg.Connection[Any], atk: Attack) -> tuple[bool, str]:
    """``(refused, what happened)``."""
    try:
        with impersonate(conn, atk.actor) as cur:
            if atk.setup:
                cur.execute("reset role")
                cur.execute(atk.setup)
                cur.execute("select set_config('role', %s, true)", (atk.actor.db_role,))
            if atk.as_api_session:
                cur.execute(
                    sql.SQL("set local session authorization {}").format(
                        sql.Identifier(atk.actor.db_role)
                    )
                )
            try:
                cur.execute(atk.statement.encode())
            except psycopg.Error as exc:
                return (
                    True,
                    f"refused with {exc.sqlstate}: {(exc.diag.message_primary or '').strip()}",
                )
            if atk.must_raise:
                return False, "succeeded (it must raise)"
            if atk.as_api_session:
                cur.execute("reset session authorization")
            cur.execute("reset role")
            row = cur.execute(atk.intact.encode()).fetchone()
            ok = bool(row and row[0])
            return ok, "no error, target unchanged" if ok else "no error and the target CHANGED"
    except psycopg.Error as exc:
        return True, f"refused with {exc.sqlstate}"


@check(
    "SEC102",
    title="Privilege escalation and tampering attempts fail",
    severity=Severity.CRITICAL,
    family=FAMILY,
    suite=SUITE,
    needs=("access",),
    rationale="The matrix can hold row by row and still leave a door open: a user editing their "
    "own role, a manager minting admins, an API role able to GRANT or SET ROLE, an audit trail "
    "or ledger that the API can rewrite, a security definer helper callable by anon.",
    remedy="Add the missing guard (trigger on profiles, REVOKE, append-only trigger, REVOKE "
    "EXECUTE ... FROM anon) named by the finding and rerun its repro SQL.",
)
def attacks_fail(ctx: CheckContext) -> Iterator[Finding]:
    """Try every attack; a finding per attack that got through."""
    m = load_access(ctx)
    chk = REGISTRY.get("SEC102")
    with ctx.connect() as conn:
        catalogue = attacks(conn, m) + _private_helper_attacks(conn)
        for atk in catalogue:
            refused, what = run_attack(conn, atk)
            if not refused:
                stmt = atk.statement
                if atk.as_api_session:
                    stmt = f"set local session authorization {atk.actor.db_role};\n{stmt}"
                yield chk.finding(
                    atk.name,
                    f"attack succeeded: {atk.name}: {what}",
                    repro_sql=repro_sql(atk.actor, stmt),
                    details={
                        "attack": atk.name,
                        "actor": str(atk.actor),
                        "statement": atk.statement,
                    },
                )
        ctx.progress(f"SEC102: {len(catalogue)} attacks tried")


# ---------------------------------------------------------------- SEC104
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
CLEAN = ("22", "23", "42501", "P0001", "P0002", "57014")
TEXT_TYPES = ("text", "character varying", "citext", "name", "character")


def _fuzz_targets(
    conn: psycopg.Connection[Any], schemas: tuple[str, ...]
) -> list[tuple[str, str, list[str]]]:
    rows = conn.execute(
        """select n.nspname, p.proname,
                  array(select format_type(t, null) from unnest(p.proargtypes::oid[]) t)
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = any(%s) and p.prokind = 'f'
             and p.prorettype not in ('trigger'::regtype, 'event_trigger'::regtype)
             and has_function_privilege('authenticated', p.oid, 'execute')
             and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
           order by 1, 2""",
        (list(schemas),),
    ).fetchall()
    return [(s, f, list(t)) for s, f, t in rows if any(x.split("(")[0] in TEXT_TYPES for x in t)]


def _is_clean(state: str) -> bool:
    return any(state.startswith(c) for c in CLEAN)


@check(
    "SEC104",
    title="Exposed functions survive hostile strings",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    needs=("access",),
    rationale="A function that builds SQL by concatenating an argument is an injection point; "
    "a syntax error (42601) or an internal error (XX000) on a quote or comment in an argument "
    "is the tell-tale sign.",
    remedy="Use format() with %I/%L or EXECUTE ... USING for dynamic SQL; validate arguments "
    "and raise a clean error (22023, P0001) for bad input.",
)
def hostile_strings(ctx: CheckContext) -> Iterator[Finding]:
    """Fuzz every text argument of every exposed function callable by authenticated."""
    m = load_access(ctx)
    chk = REGISTRY.get("SEC104")
    with ctx.connect() as conn:
        admins = [u for u in _users(conn, m) if u["active"] and u["role"] == m.roles[0]]
        actor = Actor.user(admins[0]["id"]) if admins else Actor.anon()
        targets = _fuzz_targets(conn, ctx.config.exposed_schemas)
        calls = 0
        for schema, fname, types in targets:
            reported = False
            for i, t in enumerate(types):
                if t.split("(")[0] not in TEXT_TYPES or reported:
                    continue
                for bad in HOSTILE:
                    args = [
                        sql.SQL("{}::{}").format(sql.Literal(bad if j == i else "x"), sql.SQL(ty))
                        if ty.split("(")[0] in TEXT_TYPES
                        else sql.SQL(f"NULL::{ty}")
                        for j, ty in enumerate(types)
                    ]
                    stmt = (
                        sql.SQL("select {}.{}({})")
                        .format(
                            sql.Identifier(schema), sql.Identifier(fname), sql.SQL(", ").join(args)
                        )
                        .as_string(conn)
                    )
                    calls += 1
                    state = None
                    try:
                        with impersonate(conn, actor) as cur:
                            cur.execute(f"set local statement_timeout = '{STATEMENT_TIMEOUT}'")
                            cur.execute(stmt.encode())
                    except psycopg.Error as exc:
                        state = exc.sqlstate or "?????"
                        msg = (exc.diag.message_primary or "").strip()
                    if state and not _is_clean(state):
                        reported = True
                        yield chk.finding(
                            f"{schema}.{fname}",
                            f"{schema}.{fname}({', '.join(types)}) argument {i + 1} = "
                            f"{bad[:40]!r}: error {state} ({msg}); expected success or a clean "
                            f"error ({', '.join(CLEAN)})",
                            repro_sql=repro_sql(actor, stmt if len(stmt) < 2000 else stmt[:2000]),
                            details={"sqlstate": state, "argument": i + 1},
                        )
                        break
        ctx.progress(f"SEC104: {len(targets)} functions, {calls} calls")
