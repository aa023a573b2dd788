"""Probes as an API caller: one statement, undone, and how it ended.

Each probe runs inside an impersonation (:func:`harness.impersonate.impersonate`, exactly as
PostgREST runs a request) in a savepoint that is always rolled back; a statement is judged
either by what it read or touched, or (:func:`reached`) by whether the victim's rows changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from harness.impersonate import Actor, impersonate

# Each probe statement gets this long: a probe that hangs says nothing and must not stall a run.
PROBE_TIMEOUT = "5s"
# SQLSTATE classes that mean the probe's own SQL is wrong for this schema, not a refusal.
BROKEN_PROBE = re.compile(r"^42(?!501)")


@dataclass(frozen=True)
class Outcome:
    """What one probe statement did: the rows it touched, or the SQLSTATE it ended with."""

    rows: int | None = None
    sqlstate: str | None = None
    message: str = ""
    # Judged by the victim's rows (:func:`reached`): ``rows`` is 1 when they changed.
    by_victim: bool = False

    @property
    def succeeded(self) -> bool:
        """Whether it touched (read, changed) at least one row."""
        return bool(self.rows)

    @property
    def broken(self) -> bool:
        """Whether the probe's own SQL is wrong for this schema (no verdict)."""
        return self.sqlstate is not None and bool(BROKEN_PROBE.match(self.sqlstate))

    def __str__(self) -> str:
        if self.sqlstate is not None:
            return f"refused ({self.sqlstate})"
        if self.by_victim:
            return "reached it" if self.rows else "no effect"
        return f"{self.rows} row(s)"


@contextmanager
def acting(conn: psycopg.Connection[Any], actor: Actor) -> Iterator[psycopg.Cursor[Any]]:
    """Impersonate ``actor`` (rolled back at the end) with a per-statement time limit."""
    with impersonate(conn, actor) as cur:
        cur.execute(sql.SQL("set local statement_timeout = {}").format(sql.Literal(PROBE_TIMEOUT)))
        yield cur


def attempt(cur: psycopg.Cursor[Any], statement: sql.Composed | sql.SQL | str) -> Outcome:
    """Run ``statement`` in a savepoint that is always undone; count rows read or changed.

    A statement that returns rows is judged by its first column (a ``count(*)``), any other by
    its row count.
    """
    conn = cur.connection
    try:
        with conn.transaction(force_rollback=True):
            cur.execute(statement.encode() if isinstance(statement, str) else statement)
            if cur.description is not None:
                row = cur.fetchone()
                return Outcome(rows=int(row[0]) if row and row[0] is not None else 0)
            return Outcome(rows=max(cur.rowcount, 0))
    except psycopg.Error as exc:
        msg = (exc.diag.message_primary or str(exc)).strip()
        return Outcome(sqlstate=exc.sqlstate or "?", message=msg)


def reached(
    cur: psycopg.Cursor[Any], actor: Actor, statement: sql.Composed | sql.SQL,
    fingerprint: sql.Composed,
) -> Outcome:
    """Run ``statement`` as ``actor`` and tell whether it changed the rows ``fingerprint`` reads.

    ``fingerprint`` (run as the superuser, past RLS, before and after, in the same undone
    savepoint) returns one value that changes with the victim's rows (their count and ctids:
    every UPDATE writes a new row version). ``rows`` is 1 when it changed, else 0: the judge is
    the victim's rows, not the statement's row count, so statements without a WHERE clause
    (whose SET reads no column, so SELECT policies do not filter them) count as well.
    """
    conn = cur.connection
    role = actor.db_role
    with conn.transaction(force_rollback=True):
        cur.execute("reset role")
        before = cur.execute(fingerprint).fetchone()
        cur.execute("select set_config('role', %s, true)", (role,))
        try:
            with conn.transaction():
                cur.execute(statement)
        except psycopg.Error as exc:
            msg = (exc.diag.message_primary or str(exc)).strip()
            cur.execute("select set_config('role', %s, true)", (role,))
            return Outcome(sqlstate=exc.sqlstate or "?", message=msg)
        cur.execute("reset role")
        after = cur.execute(fingerprint).fetchone()
        cur.execute("select set_config('role', %s, true)", (role,))
    return Outcome(rows=int(before != after), by_victim=True)


def fingerprint_of(table: sql.Composable, where: sql.Composable) -> sql.Composed:
    """Return the query :func:`reached` compares: count and row versions of ``where``'s rows."""
    return sql.SQL(
        "select count(*) || ':' || coalesce(string_agg(ctid::text, ',' order by ctid), '')"
        " from {} where {}"
    ).format(table, where)
