"""Run one access case against the database as its actor and observe what happened.

Statements are rendered with every value inlined as a typed literal, so the text that ran is
exactly the text of the reproduction script (``repro_sql``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from harness.access.oracle import Expectation, Kind, Oracle, Principal
from harness.access.snapshot import TableMeta
from harness.impersonate import Actor, impersonate, repro_sql

COMMAND_VERBS = {"R": "select", "I": "insert", "U": "update", "D": "delete"}


@dataclass(frozen=True)
class ActorSpec:
    """An actor twice: how the database is told (``actor``) and how the oracle reads it."""

    actor: Actor
    principal: Principal
    role_label: str  # app role, or anon / service_role / forged / no_claims / inactive / no_profile
    # The principal kind coverage is counted by: the app role of an active user, or inactive,
    # anon, service_role, no_claims, no_profile, forged (``role_label`` when left empty).
    kind: str = ""

    def __post_init__(self) -> None:
        if not self.kind:
            object.__setattr__(self, "kind", self.role_label)

    def __str__(self) -> str:
        return f"{self.role_label} ({self.principal})"


@dataclass(frozen=True)
class Case:
    """One generated request: ``values`` is the full new row (I) or the changed columns (U)."""

    actor: ActorSpec
    table: str
    command: str  # R, I, U or D
    key: Any = None
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Observed:
    """What the database did."""

    sqlstate: str | None
    message: str
    rowcount: int
    visible_after: bool | None = None

    def describe(self) -> str:
        """Say what happened, for findings."""
        if self.sqlstate:
            return f"error {self.sqlstate}: {self.message}"
        extra = "" if self.visible_after is None else f", readable after: {self.visible_after}"
        return f"{self.rowcount} row(s){extra}"


def literal(conn: psycopg.Connection[Any], value: Any, pgtype: str) -> sql.Composable:
    """``value`` as a literal cast to the column's type (arrays of enums need the cast)."""
    if value is None:
        return sql.SQL("NULL::{}").format(sql.SQL(pgtype))
    if pgtype in ("jsonb", "json"):
        value = Jsonb(value)
    text = sql.Literal(value).as_string(conn)
    if text.startswith("'") and "'::" in text:  # psycopg's own cast: replace it with the column's
        text = text[: text.rindex("'::") + 1]
    return sql.SQL("{}::{}").format(sql.SQL(text), sql.SQL(pgtype))


def statement(conn: psycopg.Connection[Any], meta: TableMeta, key: str, case: Case) -> str:
    """Render the SQL text of ``case``."""
    t = meta.qualified
    cols = meta.columns

    def lit(col: str, v: Any) -> sql.Composable:
        return literal(conn, v, cols[col].type)

    where = sql.SQL("{} = {}").format(sql.Identifier(key), lit(key, case.key))
    if case.command == "R":
        q: sql.Composable = sql.SQL("select count(*) from {} where {}").format(t, where)
    elif case.command == "D":
        q = sql.SQL("delete from {} where {}").format(t, where)
    elif case.command == "U":
        sets = sql.SQL(", ").join(
            sql.SQL("{} = {}").format(sql.Identifier(c), lit(c, v)) for c, v in case.values.items()
        )
        q = sql.SQL("update {} set {} where {}").format(t, sets, where)
    elif case.command == "I":
        names = list(case.values)
        q = sql.SQL("insert into {} ({}) values ({})").format(
            t,
            sql.SQL(", ").join(map(sql.Identifier, names)),
            sql.SQL(", ").join(lit(c, case.values[c]) for c in names),
        )
    else:
        raise ValueError(f"unknown command {case.command!r}")
    return q.as_string(conn)


def target_key(case: Case, key: str) -> Any:
    """Return the key of the row the case writes (the new key for inserts)."""
    return case.values.get(key, case.key) if case.command in ("I", "U") else case.key


def run_case(
    conn: psycopg.Connection[Any], meta: TableMeta, key: str, case: Case, *, commit: bool = False
) -> tuple[Observed, str]:
    """Execute ``case`` as its actor in one transaction; return the observation and the SQL.

    The transaction is rolled back unless ``commit``.
    """
    text = statement(conn, meta, key, case)
    visible: bool | None = None
    try:
        with impersonate(conn, case.actor.actor, commit=commit) as cur:
            cur.execute(text.encode())
            if case.command == "R":
                row = cur.fetchone()
                count = int(row[0]) if row else 0
            else:
                count = cur.rowcount
            if case.command in ("I", "U") and count > 0:
                check = sql.SQL("select count(*) from {} where {} = {}").format(
                    meta.qualified,
                    sql.Identifier(key),
                    literal(conn, target_key(case, key), meta.columns[key].type),
                )
                got = cur.execute(check).fetchone()
                visible = bool(got and got[0])
    except psycopg.Error as exc:
        state = exc.sqlstate or "?????"
        msg = (exc.diag.message_primary or str(exc)).strip()
        return Observed(state, msg, 0), text
    return Observed(None, "", count, visible), text


def expectation(oracle: Oracle, case: Case) -> Expectation:
    """Return the oracle's verdict on ``case``."""
    p = case.actor.principal
    if case.command == "I":
        return oracle.can_insert(p, case.table, case.values)
    key = oracle.m.table(case.table).key
    old = oracle.s.get(case.table, case.key)
    if old is None:
        raise LookupError(f"{case.table}: no row with {key} = {case.key}")
    if case.command == "R":
        return oracle.can_select(p, case.table, old)
    if case.command == "U":
        return oracle.can_update(p, case.table, old, {**old, **case.values})
    return oracle.can_delete(p, case.table, old)


@dataclass(frozen=True)
class Verdict:
    """A case, the oracle's expectation, the observation and whether they agree."""

    case: Case
    expected: Expectation
    observed: Observed
    judgement: str  # agree / disagree / inconclusive
    sql: str

    @property
    def repro(self) -> str:
        """Return the psql script reproducing the case."""
        return repro_sql(self.case.actor.actor, self.sql)

    def summary(self) -> str:
        """Say the case, the expectation and the observation in one line."""
        c = self.case
        return (
            f"{COMMAND_VERBS[c.command].upper()} on {c.table} as {c.actor}: expected "
            f"{self.expected.describe()} [{self.expected.reason}], got {self.observed.describe()}"
        )


def judge(
    conn: psycopg.Connection[Any],
    oracle: Oracle,
    metas: Mapping[str, TableMeta],
    case: Case,
    *,
    commit: bool = False,
) -> Verdict:
    """Run ``case`` and compare with the oracle."""
    exp = expectation(oracle, case)
    key = oracle.m.table(case.table).key
    obs, text = run_case(conn, metas[case.table], key, case, commit=commit)
    if case.command == "R":
        # A read "succeeds" when it sees the row; a permission error means "not visible".
        verdict = exp.judge(obs.sqlstate, obs.rowcount, None)
    else:
        verdict = exp.judge(obs.sqlstate, obs.rowcount, obs.visible_after)
    return Verdict(case, exp, obs, verdict, text)


def principal_kind(actor: Actor) -> Kind:
    """Return the oracle's view of an :class:`Actor` built without a spec."""
    return {
        "user": Kind.USER,
        "forged": Kind.USER,
        "anon": Kind.ANON,
        "service_role": Kind.SERVICE,
        "missing": Kind.NO_CLAIMS,
    }[actor.kind]
