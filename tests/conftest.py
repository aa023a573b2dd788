"""Shared fixtures: a real PostgreSQL server and small throwaway schema directories.

The server comes from DBH_TEST_DSN (default: the local server on 127.0.0.1:5432). These fixtures
are independent of the dbharness pytest plugin's dbh_* fixtures, which no test here requests.
"""

from __future__ import annotations

import os
import secrets
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from harness.config import HarnessConfig
from harness.schema_dir import SchemaDir
from harness.server import Server, open_server

pytest_plugins = ["pytester"]  # tests/test_plugin.py runs a child pytest

TEST_DSN = os.environ.get("DBH_TEST_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")

# Roles are cluster-wide and other runs may create them at the same moment: tolerate the race.
ROLES_BOOTSTRAP = """
do $$
begin
  if not exists (select from pg_roles where rolname = 'anon') then
    begin create role anon nologin noinherit; exception when duplicate_object then null; end;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticated') then
    begin create role authenticated nologin noinherit;
    exception when duplicate_object then null; end;
  end if;
  if not exists (select from pg_roles where rolname = 'service_role') then
    begin create role service_role nologin noinherit bypassrls;
    exception when duplicate_object then null; end;
  end if;
end
$$;
"""

# One tenant table with a policy reading the claims exactly as auth.uid() does on Supabase.
NOTES_MIGRATION = """
create table public.notes (
  id bigint generated always as identity primary key,
  owner uuid not null,
  body text not null
);
alter table public.notes enable row level security;
create policy notes_owner on public.notes for all to authenticated
  using (owner = (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')::uuid)
  with check (owner = (nullif(current_setting('request.jwt.claims', true), '')::jsonb
                       ->> 'sub')::uuid);
grant select, insert, update, delete on public.notes to authenticated, service_role;
"""

ALICE = "00000000-0000-4000-8000-00000000a11c"
BOB = "00000000-0000-4000-8000-000000000b0b"
NOTES_SEED = f"""
insert into public.notes (owner, body) values
  ('{ALICE}', 'alice 1'), ('{ALICE}', 'alice 2'), ('{BOB}', 'bob 1');
"""

SchemaFactory = Callable[..., SchemaDir]


@pytest.fixture(scope="session")
def test_server() -> Iterator[Server]:
    """The external server tests run against."""
    with open_server(HarnessConfig(dsn=TEST_DSN)) as server:
        yield server


@pytest.fixture
def make_schema(tmp_path: Path) -> SchemaFactory:
    """Write a schema directory: ``make_schema(migrations={...}, bootstrap={...}, seed={...})``."""

    def _make(
        migrations: dict[str, str],
        bootstrap: dict[str, str] | None = None,
        seed: dict[str, str] | None = None,
        name: str = "schema",
    ) -> SchemaDir:
        root = tmp_path / name
        for sub, files in (("migrations", migrations), ("bootstrap", bootstrap or {}),
                           ("seed", seed or {})):
            (root / sub).mkdir(parents=True, exist_ok=True)
            for fname, text in files.items():
                (root / sub / fname).write_text(textwrap.dedent(text), encoding="utf-8")
        return SchemaDir.open(root)

    return _make


@pytest.fixture
def notes_schema(make_schema: SchemaFactory) -> SchemaDir:
    """Roles bootstrap + the RLS-protected notes table + three seed rows."""
    return make_schema(
        migrations={"0001_notes.sql": NOTES_MIGRATION},
        bootstrap={"00_roles.sql": ROLES_BOOTSTRAP},
        seed={"01_notes.sql": NOTES_SEED},
    )


def database_names(server: Server) -> set[str]:
    with server.connect() as conn:
        return {r[0] for r in conn.execute("select datname from pg_database").fetchall()}


@pytest.fixture
def fresh_db(test_server: Server) -> Iterator[str]:
    """DSN of an empty database for one test (not via Workspace: migrate is tested alone)."""
    name = f"dbh_test_{secrets.token_hex(4)}"
    with test_server.connect() as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    try:
        yield test_server.dsn(name)
    finally:
        with test_server.connect() as conn:
            conn.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
            )


def scalar(dsn: str, query: str) -> object:
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(query).fetchone()
        return row[0] if row else None
