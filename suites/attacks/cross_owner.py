"""SEC112: one signed-up user cannot read, change, steal or delete another user's rows.

Anti-pattern: an owner column compared with ``auth.uid()`` in one policy while another
permissive policy of the same table lets everyone through (``for update using (true)``), an
UPDATE policy without WITH CHECK on the owner, or a command with no owner test at all. The
owner comparison reads as protection; the union of the policies is what the server applies.

For every table whose policies compare a column with the caller's user id
(:mod:`harness.access.owners`) the check signs up two plain users A and B on a private clone,
gives A a row (as A through the API when the policies allow, else as the superuser), then acts
as B: reads A's row, updates a non-key column of it, moves it to B by updating the owner
column, and deletes it, each in a transaction that is rolled back. Any of them reaching A's
row is a finding. Reads are not tried where a SELECT policy is plainly ``true`` (public read,
by design).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from harness.access import policy_expr
from harness.access.owners import USER_ROLES, OwnerColumn, owner_columns
from harness.context import CheckContext
from harness.errors import CheckSkipped, ToolFailed
from harness.impersonate import impersonate
from harness.registry import REGISTRY, Finding, Severity, check
from harness.signup import SignedUp
from suites.attacks.common import exposed_relations, exposed_schemas, require_auth, two_users
from suites.attacks.probes import Outcome, acting, attempt, fingerprint_of, reached
from suites.attacks.repro import scripted_repro
from suites.attacks.rowgen import CannotMakeRow, insert_sql, row_for

SUITE, FAMILY = "attacks", "security"
CHECK_ID = "SEC112"
CHANGED = "dbh: changed by another user"

_OPEN_READ = """
select string_agg(policyname, ', ' order by policyname) from pg_policies
where schemaname = %s and tablename = %s and cmd in ('SELECT', 'ALL')
  and permissive = 'PERMISSIVE' and roles::text[] && %s
  and regexp_replace(coalesce(qual, ''), '[() ]', '', 'g') = 'true'
"""


_READ_POLICIES = """
select policyname, qual from pg_policies
where schemaname = %s and tablename = %s and cmd in ('SELECT', 'ALL')
  and permissive = 'PERMISSIVE' and roles::text[] && %s
order by 1
"""


def other_read_paths(conn: psycopg.Connection[Any], oc: OwnerColumn) -> list[str]:
    """Return the permissive SELECT policies that do not test the owner column at all.

    A row read through one of them (``published or user_id = auth.uid()``'s ``published``) is
    most likely shared on purpose: the finding says so and is milder.
    """
    rows = conn.execute(_READ_POLICIES, (oc.schema, oc.table, sorted(USER_ROLES))).fetchall()
    return [str(name) for name, qual in rows
            if not policy_expr.requires_owner(policy_expr.parse(qual), oc.column)]


@dataclass(frozen=True)
class Attempt:
    """B's try at A's row: what, the statement, and how it ended."""

    command: str
    statement: str
    outcome: Outcome


def _where(col: str, who: SignedUp) -> sql.Composed:
    return sql.SQL("{}::text = {}").format(sql.Identifier(col), sql.Literal(str(who.user_id)))


def _give_row(conn: psycopg.Connection[Any], oc: OwnerColumn, a: SignedUp) -> tuple[str, str]:
    """Make sure A owns a row of the table; return how ("existing", "as A", ...) and the SQL."""
    t = sql.Identifier(oc.schema, oc.table)
    mine = sql.SQL("select count(*) from {} where {}").format(t, _where(oc.column, a))
    row = conn.execute(mine).fetchone()
    if row and row[0]:
        return "existing", ""
    values = row_for(conn, f'"{oc.schema}"."{oc.table}"', oc.column, a.user_id,
                     f"{oc.qualified}.{oc.column}")
    stmt = insert_sql((oc.schema, oc.table), values)
    text = stmt.as_string(conn)
    try:
        with impersonate(conn, a.actor, commit=True) as cur:
            cur.execute(stmt)
        return "as A", text
    except psycopg.Error:
        pass  # the policies keep A from inserting it: the superuser does
    try:
        conn.execute(stmt)
    except psycopg.Error as exc:
        raise CannotMakeRow(f"{exc.sqlstate} {(exc.diag.message_primary or '').strip()}") from exc
    return "as superuser", text


def _attacks(conn: psycopg.Connection[Any], oc: OwnerColumn, privs: frozenset[str],
             update_col: str | None, a: SignedUp, b: SignedUp, open_read: bool) -> list[Attempt]:
    """B's attempts on A's rows: each write once aimed at them and once with no filter at all.

    A filter reads the row, so SELECT policies apply to it too; an UPDATE whose SET reads no
    column and a DELETE, both without WHERE, meet only the command's own policies. Both forms
    are judged by A's rows (:func:`suites.attacks.common.reached`).
    """
    t = sql.Identifier(oc.schema, oc.table)
    where = _where(oc.column, a)
    owner = sql.Identifier(oc.column)
    fp = fingerprint_of(t, where)
    writes: list[tuple[str, sql.Composed]] = []
    if "UPDATE" in privs and update_col and update_col != oc.column:
        c = sql.Identifier(update_col)
        got = conn.execute(sql.SQL(
            "select {}::text, pg_typeof({})::text in ('text', 'character varying', 'citext')"
            " from {} where {} limit 1").format(c, c, t, where)).fetchone()
        # A constant: a SET reading a column would let the SELECT policies filter the rows.
        value = sql.Literal(CHANGED if got and got[1] else (got[0] if got else None))
        writes.append(("update", sql.SQL("update {} set {} = {} where {}").format(
            t, c, value, where)))
        writes.append(("update (no filter)", sql.SQL("update {} set {} = {}").format(t, c, value)))
    can_move = conn.execute("select has_column_privilege('authenticated', %s::regclass, %s,"
                            " 'update')", (f'"{oc.schema}"."{oc.table}"', oc.column)).fetchone()
    if can_move and can_move[0]:
        to_b = sql.Literal(str(b.user_id))
        writes.append(("take over", sql.SQL("update {} set {} = {} where {}").format(
            t, owner, to_b, where)))
        writes.append(("take over (no filter)", sql.SQL("update {} set {} = {}").format(
            t, owner, to_b)))
    if "DELETE" in privs:
        writes.append(("delete", sql.SQL("delete from {} where {}").format(t, where)))
        writes.append(("delete (no filter)", sql.SQL("delete from {}").format(t)))
    out = []
    with acting(conn, b.actor) as cur:
        if "SELECT" in privs and not open_read:
            read = sql.SQL("select count(*) from {} where {}").format(t, where)
            out.append(Attempt("read", read.as_string(conn), attempt(cur, read)))
        for name, stmt in writes:
            out.append(Attempt(name, stmt.as_string(conn), reached(cur, b.actor, stmt, fp)))
    return out


def _repro(conn: psycopg.Connection[Any], oc: OwnerColumn, setup: str, atts: list[Attempt],
           a: SignedUp, b: SignedUp) -> str:
    """Return the script replaying B's most telling success on A's row."""
    won = [x for x in atts if x.outcome.succeeded]
    worst = next((x for x in won if x.command != "read" and "filter" not in x.command),
                 next((x for x in won if x.command != "read"), won[0]))
    look = sql.SQL("select * from {} where {}").format(
        sql.Identifier(oc.schema, oc.table), _where(oc.column, a)).as_string(conn)
    if worst.command.startswith("take over"):  # the row is B's now: look it up by B
        look = sql.SQL("select * from {} where {}").format(
            sql.Identifier(oc.schema, oc.table), _where(oc.column, b)).as_string(conn)
    return scripted_repro(conn, [a, b], [setup] if setup.startswith("insert") else [],
                          b.actor, worst.statement, look)


@check(
    CHECK_ID,
    title="A signed-up user cannot read, change, take over or delete another user's rows",
    severity=Severity.CRITICAL,
    family=FAMILY,
    suite=SUITE,
    rationale="A policy comparing an owner column with auth.uid() promises per-user isolation, "
    "but permissive policies add up: one `using (true)` or a missing WITH CHECK beside it "
    "hands every user's rows to every other user.",
    remedy="Give every command of the table a policy comparing the owner column with "
    "(select auth.uid()) in USING and WITH CHECK, and drop or narrow the permissive policy the "
    "finding names (pg_policies shows them all).",
)
def cross_owner(ctx: CheckContext) -> Iterator[Finding]:
    """Try B on A's row of every owner-column table; report what got through."""
    chk = REGISTRY.get(CHECK_ID)
    schemas = exposed_schemas(ctx)
    with ctx.connect() as conn:
        require_auth(conn, CHECK_ID)
        rels = {r.qualified: r for r in exposed_relations(conn, schemas) if r.kind in ("r", "p")}
        owners = [o for o in owner_columns(conn, schemas) if o.qualified in rels]
    if not owners:
        raise CheckSkipped(f"{CHECK_ID}: no table of {', '.join(schemas)} has a policy comparing "
                           "a column with auth.uid() for signed-up users")
    untested: dict[str, str] = {}
    tried: list[tuple[OwnerColumn, str, list[Attempt]]] = []
    scripts: dict[str, str] = {}
    paths: dict[str, list[str]] = {}
    with ctx.fresh_database() as dsn, ctx.connect(dsn) as conn:
        people = two_users(conn, ("owner-a", "owner-b"))
        if people.refused is not None:
            raise CheckSkipped(f"{CHECK_ID}: the database refuses a plain sign-up "
                               f"({people.refused}); the check needs two self-service users")
        a, b = people.users
        for oc in owners:
            key = f"{oc.qualified}.{oc.column}"
            try:
                how, setup = _give_row(conn, oc, a)
            except CannotMakeRow as exc:
                untested[key] = f"could not give A a row: {exc}"
                continue
            open_read = conn.execute(_OPEN_READ, (oc.schema, oc.table, sorted(USER_ROLES)))
            opened = (open_read.fetchone() or (None,))[0]
            rel = rels[oc.qualified]
            atts = _attacks(conn, oc, rel.privileges, rel.update_column, a, b, opened is not None)
            tried.append((oc, setup or how, atts))
            paths[f"{oc.qualified}.{oc.column}"] = other_read_paths(conn, oc)
            if any(x.outcome.succeeded for x in atts):
                scripts[f"{oc.qualified}.{oc.column}"] = _repro(conn, oc, setup, atts, a, b)
    broken = {f"{oc.qualified}.{oc.column} {x.command}": f"{x.outcome.sqlstate} "
              f"{x.outcome.message}" for oc, _s, atts in tried for x in atts if x.outcome.broken}
    cases = sum(len(atts) for _o, _s, atts in tried)
    ctx.stats.update(owner_columns=len(owners), tables_tested=len(tried), attempts=cases,
                     succeeded=sum(1 for _o, _s, atts in tried for x in atts
                                   if x.outcome.succeeded),
                     untested=untested, broken=broken)
    for oc, setup, atts in tried:
        won = [x for x in atts if x.outcome.succeeded]
        if not won:
            continue
        key = f"{oc.qualified}.{oc.column}"
        reads_only = all(x.command == "read" for x in won)
        shared = reads_only and bool(paths[key])
        yield chk.finding(
            key,
            f"user B reached user A's row of {oc.qualified} (owner column {oc.column}, policies "
            f"{', '.join(oc.policies)}): " + ", ".join(
                f"{x.command} {x.outcome}" for x in won)
            + (f"; read through {', '.join(paths[key])}, which does not test the owner: "
               "shared on purpose?" if shared else ""),
            repro_sql=scripts[key],
            severity=(Severity.MEDIUM if shared else Severity.HIGH) if reads_only else None,
            details={"attempts": {x.command: str(x.outcome) for x in atts},
                     "a": str(a.user_id), "b": str(b.user_id), "row": setup},
        )
    ctx.progress(f"{CHECK_ID}: {cases} attempts on {len(tried)} tables")
    if broken:
        raise ToolFailed(f"{CHECK_ID}: {len(broken)} attempt(s) failed in their own SQL: "
                         + "; ".join(f"{k}: {v}" for k, v in sorted(broken.items())))
    if not tried:
        raise ToolFailed(
            f"{CHECK_ID}: none of the {len(owners)} owner-column tables could be tested: "
            + "; ".join(f"{k}: {v}" for k, v in sorted(untested.items())),
            hint="seed the referenced tables, or add rows A may own in the seed")
