"""SEC112: one signed-up user against another's rows, where policies compare an owner column."""

from __future__ import annotations

from typing import Any

import pytest

from harness.events import Status
from harness.server import Server
from tests.attacks.support import replay, run_on
from tests.support import SchemaFactory

TODOS = """
create table public.todos (
  id bigint generated always as identity primary key,
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  task text not null,
  done boolean not null default false
);
alter table public.todos enable row level security;
create policy todos_select on public.todos for select to authenticated
  using (user_id = (select auth.uid()));
create policy todos_insert on public.todos for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy todos_delete on public.todos for delete to authenticated
  using (user_id = (select auth.uid()));
grant select, insert, update, delete on public.todos to authenticated;
"""
# Meant as "users may tick their todos", reads as "anyone may change any todo".
LEAKY_UPDATE = """
create policy todos_update on public.todos for update to authenticated using (true);
"""
OWNER_UPDATE = """
create policy todos_update on public.todos for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
"""
# Profiles everyone may read (by design), each written by its owner only; made at sign-up.
PROFILES = """
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  username text
);
alter table public.profiles enable row level security;
create policy profiles_read on public.profiles for select to authenticated using (true);
create policy profiles_own on public.profiles for update to authenticated
  using (id = (select auth.uid()));
grant select, update (username) on public.profiles to authenticated;
create function public.new_profile() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.profiles (id, username) values (new.id, split_part(new.email, '@', 1));
  return new;
end
$$;
create trigger new_profile after insert on auth.users
  for each row execute function public.new_profile();
"""
# Same table, but the update policy forgets WITH CHECK: B cannot reach A's row, only its own.
NO_WITH_CHECK = """
create policy todos_update on public.todos for update to authenticated
  using (user_id = (select auth.uid()));
"""


@pytest.mark.proves("SEC112")
def test_using_true_update_policy_leaks_rows_across_owners(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    replayed: list[tuple[Any, ...]] = []
    r = run_on(test_server, make_schema, TODOS + LEAKY_UPDATE + PROFILES, "SEC112",
               then=lambda v, dsn: replayed.extend(replay(dsn, v["SEC112"].findings[0].repro_sql
                                                          or "")))["SEC112"]
    assert r.status is Status.FAILED, r.error
    (f,) = r.findings
    assert f.object == "public.todos.user_id"
    attempts = f.details["attempts"]
    assert attempts["read"] == "0 row(s)"  # the select policy holds...
    assert attempts["delete"] == "no effect"
    # ...but the update policy admits every row when the statement reads none of them
    assert attempts["update (no filter)"] == "reached it"
    assert attempts["take over (no filter)"] == "reached it"
    assert attempts["update"] == "no effect"  # a filter reads the row: the select policy applies
    assert f.severity is None  # the check's own: critical
    assert f.repro_sql and "update" in f.repro_sql and "'authenticated'" in f.repro_sql
    # the profile (made by the sign-up trigger) is readable by design and written by its owner
    assert r.stats["tables_tested"] == 2 and r.stats["untested"] == {}
    # replayed on a fresh copy, B's unfiltered update rewrote A's todo
    assert any("dbh: changed by another user" in row for row in replayed), replayed


@pytest.mark.proves("SEC112", clean=True)
def test_owner_policies_on_every_command_pass(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    r = run_on(test_server, make_schema, TODOS + OWNER_UPDATE + PROFILES, "SEC112")["SEC112"]
    assert r.status is Status.PASSED, (r.error, r.findings)
    # todos: read + 3 writes x 2 forms; profiles: update x 2 forms (no delete grant, open read)
    assert r.stats["attempts"] == 9 and r.stats["succeeded"] == 0


def test_a_missing_with_check_alone_is_no_cross_owner_leak(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    r = run_on(test_server, make_schema, TODOS + NO_WITH_CHECK, "SEC112")["SEC112"]
    assert r.status is Status.PASSED, (r.error, r.findings)


def test_no_owner_policy_is_a_skip(test_server: Server, make_schema: SchemaFactory) -> None:
    r = run_on(test_server, make_schema, "create table public.t (id int);", "SEC112")["SEC112"]
    assert r.status is Status.SKIPPED and "auth.uid()" in (r.error or "")


# Published posts are for everyone; drafts for their author. A new post is published by default.
POSTS = """
create table public.posts (
  id bigint generated always as identity primary key,
  author uuid not null references auth.users (id),
  body text not null,
  published boolean not null default true
);
alter table public.posts enable row level security;
create policy posts_read on public.posts for select to authenticated
  using (published or author = (select auth.uid()));
create policy posts_write on public.posts for all to authenticated
  using (author = (select auth.uid())) with check (author = (select auth.uid()));
grant select, insert, update, delete on public.posts to authenticated;
"""


@pytest.mark.proves("SEC112")
def test_a_read_through_a_policy_without_owner_test_is_a_milder_finding(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    r = run_on(test_server, make_schema, POSTS, "SEC112")["SEC112"]
    assert r.status is Status.FAILED, r.error
    (f,) = r.findings
    assert f.details["attempts"]["read"] == "1 row(s)"
    assert {v for k, v in f.details["attempts"].items() if k != "read"} == {"no effect"}
    assert f.severity is not None and f.severity.value == "medium"
    assert "posts_read" in f.message and "shared on purpose?" in f.message
