"""Fixtures for the catalog lint tests: a real scratch database per test module.

Imported by the test module rather than living in a conftest.py: other tests import their
conftest by the bare name ``conftest``, which a second conftest.py would shadow.

The base schema is loaded once into ``lint_<random>``; each known-bad case clones it (CREATE
DATABASE ... TEMPLATE), applies its SQL and is dropped afterwards, so cases never see each other.
Roles are cluster-wide: the Supabase API roles are created only if missing, and roles a case needs
to misconfigure get this module's random prefix and are dropped at the end.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from harness.config import HarnessConfig
from harness.context import CheckContext
from harness.schema_dir import SchemaDir
from tests.support import TEST_DSN

ADMIN_DSN = TEST_DSN

API_ROLES_SQL = """
do $$ begin
  create role {name} nologin noinherit {attrs};
exception when duplicate_object or unique_violation then null;  -- shared cluster: someone won
end $$;
"""
API_ROLES = {"anon": "", "authenticated": "", "service_role": "bypassrls"}

# A small schema every lint must find clean: RLS with a wrapped-claims policy, explicit grants,
# a security_invoker view, a trigger function and a safe dynamic-SQL function.
BASE_SQL = """
create table public.notes (
  id bigint generated always as identity primary key,
  owner text not null,
  body text
);
alter table public.notes enable row level security;
create policy notes_owner on public.notes for all to authenticated
  using (owner = (select current_setting('request.jwt.claims', true)::json ->> 'sub'))
  with check (owner = (select current_setting('request.jwt.claims', true)::json ->> 'sub'));
grant select, insert, update, delete on public.notes to authenticated;

-- partitions are read through the parent's policies: no RLS findings on them
create table public.events (id bigint not null, at date not null, primary key (id, at))
  partition by range (at);
create table public.events_2024 partition of public.events
  for values from ('2024-01-01') to ('2025-01-01');
alter table public.events enable row level security;
alter table public.events_2024 enable row level security;
create policy events_read on public.events for select to authenticated using (true);
grant select on public.events to authenticated;

create view public.notes_inv with (security_invoker = true) as select id, body from public.notes;
grant select on public.notes_inv to authenticated;

create function public.touch_notes() returns trigger language plpgsql set search_path = '' as $$
begin
  new.body := coalesce(new.body, '');
  return new;
end $$;
create trigger notes_touch before insert on public.notes
  for each row execute function public.touch_notes();

create function public.count_rows(tbl text, min_id bigint) returns bigint
language plpgsql set search_path = '' as $$
declare n bigint;
begin
  execute format('select count(*) from public.%I where id >= $1', tbl) into n using min_id;
  return n;
end $$;
revoke execute on function public.count_rows(text, bigint) from public;
grant execute on function public.count_rows(text, bigint) to authenticated;
"""


def _admin() -> psycopg.Connection[Any]:
    return psycopg.connect(ADMIN_DSN, autocommit=True)


def dsn_for(dbname: str) -> str:
    return psycopg.conninfo.make_conninfo(ADMIN_DSN, dbname=dbname)


def drop_database(name: str) -> None:
    with _admin() as conn:
        stmt = sql.SQL("drop database if exists {} with (force)")
        conn.execute(stmt.format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def role_prefix() -> Iterator[str]:
    """Prefix for roles a module creates; every role with it is dropped at module end."""
    prefix = f"lint_{uuid.uuid4().hex[:8]}"
    yield prefix
    with _admin() as conn:
        for (name,) in conn.execute(
            "select rolname from pg_roles where rolname like %s", [prefix + "%"]
        ).fetchall():
            conn.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def base_db() -> Iterator[str]:
    """Name of the module's database holding the clean base schema."""
    name = f"lint_{uuid.uuid4().hex[:12]}"
    with _admin() as conn:
        for role, attrs in API_ROLES.items():
            conn.execute(API_ROLES_SQL.format(name=role, attrs=attrs).encode())
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    try:
        with psycopg.connect(dsn_for(name), autocommit=True) as conn:
            conn.execute(BASE_SQL.encode())
        yield name
    finally:
        drop_database(name)


def make_context(dsn: str, root: Path, config: HarnessConfig | None = None) -> CheckContext:
    def unused() -> AbstractContextManager[str]:
        pytest.fail("these lints only read the catalog: no clone expected")

    return CheckContext(
        dsn=dsn, schema=SchemaDir(root), config=config or HarnessConfig(), seed=1, clone=unused
    )


@pytest.fixture(scope="module")
def base_ctx(base_db: str, tmp_path_factory: pytest.TempPathFactory) -> CheckContext:
    return make_context(dsn_for(base_db), tmp_path_factory.mktemp("schema"))


@pytest.fixture
def context_for(tmp_path: Path) -> Callable[[str, HarnessConfig], CheckContext]:
    """``context_for(dsn, config)``: a CheckContext on another database."""
    return lambda dsn, config: make_context(dsn, tmp_path, config)


@pytest.fixture
def variant(base_db: str) -> Callable[[str], AbstractContextManager[str]]:
    """``variant(sql)``: a clone of the base with ``sql`` applied; yields its DSN, then drops it."""

    @contextmanager
    def make(statements: str) -> Iterator[str]:
        name = f"{base_db}_{uuid.uuid4().hex[:6]}"
        with _admin() as conn:
            conn.execute(
                sql.SQL("create database {} template {}").format(
                    sql.Identifier(name), sql.Identifier(base_db)
                )
            )
        try:
            with psycopg.connect(dsn_for(name), autocommit=True) as conn:
                conn.execute(statements.encode())
            yield dsn_for(name)
        finally:
            drop_database(name)

    return make
