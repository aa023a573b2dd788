"""Constants and helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

from harness.platform import SUPABASE_SQL, profile
from harness.schema_dir import SchemaDir
from harness.server import Server

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


def database_names(server: Server) -> set[str]:
    with server.connect() as conn:
        return {r[0] for r in conn.execute("select datname from pg_database").fetchall()}


def scalar(dsn: str, query: str) -> object:
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(query).fetchone()
        return row[0] if row else None


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """An empty, uniquely named database on the test server, dropped afterwards; yields its DSN."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(TEST_DSN, autocommit=True) as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    try:
        yield psycopg.conninfo.make_conninfo(TEST_DSN, dbname=name)
    finally:
        with psycopg.connect(TEST_DSN, autocommit=True) as admin:
            admin.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
            )


# The Supabase base the harness provisions (harness.platform, profile "supabase"): roles,
# ``authenticator``, auth, storage, extensions. Plain SQL files, run in name order.
BOOTSTRAP = SUPABASE_SQL
SUPABASE = profile("supabase")


@contextmanager
def notes_dsn() -> Iterator[str]:
    """A scratch database with the Supabase base (roles, ``authenticator``) and notes."""
    with scratch_database("dbh_notes") as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            for f in sorted(BOOTSTRAP.glob("*.sql")):
                conn.execute(f.read_text(encoding="utf-8").encode())
            conn.execute(NOTES_MIGRATION.encode())
            conn.execute(NOTES_SEED.encode())
        yield dsn
