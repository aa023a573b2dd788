"""harness.signup: a sign-up as GoTrue does it, with the project's triggers in the loop."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from harness.impersonate import impersonate
from harness.signup import SignupRefused, has_auth_users, persona_id, sign_up
from tests.support import BOOTSTRAP, scratch_database

# A profile per user, made by a SECURITY DEFINER trigger that (wrongly) trusts the metadata.
PROFILES = """
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  role text not null default 'member' check (role in ('member', 'admin')),
  display_name text
);
alter table public.profiles enable row level security;
create policy profiles_self on public.profiles for select to authenticated
  using (id = auth.uid());
grant select on public.profiles to authenticated;

create function public.on_signup() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.email like '%@blocked.example' then
    raise exception 'blocked domain' using errcode = 'P0001';
  end if;
  insert into public.profiles (id, role, display_name)
  values (new.id, coalesce(new.raw_user_meta_data ->> 'role', 'member'),
          new.raw_user_meta_data ->> 'name');
  update auth.users set raw_app_meta_data = raw_app_meta_data || '{"plan": "free"}'
  where id = new.id;
  return new;
end
$$;
create trigger on_signup after insert on auth.users
  for each row execute function public.on_signup();
"""


@pytest.fixture
def conn() -> Any:
    with scratch_database("dbh_signup") as dsn, psycopg.connect(dsn, autocommit=True) as c:
        for f in sorted(BOOTSTRAP.glob("*.sql")):
            c.execute(f.read_text(encoding="utf-8").encode())
        c.execute(PROFILES.encode())
        yield c


def test_sign_up_runs_the_triggers_and_returns_what_the_token_carries(
    conn: psycopg.Connection[Any],
) -> None:
    user = sign_up(conn, email="ada@example.com", user_metadata={"name": "Ada"})
    assert user.user_id == persona_id("ada@example.com")
    assert conn.execute(
        "select role, display_name from public.profiles where id = %s", (user.user_id,)
    ).fetchone() == ("member", "Ada")
    # what the trigger wrote into raw_app_meta_data reaches the token's app_metadata
    assert user.app_metadata["plan"] == "free"
    assert user.app_metadata["provider"] == "email"
    claims = user.actor.claims(now=0)
    assert claims is not None
    assert claims["user_metadata"] == {"name": "Ada"}
    assert claims["app_metadata"]["plan"] == "free"
    with impersonate(conn, user.actor) as cur:
        assert cur.execute("select count(*) from public.profiles").fetchone() == (1,)


def test_hostile_metadata_goes_where_the_trigger_puts_it(conn: psycopg.Connection[Any]) -> None:
    mallory = sign_up(conn, email="mallory@example.com", user_metadata={"role": "admin"})
    assert conn.execute(
        "select role from public.profiles where id = %s", (mallory.user_id,)
    ).fetchone() == ("admin",)


def test_a_refused_sign_up_leaves_nothing(conn: psycopg.Connection[Any]) -> None:
    with pytest.raises(SignupRefused) as err:
        sign_up(conn, email="eve@blocked.example")
    assert err.value.sqlstate == "P0001"
    assert conn.execute("select count(*) from auth.users").fetchone() == (0,)
    assert conn.execute("select count(*) from public.profiles").fetchone() == (0,)


def test_no_auth_schema_is_a_lookup_error() -> None:
    with scratch_database("dbh_signup_plain") as dsn, psycopg.connect(dsn, autocommit=True) as c:
        assert not has_auth_users(c)
        with pytest.raises(LookupError):
            sign_up(c, email="x@example.com")
