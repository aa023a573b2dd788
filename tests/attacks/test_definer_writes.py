"""SEC111: API-callable SECURITY DEFINER functions that write auth, storage or private tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from harness.events import CheckFinished, Status
from harness.server import Server
from tests.attacks.support import replay, run_on
from tests.support import SchemaFactory

NOTES = """
create table public.notes (id bigint generated always as identity primary key, body text);
alter table public.notes enable row level security;
grant select on public.notes to authenticated;
create schema private;
create table private.audit (at text, what text);
"""

# Anon may confirm anybody's email: the function runs as its owner, past auth's grants.
CONFIRM_ANYONE = """
create function public.confirm_user(target uuid) returns void
language sql security definer set search_path = '' as $$
  update auth.users set email_confirmed_at = now() where id = target
$$;
grant execute on function public.confirm_user(uuid) to anon;
"""

# Wipes a bucket, but only when told 'yes': the probe's arguments never say it, so only the
# source shows the write.
WIPE_BUCKET = """
create function public.wipe_avatars(really text) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if really <> 'yes' then
    raise exception 'refused' using errcode = 'P0001';
  end if;
  delete from storage.objects where bucket_id = 'avatars';
end
$$;
revoke execute on function public.wipe_avatars(text) from public, anon;
grant execute on function public.wipe_avatars(text) to authenticated;
"""

# The same functions, callable by the backend only; a definer function writing an exposed table.
CLEAN = (
    CONFIRM_ANYONE.replace("grant execute on function public.confirm_user(uuid) to anon;", "")
    + WIPE_BUCKET.replace("to authenticated;", "to service_role;")
    + """
revoke execute on function public.confirm_user(uuid) from public, anon, authenticated;
create function public.add_note(body text) returns void
language sql security definer set search_path = '' as $$
  insert into public.notes (body) values (body)
$$;
grant execute on function public.add_note(text) to authenticated;
"""
)

AUDITED = """
create function public.log_visit() returns void
language sql security definer set search_path = '' as $$
  insert into private.audit (at, what) values ('now', 'visit')
$$;
grant execute on function public.log_visit() to anon;
"""


@pytest.mark.proves("SEC111")
def test_anon_callable_definer_writing_auth_users_is_found(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    replayed: list[tuple[Any, ...]] = []

    def replay_confirm(verdicts: dict[str, CheckFinished], dsn: str) -> None:
        f = next(f for f in verdicts["SEC111"].findings if "confirm_user" in f.object)
        replayed.extend(replay(dsn, f.repro_sql or ""))

    r = run_on(test_server, make_schema, NOTES + CONFIRM_ANYONE + WIPE_BUCKET, "SEC111",
               then=replay_confirm)["SEC111"]
    assert r.status is Status.FAILED, r.error
    by = {f.object: f for f in r.findings}
    assert set(by) == {"public.confirm_user(uuid)", "public.wipe_avatars(text)"}
    confirm = by["public.confirm_user(uuid)"]
    assert confirm.severity is not None and confirm.severity.value == "critical"
    assert confirm.details["changed"] == {"auth.users": 1}  # the other user's row, by the call
    assert confirm.repro_sql and "'anon'" in confirm.repro_sql
    assert "confirm_user" in confirm.repro_sql
    wipe = by["public.wipe_avatars(text)"]  # static evidence only
    assert wipe.details["changed"] == {}
    assert wipe.details["static_writes"] == ["DELETE storage.objects"]
    assert wipe.severity is not None and wipe.severity.value == "high"
    # confirm_user: anon and authenticated (PUBLIC), own id then the victim's; wipe_avatars once
    assert r.stats["functions"] == 2 and r.stats["calls"] == 5
    # replayed on a fresh copy: anon confirmed the email of a user (one of the two signed up)
    def stamps(email: str) -> int:  # timestamps set on that user's row (created, confirmed...)
        (row,) = [row for row in replayed if email in row]
        return sum(isinstance(v, datetime) for v in row)

    got = sorted([stamps("definer-victim@example.com"), stamps("definer-caller@example.com")])
    assert got[1] > got[0], replayed  # email_confirmed_at (and GoTrue's derived confirmed_at)


@pytest.mark.proves("SEC111", clean=True)
def test_definer_functions_kept_from_the_api_pass(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    r = run_on(test_server, make_schema, NOTES + CLEAN, "SEC111")["SEC111"]
    assert r.status is Status.PASSED, (r.error, r.findings)
    assert r.findings == ()
    # add_note (EXECUTE by PUBLIC: anon and authenticated call it) wrote an exposed table
    assert r.stats["functions"] == 1 and r.stats["calls"] == 2


def test_writes_to_a_private_schema_are_info(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    r = run_on(test_server, make_schema, NOTES + AUDITED, "SEC111")["SEC111"]
    assert r.status is Status.PASSED, r.error  # info does not fail a run
    (f,) = r.findings
    assert f.object == "public.log_visit()" and f.details["changed"] == {"private.audit": 1}
    assert f.severity is not None and f.severity.value == "info"


def test_no_callable_definer_function_is_a_skip(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    r = run_on(test_server, make_schema, NOTES, "SEC111")["SEC111"]
    assert r.status is Status.SKIPPED and "SECURITY DEFINER" in (r.error or "")


HOOK = """
create function public.pre_request() returns void
language plpgsql security invoker set search_path = '' as $$
begin
  perform public.log_visit();
end
$$;
"""


def test_the_pre_request_hook_and_what_it_calls_are_exempt(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    r = run_on(test_server, make_schema, NOTES + AUDITED + HOOK, "SEC111",
               pre_request="public.pre_request")["SEC111"]
    assert r.status is Status.PASSED and r.findings == (), (r.error, r.findings)
    assert r.stats["pre_request_exempt"] == ["public.log_visit()"]


# A signed-up user may delete their own account (a feature) and raise their own role (a hole).
SELF_SERVICE = """
create function public.delete_my_account() returns void
language sql security definer set search_path = '' as $$
  delete from auth.users where id = auth.uid()
$$;
create function public.set_my_plan(plan text) returns void
language sql security definer set search_path = '' as $$
  update auth.users set raw_app_meta_data = raw_app_meta_data || jsonb_build_object('plan', plan)
  where id = auth.uid()
$$;
revoke execute on function public.delete_my_account(), public.set_my_plan(text) from public, anon;
grant execute on function public.delete_my_account(), public.set_my_plan(text) to authenticated;
"""


def test_own_account_deletion_is_info_and_own_app_metadata_is_critical(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    r = run_on(test_server, make_schema, NOTES + SELF_SERVICE, "SEC111")["SEC111"]
    assert r.status is Status.FAILED, r.error
    by = {f.object: f for f in r.findings}
    own = by["public.delete_my_account()"]
    assert own.severity is not None and own.severity.value == "info"
    assert "only the caller's own rows of auth.users" in own.message
    plan = by["public.set_my_plan(text)"]
    assert plan.severity is not None and plan.severity.value == "critical"
    assert "raw_app_meta_data" in plan.message
