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
