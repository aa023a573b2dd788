"""Signing a user up the way Supabase's auth server (GoTrue) does, straight in the database.

An email sign-up is, for the database, one transaction on GoTrue's own connection (role
``supabase_auth_admin`` on a Supabase project): an INSERT into ``auth.users`` carrying the
address and the ``data`` the client sent (``raw_user_meta_data``, which the person signing up
controls entirely) plus the ``raw_app_meta_data`` GoTrue sets itself, then an INSERT into
``auth.identities``. Every trigger a project hangs on ``auth.users`` (the usual "create a
profile on sign-up" trigger, often SECURITY DEFINER) runs inside it. Whatever those triggers
copy out of the user-controlled metadata is an attack surface; :func:`sign_up` reproduces the
sign-up so checks can drive it with hostile input and compare the outcome with a plain sign-up.

Only the columns the server's ``auth.users``/``auth.identities`` actually have are written, so
the same code signs up on the harness's Supabase base, on an older GoTrue schema and on a real
project's database.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from harness.impersonate import Actor

AUTH_ADMIN_ROLE = "supabase_auth_admin"  # the role GoTrue connects as on Supabase
# What GoTrue writes into raw_app_meta_data for an email sign-up; clients cannot change it.
EMAIL_APP_METADATA: Mapping[str, Any] = {"provider": "email", "providers": ["email"]}
# Deterministic ids: the same persona name gives the same user id in every run.
_USER_NAMESPACE = uuid.UUID("0c8f3e0a-7f5e-4c8b-9a51-2f6d1c3b7e42")


class SignupRefused(Exception):
    """The database refused the sign-up (a trigger or constraint raised)."""

    def __init__(self, email: str, sqlstate: str | None, message: str) -> None:
        super().__init__(f"sign-up of {email} refused: {sqlstate} {message}")
        self.email = email
        self.sqlstate = sqlstate
        self.message = message


@dataclass(frozen=True)
class SignedUp:
    """A user the sign-up created, with what GoTrue would put in their access token."""

    user_id: uuid.UUID
    email: str
    app_metadata: Mapping[str, Any]
    user_metadata: Mapping[str, Any]

    @property
    def actor(self) -> Actor:
        """Return the signed-in user as the API would see them after signing in."""
        return Actor.user(
            self.user_id,
            self.email,
            app_metadata=self.app_metadata,
            user_metadata=self.user_metadata,
        )


def persona_id(name: str) -> uuid.UUID:
    """Return the stable user id of a persona called ``name``."""
    return uuid.uuid5(_USER_NAMESPACE, name)


def has_auth_users(conn: psycopg.Connection[Any]) -> bool:
    """Tell whether the database has Supabase's ``auth.users`` table."""
    row = conn.execute("select to_regclass('auth.users') is not null").fetchone()
    return bool(row and row[0])


def _columns(conn: psycopg.Connection[Any], table: str) -> dict[str, str]:
    rows = conn.execute(
        "select a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a"
        " where a.attrelid = to_regclass(%s) and a.attnum > 0 and not a.attisdropped"
        " and a.attgenerated = ''",
        (table,),
    ).fetchall()
    return {str(n): str(t) for n, t in rows}


def _acts_as_auth_admin(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute(
        "select exists (select 1 from pg_roles where rolname = %s)"
        " and has_table_privilege(%s, 'auth.users', 'INSERT')",
        (AUTH_ADMIN_ROLE, AUTH_ADMIN_ROLE),
    ).fetchone()
    return bool(row and row[0])


def _insert(
    cur: psycopg.Cursor[Any], table: tuple[str, str], values: Mapping[str, Any]
) -> None:
    cols = list(values)
    cur.execute(
        sql.SQL("insert into {} ({}) values ({})").format(
            sql.Identifier(*table),
            sql.SQL(", ").join(map(sql.Identifier, cols)),
            sql.SQL(", ").join(sql.Placeholder() * len(cols)),
        ),
        [values[c] for c in cols],
    )


def sign_up(
    conn: psycopg.Connection[Any],
    *,
    email: str,
    user_metadata: Mapping[str, Any] | None = None,
    user_id: uuid.UUID | None = None,
) -> SignedUp:
    """Sign ``email`` up with client-sent ``user_metadata``, committed; return the new user.

    ``conn`` is the harness's superuser connection in autocommit mode. The inserts run as
    ``supabase_auth_admin`` when the database has that role with INSERT on ``auth.users`` (as
    on Supabase, so triggers see the same ``current_user``), else as the connection's user.
    Raises :class:`SignupRefused` when a trigger or constraint rejects the sign-up (nothing is
    left behind), :class:`LookupError` when the database has no ``auth.users``.
    """
    if not has_auth_users(conn):
        raise LookupError("the database has no auth.users (not a Supabase-style schema)")
    uid = user_id or persona_id(email)
    meta = dict(user_metadata or {})
    users = _columns(conn, "auth.users")
    wanted: dict[str, Any] = {
        "id": uid,
        "instance_id": uuid.UUID(int=0),
        "aud": "authenticated",
        "role": "authenticated",
        "email": email,
        "encrypted_password": "",
        "raw_app_meta_data": json.dumps(dict(EMAIL_APP_METADATA)),
        "raw_user_meta_data": json.dumps(meta),
        "is_super_admin": None,
        "is_sso_user": False,
        "is_anonymous": False,
    }
    row = {k: v for k, v in wanted.items() if k in users}
    identities = _columns(conn, "auth.identities")
    identity: dict[str, Any] = {}
    if identities:
        data = {"sub": str(uid), "email": email, "email_verified": False,
                "phone_verified": False}
        identity = {
            "provider_id": str(uid),
            "user_id": uid,
            "identity_data": json.dumps(data),
            "provider": "email",
        }
        # Before 2023 GoTrue keyed identities by a text id equal to the user id.
        if identities.get("id") == "text":
            identity["id"] = str(uid)
        identity = {k: v for k, v in identity.items() if k in identities}
    as_admin = _acts_as_auth_admin(conn)
    try:
        with conn.transaction(), conn.cursor() as cur:
            if as_admin:
                cur.execute(sql.SQL("set local role {}").format(sql.Identifier(AUTH_ADMIN_ROLE)))
            _insert(cur, ("auth", "users"), row)
            if identity:
                _insert(cur, ("auth", "identities"), identity)
    except psycopg.Error as exc:
        raise SignupRefused(email, exc.sqlstate, str(exc).strip()) from exc
    return reread(conn, uid)


def reread(conn: psycopg.Connection[Any], user_id: uuid.UUID) -> SignedUp:
    """Return the user as stored now (triggers may have changed the metadata)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "select id, email, raw_app_meta_data as app, raw_user_meta_data as usr"
            " from auth.users where id = %s",
            (user_id,),
        )
        got = cur.fetchone()
    if got is None:
        raise LookupError(f"no auth.users row {user_id}")
    return SignedUp(
        user_id=got["id"],
        email=got["email"] or "",
        app_metadata=dict(got["app"] or EMAIL_APP_METADATA),
        user_metadata=dict(got["usr"] or {}),
    )


def delete_user(conn: psycopg.Connection[Any], user_id: uuid.UUID) -> None:
    """Delete a user as GoTrue's admin API does (cascades follow the schema's foreign keys)."""
    conn.execute("delete from auth.users where id = %s", (user_id,))
