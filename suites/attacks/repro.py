"""Repro scripts: what a finding says, as SQL a reviewer pastes into psql.

A script signs its users up as the auth server does (their triggers run), prepares rows as the
superuser, runs the statement exactly as PostgREST would for the caller, looks at the result
as the superuser again, and rolls everything back.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from harness.impersonate import Actor
from harness.signup import AUTH_ADMIN_ROLE, SignedUp


def lit(value: object) -> str:
    """Render ``value`` as an SQL literal (for repro scripts)."""
    return sql.Literal(value).as_string(None)


def user_insert_sql(conn: psycopg.Connection[Any], user: SignedUp, raw_user: str) -> str:
    """Return the INSERT into auth.users a sign-up of ``user`` performs, for a repro."""
    cols = {
        str(r[0])
        for r in conn.execute(
            "select attname from pg_attribute where attrelid = 'auth.users'::regclass"
            " and attnum > 0 and not attisdropped"
        ).fetchall()
    }
    values = {
        "id": str(user.user_id), "aud": "authenticated", "role": "authenticated",
        "email": user.email, "raw_app_meta_data": '{"provider": "email", "providers": ["email"]}',
        "raw_user_meta_data": raw_user,
    }
    values = {k: v for k, v in values.items() if k in cols}
    names = ", ".join(values)
    return f"insert into auth.users ({names})\n  values ({', '.join(map(lit, values.values()))});"


def auth_server_role(conn: psycopg.Connection[Any]) -> str | None:
    """Return the role sign-ups run as (as :mod:`harness.signup` decides), None for the caller."""
    row = conn.execute(
        "select 1 from pg_roles where rolname = %s"
        " and has_table_privilege(%s, 'auth.users', 'INSERT')",
        (AUTH_ADMIN_ROLE, AUTH_ADMIN_ROLE),
    ).fetchone()
    return AUTH_ADMIN_ROLE if row else None


def scripted_repro(
    conn: psycopg.Connection[Any],
    users: list[SignedUp],
    setup: list[str],
    actor: Actor,
    statement: str,
    after: str,
) -> str:
    """Return a self-contained psql script: sign-ups, setup, the statement as ``actor``, a look.

    Pasted into psql on a fresh copy of the schema it signs the users up (their triggers run),
    prepares the rows (as the superuser), runs ``statement`` exactly as PostgREST would for
    ``actor``, shows ``after`` as the superuser, and rolls everything back.
    """
    lines = ["BEGIN;", "-- plain sign-ups, as the auth server performs them"]
    role = auth_server_role(conn)
    if role:
        lines.append(f"set local role {role};")
    lines += [user_insert_sql(conn, u, "{}") for u in users]
    lines.append("reset role;")
    lines += [s.rstrip(";") + ";" for s in setup]
    lines.append(f"-- as {actor}, as PostgREST runs a request")
    lines.append(
        f"select set_config('role', {lit(actor.db_role)}, true), "
        f"set_config('request.jwt.claims', {lit(actor.claims_json())}, true), "
        "set_config('request.method', 'POST', true);"
    )
    lines.append(statement.rstrip().rstrip(";") + ";")
    lines += ["-- back as the superuser: what the statement reached", "reset role;",
              after.rstrip(";") + ";", "ROLLBACK;"]
    return "\n".join(lines) + "\n"
