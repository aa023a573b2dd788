"""SEC110: hostile sign-ups compared with a plain one, on small Supabase-style projects."""

from __future__ import annotations

from typing import Any

import pytest

from harness.events import CheckFinished, Status
from harness.server import Server
from tests.attacks.support import TENANT_APP, TENANT_SEED, replay, run_on, signup_trigger
from tests.support import SchemaFactory

ROLE_COPY = signup_trigger(
    "new.id, null, coalesce(new.raw_user_meta_data ->> 'role', 'member'),"
    " new.raw_user_meta_data ->> 'full_name'"
)
ADMIN_DOMAIN = signup_trigger(
    "new.id, null, case when new.email like '%@corp.example' then 'admin' else 'member' end,"
    " new.raw_user_meta_data ->> 'full_name'"
)
TENANT_COPY = signup_trigger(
    "new.id, (new.raw_user_meta_data ->> 'tenant_id')::uuid, 'member',"
    " new.raw_user_meta_data ->> 'full_name'"
)
CLEAN = signup_trigger("new.id, null, 'member', new.raw_user_meta_data ->> 'full_name'")


@pytest.mark.proves("SEC110")
def test_role_copied_from_metadata_is_found(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    replayed: list[tuple[Any, ...]] = []

    def replay_repro(verdicts: dict[str, CheckFinished], dsn: str) -> None:
        f = next(f for f in verdicts["SEC110"].findings
                 if f.object == "signup:user_metadata.role='admin'")
        replayed.extend(replay(dsn, f.repro_sql or ""))

    res = run_on(test_server, make_schema, TENANT_APP + ROLE_COPY, "SEC110", seed=TENANT_SEED,
                 then=replay_repro)
    r = res["SEC110"]
    assert r.status is Status.FAILED, r.error
    objects = {f.object for f in r.findings}
    assert "signup:user_metadata.role='admin'" in objects
    f = next(f for f in r.findings if f.object == "signup:user_metadata.role='admin'")
    assert f.severity is not None and f.severity.value == "critical"
    # the admin sees the three documents of both tenants, the plain user none
    assert f.details["access_gained"]["select public.documents"] == [0, 3]
    assert f.details["access_gained"]["update public.documents"] == [0, 3]
    assert f.details["access_gained"]["insert public.documents"] == [0, 1]  # refused to plain
    assert "public.profiles" in f.details["rows_differing"]
    assert f.repro_sql and "insert into auth.users" in f.repro_sql
    assert '"role": "admin"' in f.repro_sql
    # no other key than role is copied: every finding is a role variant
    assert all("role" in o for o in objects), objects
    assert r.stats["signed_up"] >= 10 and r.stats["probes"] > 0
    # the repro, pasted into psql on a fresh copy, shows the admin profile and the 3 documents
    assert any("admin" in str(row) for row in replayed), replayed
    assert (3,) in replayed, replayed


@pytest.mark.proves("SEC110")
def test_admin_granted_by_email_domain_is_found(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    r = run_on(test_server, make_schema, TENANT_APP + ADMIN_DOMAIN, "SEC110",
               seed=TENANT_SEED)["SEC110"]
    assert r.status is Status.FAILED, r.error
    assert "x@corp.example" in r.stats["email_shapes"]
    assert [f.object for f in r.findings] == ["signup:email=x@corp.example"]


@pytest.mark.proves("SEC110")
def test_tenant_id_copied_from_metadata_is_found(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    r = run_on(test_server, make_schema, TENANT_APP + TENANT_COPY, "SEC110",
               seed=TENANT_SEED)["SEC110"]
    assert r.status is Status.FAILED, r.error
    (f,) = r.findings
    assert f.object.startswith("signup:user_metadata.tenant_id=")
    # the existing tenant it claimed (the first by id: Acme, two documents)
    assert f.details["access_gained"] == {"select public.documents": [0, 2]}
    assert f.details["rows_differing"]["public.profiles"]["columns"].keys() == {"tenant_id"}


@pytest.mark.proves("SEC110", clean=True)
def test_clean_signup_trigger_passes(test_server: Server, make_schema: SchemaFactory) -> None:
    r = run_on(test_server, make_schema, TENANT_APP + CLEAN, "SEC110",
               seed=TENANT_SEED)["SEC110"]
    assert r.status is Status.PASSED, (r.error, r.findings)
    assert r.stats["signed_up"] >= 10
    assert r.stats["rows_created_by_plain"] == {"public.profiles": 1}


def test_no_auth_users_is_a_skip(test_server: Server, make_schema: SchemaFactory) -> None:
    r = run_on(test_server, make_schema, "create table public.t (id int primary key);",
               "SEC110", with_bootstrap=False)["SEC110"]
    assert r.status is Status.SKIPPED
    assert "auth.users" in (r.error or "")


# No trigger at all: a policy trusts the token's user_metadata, which the user writes.
METADATA_POLICY = """
create policy documents_meta_admin on public.documents for select to authenticated
  using ((auth.jwt() -> 'user_metadata' ->> 'clearance') = 'admin');
"""


@pytest.mark.proves("SEC110")
def test_policy_trusting_user_metadata_is_found(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    r = run_on(test_server, make_schema, TENANT_APP + CLEAN + METADATA_POLICY, "SEC110",
               seed=TENANT_SEED)["SEC110"]
    assert r.status is Status.FAILED, r.error
    assert "clearance" in r.stats["metadata_keys"]  # read from the policy's text
    (f,) = r.findings
    assert f.object == "signup:user_metadata.clearance='admin'"
    assert f.details["access_gained"] == {"select public.documents": [0, 3]}
    assert f.details["rows_differing"] == {}  # nothing stored: the token alone did it


# A B2B starter's sign-up: every user gets a personal team they own. Each sign-up's team id is
# new, so it differs between any two users without being anything the user chose.
PERSONAL_TEAM = """
create table public.teams (
  id uuid primary key default gen_random_uuid(),
  name text not null
);
create table public.team_members (
  team_id uuid not null references public.teams (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'member',
  primary key (team_id, user_id)
);
alter table public.teams enable row level security;
alter table public.team_members enable row level security;
create policy teams_mine on public.teams for select to authenticated
  using (id in (select team_id from public.team_members where user_id = (select auth.uid())));
create policy members_mine on public.team_members for select to authenticated
  using (user_id = (select auth.uid()));
grant select on public.teams, public.team_members to authenticated;
create function public.personal_team() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  team uuid;
begin
  insert into public.teams (name) values (coalesce(new.raw_user_meta_data ->> 'full_name', 'me'))
  returning id into team;
  insert into public.team_members (team_id, user_id, role) values (team, new.id, 'owner');
  return new;
end
$$;
create trigger personal_team after insert on auth.users
  for each row execute function public.personal_team();
"""


@pytest.mark.proves("SEC110", clean=True)
def test_a_personal_team_per_sign_up_is_no_finding(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    r = run_on(test_server, make_schema, PERSONAL_TEAM, "SEC110")["SEC110"]
    assert r.status is Status.PASSED, (r.error, r.findings)
    assert r.stats["rows_created_by_plain"] == {"public.team_members": 1}
