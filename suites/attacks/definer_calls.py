"""Calling a definer function as an API caller and observing what it wrote, and whose rows.

Which tables changed comes from the server's per-transaction statistics
(``pg_stat_xact_all_tables``), read as the superuser before and after the call in the same
transaction. For the platform's tables (``auth``, ``storage``) that is not enough: a
"delete my account" function deleting the caller's own ``auth.users`` row is a feature, one
deleting anybody's is a hole. Those tables are fingerprinted before and after, split into the
caller's own rows (by ``id`` of ``auth.users``, else a ``user_id``/``owner_id``/``owner``
column) and everybody else's; on the caller's own ``auth.users`` row the columns that carry
privileges (app metadata, role, confirmation) are compared one by one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from harness.impersonate import Actor

# Columns of auth.users whose change on one's own row raises what one may do.
PRIVILEGE_COLUMNS = ("raw_app_meta_data", "role", "aud", "is_super_admin", "banned_until",
                     "email_confirmed_at", "phone_confirmed_at", "confirmed_at", "is_sso_user",
                     "is_anonymous")
_WHOSE = ("user_id", "owner_id", "owner")

_XACT = """
select schemaname || '.' || relname, n_tup_ins + n_tup_upd + n_tup_del
from pg_stat_xact_all_tables where schemaname = any(%s)
"""


@dataclass
class Observed:
    """What one call did: tables changed (rows), and for platform tables whose rows."""

    changed: dict[str, int] = field(default_factory=dict)
    others: list[str] = field(default_factory=list)  # platform tables: other users' rows changed
    own: list[str] = field(default_factory=list)  # platform tables: only the caller's rows
    own_privileges: list[str] = field(default_factory=list)  # auth.users columns of the caller
    error: str | None = None


def platform_tables(conn: psycopg.Connection[Any], schemas: tuple[str, ...]) -> dict[str, str]:
    """Return the tables of ``schemas`` and the column naming whose row it is ("" if none)."""
    rows = conn.execute(
        "select n.nspname || '.' || c.relname, array(select a.attname from pg_attribute a"
        " where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped)"
        " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = any(%s) and c.relkind in ('r', 'p') and not c.relispartition"
        " order by 1",
        (list(schemas),),
    ).fetchall()
    out = {}
    for name, cols in rows:
        whose = "id" if name == "auth.users" else next((c for c in _WHOSE if c in cols), "")
        out[str(name)] = whose
    return out


def _snapshot(cur: psycopg.Cursor[Any], tables: dict[str, str],
              caller: uuid.UUID | None) -> dict[str, tuple[str, str, dict[str, Any]]]:
    me = str(caller) if caller else None
    out = {}
    for name, whose in tables.items():
        schema, _, table = name.partition(".")
        t = sql.Identifier(schema, table)
        row_text = sql.SQL("to_jsonb(t)::text")
        mine: sql.Composable
        if whose and me:
            mine = sql.SQL("{}::text = {}").format(sql.Identifier(whose), sql.Literal(me))
        else:
            mine = sql.SQL("false")
        q = sql.SQL(
            "select md5(coalesce(string_agg({r}, ',' order by {r}) filter (where not ({m})), '')),"
            " md5(coalesce(string_agg({r}, ',' order by {r}) filter (where {m}), ''))"
            " from {t} t"
        ).format(r=row_text, m=mine, t=t)
        others, own = cur.execute(q).fetchone() or ("", "")
        privs: dict[str, Any] = {}
        if name == "auth.users" and me:
            got = cur.execute("select to_jsonb(u) from auth.users u where id = %s",
                              (caller,)).fetchone()
            doc = got[0] if got else {}
            privs = {c: doc.get(c) for c in PRIVILEGE_COLUMNS if c in doc}
        out[name] = (str(others), str(own), privs)
    return out


def observe(cur: psycopg.Cursor[Any], actor: Actor, statement: str, targets: list[str],
            platform: dict[str, str]) -> Observed:
    """Run ``statement`` as ``actor`` (in an undone savepoint) and say what it wrote."""
    conn = cur.connection
    role = actor.db_role
    with conn.transaction(force_rollback=True):
        cur.execute("reset role")
        stats = dict(cur.execute(_XACT, (targets,)).fetchall())
        snap = _snapshot(cur, platform, actor.user_id)
        cur.execute("select set_config('role', %s, true)", (role,))
        out = attempt_kept(cur, statement)
        cur.execute("reset role")
        if out is not None:
            cur.execute("select set_config('role', %s, true)", (role,))
            return Observed(error=out)
        after = dict(cur.execute(_XACT, (targets,)).fetchall())
        snap_after = _snapshot(cur, platform, actor.user_id)
        cur.execute("select set_config('role', %s, true)", (role,))
    seen = Observed(changed={t: int(n) - int(stats.get(t, 0)) for t, n in after.items()
                             if int(n) > int(stats.get(t, 0))})
    for name, (others, own, privs) in snap.items():
        a_others, a_own, a_privs = snap_after[name]
        if a_others != others:
            seen.others.append(name)
        elif a_own != own:
            seen.own.append(name)
        # A caller's row that is gone (deleting one's own account) raises nothing.
        if name == "auth.users" and a_own != own and a_privs:
            seen.own_privileges = sorted(c for c in privs if privs[c] != a_privs.get(c))
    return seen


def attempt_kept(cur: psycopg.Cursor[Any], statement: str) -> str | None:
    """Run ``statement`` in a savepoint kept on success; return the error, or None."""
    try:
        with cur.connection.transaction():
            cur.execute(statement.encode())
    except psycopg.Error as exc:
        return f"{exc.sqlstate} {(exc.diag.message_primary or str(exc)).strip()}"
    return None

