"""SEC102: privilege escalation, tampering and anonymous reads fail.

Anti-pattern: trusting that nobody will try. Best practice: try the known escalations as the
roles that would: promote yourself or move yourself to another warehouse through the profiles
table, reactivate yourself, have a manager mint an admin, GRANT/REVOKE/SET ROLE/ALTER TABLE from
the API role, rewrite or delete the audit trail and the stock ledger (even as admin, even as
service_role), call the private security-definer helpers as anon, read any table of the matrix
as anon or without claims. Each attack runs in a rolled-back transaction.

An attack is *refused* when the database raises one of the SQLSTATEs named for it (42501 for
privileges; 42501 or P0001 for the guards of rows, plus the matrix's denial codes) or, when it
raised nothing, when the state it aimed at is unchanged (checked in the same transaction as the
superuser, via ``RESET ROLE``) or it read no row. Any other outcome is not a refusal: a setup or
intact-check query that fails, or an attack ending with another SQLSTATE (42601 or 42703 mean our
own SQL is broken), makes the check an ERROR naming the attack, never a pass.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import psycopg
from psycopg import sql

from harness.access.matrix import AccessMatrix
from harness.context import CheckContext
from harness.errors import CheckSkipped, ToolFailed
from harness.impersonate import Actor, impersonate, repro_sql
from harness.registry import REGISTRY, Finding, Severity, check
from suites.security.actors import app_users, first_active_by_role
from suites.security.floors import Floor, below_floor
from suites.security.rls_matrix import load_access

SUITE, FAMILY = "security", "security"
# The server's own "permission denied" (GRANT, SET ROLE, ALTER, CREATE POLICY, EXECUTE, USAGE).
REFUSED_PRIVILEGE = frozenset({"42501"})
# Guards of rows: RLS WITH CHECK and guard triggers with errcode 42501, a plain RAISE (P0001).
REFUSED_ROW = frozenset({"42501", "P0001"})
FLOORS = (Floor("min_attacks", 10, "the number of attacks judged"),)
NEW_PROFILE_ID = "00000000-0000-4000-8000-0000000ad111"


class Verdict(StrEnum):
    """How one attack ended."""

    REFUSED = "refused"
    SUCCEEDED = "succeeded"
    PROBE_FAILED = "probe failed"


@dataclass(frozen=True)
class Attack:
    """One attempt: ``statement`` as ``actor``.

    ``intact`` (run as the superuser in the same transaction) says whether the target is
    unchanged; ``must_raise`` demands an error (e.g. SET ROLE); ``reads`` marks a statement that
    returns how many rows it saw (refused when 0); ``refusals`` are the SQLSTATEs that count as
    refused.
    """

    name: str
    actor: Actor
    statement: str
    intact: str = "select true"
    setup: str = ""  # run as the superuser inside the transaction before the attack
    must_raise: bool = False
    as_api_session: bool = False  # SET SESSION AUTHORIZATION to the API role first
    refusals: frozenset[str] = REFUSED_PRIVILEGE
    reads: bool = False


@dataclass(frozen=True)
class Outcome:
    """The verdict on one attack and what happened, in words."""

    verdict: Verdict
    what: str


def _lit(v: Any) -> str:
    return sql.Literal(str(v)).as_string(None)


def _rel(m: AccessMatrix, table: str) -> str:
    schema = m.tables[table].schema if table in m.tables else "public"
    return sql.Identifier(schema, table).as_string(None)


def attacks(conn: psycopg.Connection[Any], m: AccessMatrix) -> list[Attack]:
    """Instantiate the attack catalogue on the data of this database."""
    users = app_users(conn, m)
    if not users:
        raise CheckSkipped("no profiles to attack with")
    first = first_active_by_role(users)
    row_refusals = REFUSED_ROW | m.denial_sqlstates
    return [
        *_profile_attacks(m, users, first, row_refusals),
        *_privilege_attacks(m, first),
        *_append_only_attacks(m, first, row_refusals),
        *_anonymous_reads(m),
    ]


def _profile_attacks(
    m: AccessMatrix,
    users: list[dict[str, Any]],
    first: dict[str, dict[str, Any]],
    refusals: frozenset[str],
) -> list[Attack]:
    a = m.actors
    prof = _rel(m, a.table)
    homes = sorted({u["home"] for u in users})
    top = m.roles[0]  # the matrix lists the most powerful role first
    out: list[Attack] = []

    def attack(name: str, actor: Actor, stmt: str, intact: str, setup: str = "") -> None:
        out.append(Attack(name, actor, stmt, intact, setup=setup, refusals=refusals))

    for role, u in first.items():
        me, act = u["id"], Actor.user(u["id"])
        where = f"{a.key} = {_lit(me)}"
        if role != top:
            attack(
                f"{role} promotes itself to {top}",
                act,
                f"update {prof} set {a.role} = {_lit(top)} where {where}",
                f"select {a.role}::text = {_lit(role)} from {prof} where {where}",
            )
        other = next((h for h in homes if h != u["home"]), None)
        if other:
            attack(
                f"{role} moves itself to another warehouse",
                act,
                f"update {prof} set {a.home} = {_lit(other)} where {where}",
                f"select {a.home}::text = {_lit(u['home'])} from {prof} where {where}",
            )
    inactive = next((u for u in users if not u["active"]), None)
    if inactive:
        where = f"{a.key} = {_lit(inactive['id'])}"
        attack(
            f"inactive {inactive['role']} reactivates itself",
            Actor.user(inactive["id"]),
            f"update {prof} set {a.active} = true where {where}",
            f"select not {a.active} from {prof} where {where}",
        )
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
            attack(
                f"manager promotes a {victim['role']} to {top}",
                Actor.user(mgr["id"]),
                f"update {prof} set {a.role} = {_lit(top)} where {where}",
                f"select {a.role}::text = {_lit(victim['role'])} from {prof} where {where}",
            )
        attack(
            f"manager creates an {top} profile",
            Actor.user(mgr["id"]),
            f"insert into {prof} ({a.key}, {a.home}, {a.role}) "
            f"values ({_lit(NEW_PROFILE_ID)}, {_lit(mgr['home'])}, {_lit(top)})",
            f"select not exists (select 1 from {prof} where {a.key} = {_lit(NEW_PROFILE_ID)})",
            setup="insert into auth.users (id, email) "
            f"values ({_lit(NEW_PROFILE_ID)}, 'mint@example.invalid')",
        )
    return out


def _privilege_attacks(m: AccessMatrix, first: dict[str, dict[str, Any]]) -> list[Attack]:
    """Try what only the database owner may do from an API role's own session."""
    someone = first.get(m.roles[-1]) or next(iter(first.values()), None)
    if someone is None:
        return []
    act = Actor.user(someone["id"])
    prof = _rel(m, m.actors.table)
    policy_count = "select count(*) from pg_policy"
    out = [
        Attack("SET ROLE service_role from authenticated", act,
               "set local role service_role", must_raise=True, as_api_session=True),
        Attack("SET ROLE to the database owner from authenticated", act,
               "select set_config('role', (select rolname from pg_roles where oid = 10), true)",
               must_raise=True, as_api_session=True),
        Attack("GRANT service_role to authenticated", act, "grant service_role to authenticated",
               "select not pg_has_role('authenticated', 'service_role', 'member')",
               as_api_session=True),
        Attack("REVOKE RLS-bypassing privileges from service_role", act,
               f"revoke all on {prof} from service_role",
               f"select has_table_privilege('service_role', {_lit(prof)}, 'select')",
               as_api_session=True),
        Attack("disable RLS from authenticated", act,
               f"alter table {prof} disable row level security",
               f"select relrowsecurity from pg_class where oid = {_lit(prof)}::regclass",
               as_api_session=True),
        Attack("create an always-true policy from authenticated", act,
               f"create policy dbh_evil on {prof} for all to authenticated using (true)",
               f"select ({policy_count}) = "
               "(select count(*) from pg_policy where polname <> 'dbh_evil')",
               as_api_session=True),
    ]
    if m.audit:
        audit = _rel(m, m.audit.table)
        out.append(
            Attack("GRANT on the audit trail to anon", act, f"grant all on {audit} to anon",
                   f"select not has_table_privilege('anon', {_lit(audit)}, 'select')",
                   as_api_session=True)
        )
    return out


def _append_only_attacks(
    m: AccessMatrix, first: dict[str, dict[str, Any]], refusals: frozenset[str]
) -> list[Attack]:
    out: list[Attack] = []
    admin = first.get(m.roles[0])
    actors = [Actor.service_role()] + ([Actor.user(admin["id"])] if admin else [])
    for name, t in m.tables.items():
        if not t.append_only:
            continue
        q = _rel(m, name)
        # Fingerprint of the whole table, taken after the setup and kept in a local setting.
        fp = (
            f"(select count(*) || ':' || coalesce(md5(string_agg(x::text, ',' "
            f"order by x::text)), '') from {q} x)"
        )
        setup = ""
        if m.audit and name == m.audit.table:
            # Writes one audit row per warehouse, so that there is something to rewrite.
            wh = _rel(m, "warehouses") if "warehouses" in m.tables else None
            setup = f"update {wh} set name = name;\n" if wh else ""
        setup += f"select set_config('dbh.fingerprint', {fp}, true)"
        intact = f"select {fp} = current_setting('dbh.fingerprint')"
        col = m.audit.actor if (m.audit and name == m.audit.table) else t.key
        for act in actors:
            who = (
                "service_role" if act.kind == "service_role" else f"{m.roles[0]} via authenticated"
            )
            out.append(Attack(f"{who} rewrites {name}", act, f"update {q} set {col} = {col}",
                              intact, setup=setup, refusals=refusals))
            out.append(Attack(f"{who} deletes {name}", act, f"delete from {q}", intact,
                              setup=setup, refusals=refusals))
    return out


def _anonymous_reads(m: AccessMatrix) -> list[Attack]:
    """Anon and a caller without claims read every table of the matrix: they must see nothing."""
    out = []
    for name in m.tables:
        for who, act in (("anon", Actor.anon()), ("a caller without claims", Actor.no_claims())):
            out.append(Attack(f"{who} reads {name}", act,
                              f"select count(*) from {_rel(m, name)}", reads=True))
    return out


def private_helper_attacks(conn: psycopg.Connection[Any]) -> list[Attack]:
    """Anon calls each security definer function of schema ``private``: it must be refused."""
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


def _error(exc: psycopg.Error) -> str:
    return f"{exc.sqlstate}: {(exc.diag.message_primary or str(exc)).strip()}"


def run_attack(conn: psycopg.Connection[Any], atk: Attack) -> Outcome:
    """Run one attack in a rolled-back transaction and judge it."""
    refusals = ", ".join(sorted(atk.refusals))
    try:
        with impersonate(conn, atk.actor) as cur:
            if atk.setup:
                try:
                    cur.execute("reset role")
                    cur.execute(atk.setup.encode())
                    cur.execute("select set_config('role', %s, true)", (atk.actor.db_role,))
                except psycopg.Error as exc:
                    return Outcome(Verdict.PROBE_FAILED, f"its setup failed with {_error(exc)}")
            if atk.as_api_session:
                cur.execute(
                    sql.SQL("set local session authorization {}").format(
                        sql.Identifier(atk.actor.db_role)
                    )
                )
            try:
                cur.execute(atk.statement.encode())
            except psycopg.Error as exc:
                if exc.sqlstate in atk.refusals:
                    return Outcome(Verdict.REFUSED, f"refused with {_error(exc)}")
                return Outcome(
                    Verdict.PROBE_FAILED,
                    f"it ended with {_error(exc)}, which is not a refusal ({refusals}); the "
                    "attack's own SQL may be broken for this schema",
                )
            if atk.must_raise:
                return Outcome(Verdict.SUCCEEDED, "succeeded (it must raise)")
            if atk.reads:
                row = cur.fetchone()
                seen = int(row[0]) if row and row[0] is not None else 0
                return (
                    Outcome(Verdict.REFUSED, "read no row")
                    if seen == 0
                    else Outcome(Verdict.SUCCEEDED, f"read {seen} row(s)")
                )
            try:
                if atk.as_api_session:
                    cur.execute("reset session authorization")
                cur.execute("reset role")
                row = cur.execute(atk.intact.encode()).fetchone()
            except psycopg.Error as exc:
                return Outcome(Verdict.PROBE_FAILED, f"its intact check failed with {_error(exc)}")
            if row is None or row[0] is None:
                return Outcome(Verdict.PROBE_FAILED, "its intact check returned no verdict")
            if row[0]:
                return Outcome(Verdict.REFUSED, "no error, target unchanged")
            return Outcome(Verdict.SUCCEEDED, "no error and the target CHANGED")
    except psycopg.Error as exc:  # impersonation or the transaction itself
        return Outcome(Verdict.PROBE_FAILED, f"the transaction failed with {_error(exc)}")


@check(
    "SEC102",
    title="Privilege escalation, tampering and anonymous reads fail",
    severity=Severity.CRITICAL,
    family=FAMILY,
    suite=SUITE,
    needs=("access",),
    rationale="The matrix can hold row by row and still leave a door open: a user editing their "
    "own role, a manager minting admins, an API role able to GRANT or SET ROLE, an audit trail "
    "or ledger that the API can rewrite, a security definer helper callable by anon, a table "
    "anon can read.",
    remedy="Add the missing guard (trigger on profiles, REVOKE, append-only trigger, REVOKE "
    "EXECUTE ... FROM anon, a policy or grant that leaves anon out) named by the finding and "
    "rerun its repro SQL.",
)
def attacks_fail(ctx: CheckContext) -> Iterator[Finding]:
    """Try every attack; a finding per attack that got through, an error for probes that broke."""
    m = load_access(ctx)
    chk = REGISTRY.get("SEC102")
    broken: list[str] = []
    counts: Counter[Verdict] = Counter()
    with ctx.connect() as conn:
        catalogue = attacks(conn, m) + private_helper_attacks(conn)
        for atk in catalogue:
            out = run_attack(conn, atk)
            counts[out.verdict] += 1
            if out.verdict is Verdict.PROBE_FAILED:
                broken.append(f"{atk.name}: {out.what}")
            elif out.verdict is Verdict.SUCCEEDED:
                stmt = atk.statement
                if atk.as_api_session:
                    stmt = f"set local session authorization {atk.actor.db_role};\n{stmt}"
                yield chk.finding(
                    atk.name,
                    f"attack succeeded: {atk.name}: {out.what}",
                    repro_sql=repro_sql(atk.actor, stmt),
                    details={
                        "attack": atk.name,
                        "actor": str(atk.actor),
                        "statement": atk.statement,
                    },
                )
    judged = counts[Verdict.REFUSED] + counts[Verdict.SUCCEEDED]
    ctx.stats.update(
        attacks=len(catalogue),
        refused=counts[Verdict.REFUSED],
        succeeded=counts[Verdict.SUCCEEDED],
        probe_failed=counts[Verdict.PROBE_FAILED],
    )
    ctx.progress(f"SEC102: {len(catalogue)} attacks tried, {judged} judged")
    yield from below_floor(ctx, "SEC102", FLOORS, {"min_attacks": judged})
    if broken:
        raise ToolFailed(
            f"SEC102: {len(broken)} of {len(catalogue)} attacks could not be judged: "
            + "; ".join(broken),
            hint="a refusal is one of the SQLSTATEs named for the attack; anything else means "
            "the probe, not the database, failed",
        )
