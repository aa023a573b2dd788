"""Small Supabase-style projects for the attack checks, and running checks on them.

Each project carries the Supabase stand-in of schema/bootstrap as its bootstrap (only the
auth.users columns every version of it has are relied on), a migration and a seed. They were
written for these tests: a tenant app whose sign-up trigger is bad in one way or another, and
clean controls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg

from harness.config import ApiSettings, HarnessConfig
from harness.events import CheckFinished
from harness.registry import REGISTRY, load_suites
from harness.runner import run_checks
from harness.server import Server
from harness.workspace import Workspace, make_context
from tests.support import BOOTSTRAP, SchemaFactory

TENANT_A = "00000000-0000-4000-8000-0000000000a1"
TENANT_B = "00000000-0000-4000-8000-0000000000b2"

# Two tenants and their documents; a profile per user says tenant and role. Admins see every
# document, members their tenant's. The sign-up trigger is added by each case.
TENANT_APP = """
create table public.tenants (id uuid primary key, name text not null);
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  tenant_id uuid references public.tenants (id),
  role text not null default 'member' check (role in ('member', 'admin')),
  full_name text
);
create table public.documents (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.tenants (id),
  title text not null
);
alter table public.tenants enable row level security;
alter table public.profiles enable row level security;
alter table public.documents enable row level security;

create function public.my_tenant() returns uuid
language sql stable security definer set search_path = '' as $$
  select tenant_id from public.profiles where id = auth.uid()
$$;
create function public.is_admin() returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((select role = 'admin' from public.profiles where id = auth.uid()), false)
$$;
revoke execute on function public.my_tenant(), public.is_admin() from public, anon;
grant execute on function public.my_tenant(), public.is_admin() to authenticated;

create policy profiles_self on public.profiles for select to authenticated
  using (id = (select auth.uid()));
create policy documents_read on public.documents for select to authenticated
  using (tenant_id = (select public.my_tenant()) or (select public.is_admin()));
create policy documents_admin on public.documents for update to authenticated
  using ((select public.is_admin()));
create policy documents_admin_new on public.documents for insert to authenticated
  with check ((select public.is_admin()));
grant select on public.tenants, public.profiles to authenticated;
grant select, insert, update on public.documents to authenticated;
"""

TENANT_SEED = f"""
insert into public.tenants (id, name) values ('{TENANT_A}', 'Acme'), ('{TENANT_B}', 'Bolt');
insert into public.documents (tenant_id, title) values
  ('{TENANT_A}', 'acme plan'), ('{TENANT_A}', 'acme budget'), ('{TENANT_B}', 'bolt secrets');
"""


def signup_trigger(profile_values: str) -> str:
    """A SECURITY DEFINER sign-up trigger inserting (id, tenant_id, role, full_name)."""
    return f"""
create function public.handle_new_user() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.profiles (id, tenant_id, role, full_name)
  values ({profile_values});
  return new;
end
$$;
create trigger on_auth_user_created after insert on auth.users
  for each row execute function public.handle_new_user();
"""


def bootstrap() -> dict[str, str]:
    """The Supabase stand-in, as the project's bootstrap."""
    return {f.name: f.read_text(encoding="utf-8") for f in sorted(BOOTSTRAP.glob("*.sql"))}


def run_on(
    server: Server,
    make_schema: SchemaFactory,
    migration: str,
    *check_ids: str,
    seed: str = "",
    with_bootstrap: bool = True,
    options: dict[str, Any] | None = None,
    pre_request: str | None = None,
    then: Callable[[dict[str, CheckFinished], str], None] | None = None,
) -> dict[str, CheckFinished]:
    """Apply the project on ``server`` and run ``check_ids`` on it; return their verdicts.

    ``then(verdicts, dsn)`` runs before the project is dropped, on a fresh copy of it (to
    replay a finding's repro SQL, for instance).
    """
    schema = make_schema(
        migrations={"0001_app.sql": migration},
        bootstrap=bootstrap() if with_bootstrap else {},
        seed={"01_seed.sql": seed} if seed else {},
    )
    load_suites()
    config = HarnessConfig(options=dict(options or {}), api=ApiSettings(pre_request=pre_request))
    with Workspace(server, schema, seed_data=True) as ws:
        ctx = make_context(ws, config)
        result = run_checks(ctx, [REGISTRY.get(c) for c in check_ids], [])
        verdicts = {r.check.id: r for r in result.results}
        if then is not None:
            with ws.clone() as dsn:
                then(verdicts, dsn)
    return verdicts


def replay(dsn: str, script: str) -> list[tuple[Any, ...]]:
    """Run a repro script as psql would (one string, many statements); return every row."""
    rows: list[tuple[Any, ...]] = []
    with psycopg.connect(dsn, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(script.encode())
        while True:
            if cur.description is not None:
                rows.extend(cur.fetchall())
            if not cur.nextset():
                break
    return rows
