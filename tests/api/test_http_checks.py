"""API010-API020 on the canonical schema, and each one firing on a schema made bad on purpose."""

from __future__ import annotations

import pytest

from harness.context import CheckContext
from tests.api.conftest import ApiContext, run, show

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("check_id", [
    pytest.param(c, marks=pytest.mark.proves(c, clean=True))
    for c in ("API010", "API011", "API012", "API013", "API014", "API015", "API020")
])
def test_clean_on_canonical(canonical_api: CheckContext, check_id: str) -> None:
    msgs: list[str] = []
    canonical_api.progress = msgs.append
    findings = run(check_id, canonical_api)
    assert not findings, show(findings)
    assert msgs, "the check recorded nothing it exercised"


EXPOSED_TO_ANON = """
create table public.scratchpad (id uuid primary key default gen_random_uuid(), body text);
grant select on public.scratchpad to anon, authenticated;
grant delete on public.system_logs to authenticated;
"""


@pytest.mark.proves("API010")
def test_api010_anon_exposure_unknown_table_and_unneeded_grant(api_context: ApiContext) -> None:
    with api_context(EXPOSED_TO_ANON) as ctx:
        findings = run("API010", ctx)
    messages = "\n".join(f.message for f in findings)
    assert "anon's OpenAPI document offers /scratchpad" in messages, messages
    assert "does not cover the table" in messages
    assert any(f.object == "api:/system_logs" and "DELETE" in f.message for f in findings)


# A trigger that counts into an internal table before the client's fields are validated.
COUNTER_TRIGGER = """
create table private.vendor_counters (warehouse_id uuid not null, n integer not null);
create function private.count_vendor() returns trigger language plpgsql security definer
set search_path = '' as $$
begin
  insert into private.vendor_counters values (new.warehouse_id, 1);
  return new;
end $$;
create trigger trg_00_count before insert on public.vendors
  for each row execute function private.count_vendor();
"""


@pytest.mark.proves("API011")
def test_api011_error_naming_an_internal_table(api_context: ApiContext) -> None:
    with api_context(COUNTER_TRIGGER) as ctx:
        findings = run("API011", ctx)
    vendors = [f for f in findings if f.object == "public.vendors"]
    assert vendors, show(findings)
    assert 'relation "vendor_counters"' in vendors[0].message
    assert str(vendors[0].details["curl"]).startswith("curl ")


# A computed relationship that bypasses RLS: requesters may read warehouses, not parts.
DEFINER_RELATIONSHIP = """
create function public.stocked_parts(public.warehouses) returns setof public.parts
language sql stable security definer set search_path = '' as $$
  select * from public.parts p where p.warehouse_id = $1.id
$$;
grant execute on function public.stocked_parts(public.warehouses) to authenticated;
"""


@pytest.mark.proves("API012")
def test_api012_embedding_through_a_definer_function(api_context: ApiContext) -> None:
    with api_context(DEFINER_RELATIONSHIP) as ctx:
        findings = run("API012", ctx)
    leaks = [f for f in findings if f.details["relationship"] == "stocked_parts"]
    assert leaks, show(findings)
    assert {f.details["role"] for f in leaks} >= {"requester", "contractor"}


# Rows visible to HEAD only: a policy that reads the request's method.
HEAD_POLICY = """
create policy parts_head on public.parts for select to authenticated
  using (current_setting('request.method', true) = 'HEAD');
"""


@pytest.mark.proves("API013")
def test_api013_head_counts_rows_get_hides(api_context: ApiContext) -> None:
    with api_context(HEAD_POLICY) as ctx:
        findings = run("API013", ctx)
    heads = [f for f in findings if f.details["method"] == "HEAD" and f.object == "public.parts"]
    assert heads, show(findings)
    assert any(f.details["role"] == "requester" for f in heads)


NO_RATE_LIMIT = """
create or replace function public.check_rate_limit() returns void
language sql volatile set search_path = '' as $$ select $$;
"""


@pytest.mark.proves("API014")
def test_api014_a_hook_that_limits_nothing(api_context: ApiContext) -> None:
    with api_context(NO_RATE_LIMIT) as ctx:
        findings = run("API014", ctx)
    assert len(findings) == 1, show(findings)
    assert "writes got through, limit 1000" in findings[0].message


# Technicians may update their own profile row; only a policy filter refuses the role change.
SILENT_REFUSAL = """
alter policy profiles_update on public.profiles
  using (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[])
         or (role <> 'admin'
             and warehouse_id = any ((select private.scope_for('{manager}'))::uuid[])))
  with check (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[])
              or (role <> 'admin'
                  and warehouse_id = any ((select private.scope_for('{manager}'))::uuid[])));
"""


@pytest.mark.proves("API015")
def test_api015_silent_no_op_is_a_finding(api_context: ApiContext) -> None:
    with api_context(SILENT_REFUSAL) as ctx:
        findings = run("API015", ctx)
    silent = [f for f in findings if f.object == "public.profiles.role"
              and f.details["role"] == "technician"]
    assert silent, show(findings)
    assert "silent no-op" in silent[0].message


NULL_SUB_POLICY = """
create policy notifications_null_sub on public.notifications for select to authenticated
  using (user_id is not distinct from (select auth.uid()) or (select auth.uid()) is null);
"""


@pytest.mark.proves("API020")
def test_api020_a_token_without_sub_reading_rows(api_context: ApiContext) -> None:
    with api_context(NULL_SUB_POLICY) as ctx:
        findings = run("API020", ctx)
    assert [f.object for f in findings] == ["public.notifications"], show(findings)
