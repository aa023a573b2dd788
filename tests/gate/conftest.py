"""A throwaway git repository holding a small schema, committed as the base revision."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import TEST_DSN

REPO_ROOT = Path(__file__).resolve().parents[2]
ADMIN_DSN = TEST_DSN

BOOTSTRAP = """\
-- roles Supabase provides; a stand-in on vanilla PostgreSQL
do $$
begin
  if not exists (select from pg_roles where rolname = 'anon') then
    create role anon nologin;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin;
  end if;
end
$$;
"""

MIGRATION_1 = """\
create table public.warehouses (
  id uuid primary key default gen_random_uuid(),
  name text not null
);

create table public.parts (
  id bigint generated always as identity primary key,
  warehouse_id uuid not null references public.warehouses (id),
  part_number text not null,
  quantity_on_hand integer not null default 0,
  notes text,
  constraint parts_quantity_on_hand_check check (quantity_on_hand >= 0)
);

create index parts_warehouse_id_idx on public.parts (warehouse_id);
alter table public.parts enable row level security;
create policy parts_select on public.parts for select to authenticated using (true);
grant select on public.parts to authenticated;
"""

MIGRATION_2 = """\
create table public.vendors (
  id bigint generated always as identity primary key,
  name text not null
);
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.email=gate@test", "-c", "user.name=gate", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with schema/ (bootstrap + two migrations) committed as HEAD."""
    root = tmp_path / "repo"
    schema = root / "schema"
    (schema / "bootstrap").mkdir(parents=True)
    (schema / "migrations").mkdir()
    (schema / "bootstrap" / "0000_roles.sql").write_text(BOOTSTRAP)
    (schema / "migrations" / "0001_parts.sql").write_text(MIGRATION_1)
    (schema / "migrations" / "0002_vendors.sql").write_text(MIGRATION_2)
    shutil.copy(REPO_ROOT / ".sqlfluff", root / ".sqlfluff")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


@pytest.fixture
def add_migration(repo: Path) -> Callable[[str, str], Path]:
    """Write a new migration into the work tree (uncommitted, like a developer's change)."""

    def add(name: str, sql: str) -> Path:
        path = repo / "schema" / "migrations" / name
        path.write_text(sql)
        return path

    return add


@pytest.fixture
def admin_dsn() -> str:
    return ADMIN_DSN


# A small multi-tenant schema for the catalog comparison: tenant tables joined by a composite
# foreign key, permissive and restrictive policies, forced RLS, an audit trigger, a
# security_invoker view and a function with its EXECUTE granted narrowly; plus seed rows.
CATALOG_MIGRATION = """\
create table public.warehouses (
  id uuid primary key default gen_random_uuid(),
  name text not null
);

create table public.equipment (
  id uuid primary key default gen_random_uuid(),
  warehouse_id uuid not null references public.warehouses (id),
  name text not null,
  constraint equipment_warehouse_id_id_key unique (warehouse_id, id)
);

create table public.work_orders (
  id uuid primary key default gen_random_uuid(),
  warehouse_id uuid not null references public.warehouses (id),
  equipment_id uuid,
  title text not null,
  status text not null default 'open',
  constraint work_orders_status_check check (status in ('open', 'done')),
  constraint work_orders_equipment_fk foreign key (warehouse_id, equipment_id)
  references public.equipment (warehouse_id, id)
);

create index work_orders_equipment_idx on public.work_orders (warehouse_id, equipment_id);
create index work_orders_title_idx on public.work_orders (title);

create table public.audit_log (
  id bigint generated always as identity primary key,
  table_name text not null
);

create function public.current_warehouse() returns uuid
language sql stable
set search_path = ''
as $$ select nullif(current_setting('app.warehouse', true), '')::uuid $$;

create function public.audit() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  insert into public.audit_log (table_name) values (tg_table_name);
  return null;
end
$$;

create trigger work_orders_audit after insert or update or delete on public.work_orders
for each row execute function public.audit();

create function public.open_count() returns bigint
language sql stable
set search_path = ''
as $$ select count(*) from public.work_orders where status = 'open' $$;
revoke execute on function public.open_count() from public;
grant execute on function public.open_count() to authenticated;

alter table public.equipment enable row level security;
alter table public.work_orders enable row level security;
alter table public.work_orders force row level security;

create policy equipment_read on public.equipment for select to authenticated
using (warehouse_id = (select public.current_warehouse()));
create policy work_orders_read on public.work_orders for select to authenticated
using (warehouse_id = (select public.current_warehouse()));
create policy work_orders_insert on public.work_orders for insert to authenticated
with check (warehouse_id = (select public.current_warehouse()));
create policy work_orders_update on public.work_orders for update to authenticated
using (warehouse_id = (select public.current_warehouse()));
create policy work_orders_not_done on public.work_orders as restrictive for update
to authenticated using (status <> 'done');

create view public.open_work_orders with (security_invoker = true) as
select id, title from public.work_orders where status = 'open';

grant select on public.equipment to authenticated;
grant select, insert, update on public.work_orders to authenticated;
grant select on public.open_work_orders to authenticated;
"""

CATALOG_SEED = """\
insert into public.warehouses (id, name) values
('00000000-0000-4000-8000-000000000001', 'north');
insert into public.equipment (id, warehouse_id, name) values
('00000000-0000-4000-8000-0000000000e1', '00000000-0000-4000-8000-000000000001', 'press');
insert into public.work_orders (warehouse_id, equipment_id, title) values
('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000e1', 'oil');
"""


@pytest.fixture
def catalog_repo(tmp_path: Path) -> Path:
    """A git repository whose schema/ (the tenant schema above, with seed) is HEAD."""
    root = tmp_path / "catalog"
    schema = root / "schema"
    for sub in ("bootstrap", "migrations", "seed"):
        (schema / sub).mkdir(parents=True)
    (schema / "bootstrap" / "0000_roles.sql").write_text(BOOTSTRAP)
    (schema / "migrations" / "0001_tenancy.sql").write_text(CATALOG_MIGRATION)
    (schema / "seed" / "0001_demo.sql").write_text(CATALOG_SEED)
    shutil.copy(REPO_ROOT / ".sqlfluff", root / ".sqlfluff")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root
