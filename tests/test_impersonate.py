"""Impersonation: role and claims as PostgREST sets them, RLS applied, nothing survives."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from harness.impersonate import Actor, impersonate, repro_sql
from harness.schema_dir import SchemaDir
from harness.server import Server
from harness.workspace import Workspace
from tests.support import ALICE, BOB, NOTES_MIGRATION, NOTES_SEED, ROLES_BOOTSTRAP

WHO = (
    "select current_user, current_setting('request.jwt.claims', true),"
    " current_setting('request.method', true)"
)


def who(cur: psycopg.Cursor[Any]) -> tuple[Any, ...]:
    row = cur.execute(WHO).fetchone()
    assert row is not None
    return tuple(row)


@pytest.fixture(scope="module")
def workspace(test_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("impersonate_schema")
    for sub, name, text in (
        ("bootstrap", "00_roles.sql", ROLES_BOOTSTRAP),
        ("migrations", "0001_notes.sql", NOTES_MIGRATION),
        ("seed", "01_notes.sql", NOTES_SEED),
    ):
        (root / sub).mkdir(exist_ok=True)
        (root / sub / name).write_text(text)
    with Workspace(test_server, SchemaDir.open(root), seed_data=True) as ws:
        yield ws


@pytest.fixture
def conn(workspace: Workspace) -> Iterator[psycopg.Connection[Any]]:
    with workspace.clone() as dsn, psycopg.connect(dsn, autocommit=True) as c:
        yield c


def test_user_gets_role_claims_and_only_own_rows(conn: psycopg.Connection[Any]) -> None:
    actor = Actor.user(ALICE, "alice@example.com")
    with impersonate(conn, actor) as cur:
        role, claims_text, method = who(cur)
        rows = cur.execute("select body from public.notes order by body").fetchall()
    claims = json.loads(claims_text)
    assert role == "authenticated"
    assert method == "POST"
    assert claims["sub"] == ALICE and claims["role"] == "authenticated"
    assert claims["email"] == "alice@example.com" and claims["aud"] == "authenticated"
    assert claims["exp"] > claims["iat"]
    assert rows == [("alice 1",), ("alice 2",)]


def test_nothing_survives_the_block(conn: psycopg.Connection[Any]) -> None:
    with impersonate(conn, Actor.user(ALICE)) as cur:
        cur.execute("insert into public.notes (owner, body) values (%s, 'draft')", (ALICE,))
        assert cur.execute("select count(*) from public.notes").fetchone() == (3,)
    role, claims, method = who(conn.cursor())
    assert role == "postgres"
    assert claims in ("", None) and method in ("", None)
    assert conn.execute("select count(*) from public.notes").fetchone() == (3,)


def test_rollback_also_on_error_and_commit_when_asked(conn: psycopg.Connection[Any]) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege), impersonate(
        conn, Actor.user(BOB)
    ) as cur:
        cur.execute("insert into public.notes (owner, body) values (%s, 'spoof')", (ALICE,))
    assert conn.execute("select current_user").fetchone() == ("postgres",)

    with impersonate(conn, Actor.user(BOB), commit=True) as cur:
        cur.execute("insert into public.notes (owner, body) values (%s, 'kept')", (BOB,))
    assert conn.execute("select current_user").fetchone() == ("postgres",)
    assert conn.execute(
        "select owner::text from public.notes where body = 'kept'"
    ).fetchall() == [(BOB,)]


def test_anon_is_refused_and_service_role_sees_everything(conn: psycopg.Connection[Any]) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege), impersonate(
        conn, Actor.anon()
    ) as cur:
        assert cur.execute("select current_user").fetchone() == ("anon",)
        cur.execute("select * from public.notes")
    with impersonate(conn, Actor.service_role()) as cur:
        role, claims, _ = who(cur)
        assert role == "service_role" and json.loads(claims)["role"] == "service_role"
        assert cur.execute("select count(*) from public.notes").fetchone() == (3,)


def test_no_claims_and_forged_claims(conn: psycopg.Connection[Any]) -> None:
    with impersonate(conn, Actor.no_claims()) as cur:
        role, claims, _ = who(cur)
        assert (role, claims) == ("authenticated", "")
        assert cur.execute("select count(*) from public.notes").fetchone() == (0,)
    forged = Actor.forged({"sub": BOB, "role": "service_role"})
    assert forged == Actor.forged({"role": "service_role", "sub": BOB})
    assert forged != Actor.forged({"sub": ALICE})
    with impersonate(conn, forged) as cur:
        role, claims, _ = who(cur)
        # The role claim does not change the database role; the policy trusts only sub.
        assert role == "authenticated"
        assert json.loads(claims) == {"sub": BOB, "role": "service_role"}
        assert cur.execute("select body from public.notes").fetchall() == [("bob 1",)]


def test_refuses_a_connection_inside_a_transaction(workspace: Workspace) -> None:
    with psycopg.connect(workspace.scratch_dsn) as conn:  # not autocommit
        conn.execute("select 1")
        with pytest.raises(ValueError, match="outside any transaction"), impersonate(
            conn, Actor.anon()
        ):
            pass


def test_user_claims_are_deterministic_given_a_clock() -> None:
    uid = uuid.UUID(ALICE)
    assert Actor.user(uid).claims(now=100) == Actor.user(ALICE).claims(now=100)
    assert Actor.user(uid).claims(now=100)["exp"] == 100 + 3600  # type: ignore[index]


@pytest.mark.skipif(shutil.which("psql") is None, reason="psql not installed")
def test_repro_sql_runs_in_psql_and_changes_nothing(workspace: Workspace) -> None:
    dsn = workspace.scratch_dsn
    actor = Actor.user(ALICE, "o'brien@example.com")  # a quote must survive the quoting
    script = repro_sql(
        actor,
        "select current_user, count(*), current_setting('request.jwt.claims')::jsonb->>'email'"
        " from public.notes;",
    )
    assert script.startswith("BEGIN;\nSELECT set_config('role', 'authenticated', true)")
    assert script.rstrip().endswith("ROLLBACK;")
    delete = repro_sql(Actor.user(ALICE), "delete from public.notes")

    out = subprocess.run(
        ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", dsn],
        input=script + delete, capture_output=True, text=True, timeout=60, check=True,
    ).stdout.splitlines()

    assert "authenticated|2|o'brien@example.com" in out
    with psycopg.connect(dsn) as conn:
        assert conn.execute("select count(*) from public.notes").fetchone() == (3,)
