"""harness.access.owners: owner columns read from the policies' syntax trees."""

from __future__ import annotations

import psycopg
import pytest

from harness.access import policy_expr
from harness.access.owners import owner_columns
from tests.support import ROLES_BOOTSTRAP, scratch_database

TABLES = """
create schema auth;
create function auth.uid() returns uuid language sql stable
  as $$ select (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')::uuid $$;
create table public.docs (id int primary key, owner_id uuid, body text);
create table public.posts (id int primary key, author uuid, org int);
create table public.members (org int, user_id uuid);
create table public.shared (id int primary key, user_id uuid, org int);
alter table public.docs enable row level security;
alter table public.posts enable row level security;
alter table public.shared enable row level security;
create policy docs_read on public.docs for select to authenticated
  using (owner_id = (select auth.uid()));
create policy docs_write on public.docs for update to public
  using (auth.uid() = owner_id) with check (auth.uid() = owner_id);
create policy posts_anon on public.posts for select to anon using (author = auth.uid());
create policy posts_claims on public.posts for insert to authenticated
  with check (author::text = current_setting('request.jwt.claims', true)::json ->> 'sub');
-- membership through a join: user_id there is the members table's, not shared's
create policy shared_members on public.shared for select to authenticated
  using (exists (select 1 from public.members m where m.user_id = auth.uid() and m.org = org));
"""


@pytest.mark.parametrize(
    ("expr", "cols"),
    [
        ("(owner = ( SELECT auth.uid() AS uid))", {"owner"}),
        ("((auth.uid())::text = (user_id)::text)", {"user_id"}),
        ("(owner = (auth.jwt() ->> 'sub'::text)::uuid)", {"owner"}),
        ("(owner = (nullif(current_setting('request.jwt.claims', true), '')::jsonb"
         " ->> 'sub')::uuid)", {"owner"}),
        ("(owner = current_setting('request.jwt.claim.sub', true)::uuid)", {"owner"}),
        ("(bucket_id = 'avatars'::text)", set()),
        ("(owner = (auth.jwt() ->> 'email'::text))", set()),
        ("(EXISTS ( SELECT 1 FROM m WHERE ((m.user_id = auth.uid()) AND (m.org = t.org))))", set()),
        ("not sql at all (", set()),
    ],
)
def test_owner_columns_of_an_expression(expr: str, cols: set[str]) -> None:
    assert policy_expr.owner_columns_of(policy_expr.parse(expr)) == cols


def test_owner_columns_of_a_schema() -> None:
    with scratch_database("dbh_owners") as dsn, psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(ROLES_BOOTSTRAP.encode())
        conn.execute(TABLES.encode())
        found = owner_columns(conn, ("public",))
    got = {(o.table, o.column): (set(o.commands), o.policies, o.type) for o in found}
    assert got == {
        ("docs", "owner_id"): ({"SELECT", "UPDATE"}, ("docs_read", "docs_write"), "uuid"),
        # posts_anon applies to anon only: not a signed-up user's promise
        ("posts", "author"): ({"INSERT"}, ("posts_claims",), "uuid"),
    }
    assert found[0].qualified == "public.docs"


@pytest.mark.parametrize(
    ("expr", "required"),
    [
        ("(owner = auth.uid())", True),
        ("((owner = auth.uid()) AND (NOT archived))", True),
        ("(published OR (owner = ( SELECT auth.uid() AS uid)))", False),
        ("((owner = auth.uid()) OR (auth.uid() = owner))", True),
        ("(NOT (owner = auth.uid()))", False),
        ("true", False),
    ],
)
def test_requires_owner(expr: str, required: bool) -> None:
    assert policy_expr.requires_owner(policy_expr.parse(expr), "owner") is required
