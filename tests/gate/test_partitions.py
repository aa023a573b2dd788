"""Range partitions created by date are described, never listed: dump, snapshots, findings.

Two schemas another team could have written: pg_partman's create_parent (daily partitions
around now()), and a function a migration calls that creates monthly partitions from a fixed
month up to now() + 3 months (as the canonical 0005_audit.sql does), with one index made on
one of those partitions only.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from harness.commands.dump_schema import build_dump
from harness.gate.catalog import snapshot_of
from harness.gate.pipeline import GateOptions, run_gate
from harness.gate.scratch import scratch_database
from harness.migrate import apply_schema
from harness.schema_dir import SchemaDir
from tests.gate.conftest import BOOTSTRAP, REPO_ROOT, git

PARTMAN = """\
create schema if not exists partman;
create extension if not exists pg_partman schema partman;

create table public.events (
  id bigint generated always as identity,
  created_at timestamptz not null default now(),
  tenant_id uuid not null,
  payload jsonb,
  primary key (id, created_at)
) partition by range (created_at);

create index events_tenant_idx on public.events (tenant_id, created_at);
select partman.create_parent('public.events', 'created_at', 'native', 'daily', p_premake := 4);
alter table public.events enable row level security;
"""

MONTHLY = """\
create schema if not exists history;

create table public.logs (
  id bigint generated always as identity,
  created_at timestamptz not null default now(),
  body text,
  primary key (id, created_at)
) partition by range (created_at);

create table history.logs_default partition of public.logs default;

create function history.ensure_logs(months_ahead integer) returns void
language plpgsql
set search_path = ''
as $$
declare
  m date := date '2024-01-01';
begin
  while m <= (date_trunc('month', now()) + make_interval(months => months_ahead))::date loop
    if to_regclass(format('history.logs_%s', to_char(m, 'YYYYMM'))) is null then
      execute format(
        'create table history.%I partition of public.logs for values from (%L) to (%L)',
        'logs_' || to_char(m, 'YYYYMM'), m, (m + interval '1 month')::date);
      execute format('alter table history.%I enable row level security',
                     'logs_' || to_char(m, 'YYYYMM'));
    end if;
    m := (m + interval '1 month')::date;
  end loop;
end
$$;

select history.ensure_logs(3);
-- an index only the first month has: partition-specific, so the dump must still show it
create index logs_202401_body_idx on history.logs_202401 (body);
"""

LEAF_NAME = re.compile(r"events_p\d{4}|logs_20\d{4}\b")


def _schema(tmp_path: Path, sql: str) -> SchemaDir:
    root = tmp_path / "schema"
    (root / "bootstrap").mkdir(parents=True)
    (root / "migrations").mkdir()
    (root / "bootstrap" / "0000_roles.sql").write_text(BOOTSTRAP)
    (root / "migrations" / "0001_partitions.sql").write_text(sql)
    return SchemaDir.open(root)


def test_dump_describes_pg_partman_partitions(tmp_path: Path, admin_dsn: str) -> None:
    dump = build_dump(admin_dsn, _schema(tmp_path, PARTMAN))
    assert not LEAF_NAME.search(dump), "a date-created partition is listed in the dump"
    assert "ATTACH PARTITION public.events_default DEFAULT" in dump  # the default stays
    assert "PARTITION BY RANGE (created_at)" in dump  # the key stays
    section = dump[dump.index("Type: RANGE PARTITIONS; Schema: public") :]
    assert "-- kind 1:" in section and "-- kind 2:" not in section
    assert "schema public" in section


def test_partition_specific_objects_still_show(tmp_path: Path, admin_dsn: str) -> None:
    schema = _schema(tmp_path, MONTHLY)
    dump = build_dump(admin_dsn, schema)
    assert not LEAF_NAME.search(dump)
    assert "ATTACH PARTITION history.logs_default DEFAULT" in dump
    section = dump[dump.index("Type: RANGE PARTITIONS; Schema: public") :]
    kinds = section.split("-- kind ")[1:]
    assert len(kinds) == 2  # the first month (with its own index) and every other month
    special = [k for k in kinds if "<partition>_body_idx" in k]
    assert len(special) == 1
    assert "CREATE INDEX <partition>_body_idx ON <partition> USING btree (body)" in special[0]
    assert "column" not in section  # the columns are the parent's (identity aside)
    assert all("rls=true" in k and "schema history" in k for k in kinds)


def test_snapshot_lists_no_date_partition(tmp_path: Path, admin_dsn: str) -> None:
    schema = _schema(tmp_path, MONTHLY)
    with scratch_database(admin_dsn, "parts") as dsn:
        apply_schema(dsn, schema)
        snap = snapshot_of(dsn)
        with psycopg.connect(dsn) as conn:
            (leaves,) = conn.execute(
                "select count(*) from pg_inherits where inhparent = 'public.logs'::regclass"
            ).fetchone() or (0,)
    assert leaves > 30  # 2024-01 to now + 3 months, and the default
    assert not [k for k in snap.objects if LEAF_NAME.search(k)]
    assert "relation:history.logs_default" in snap.objects
    assert "<partition>_body_idx" in snap.objects["partitions:public.logs"]


AddMigration = Callable[[str, str], Path]


@pytest.mark.proves("MIG410")
def test_rls_off_on_every_partition_is_one_finding(tmp_path: Path, admin_dsn: str) -> None:
    """A DO block that disables RLS on every partition: one finding for the table, not 30."""
    root = tmp_path / "repo"
    (root / "schema").mkdir(parents=True)
    schema = _schema(root, MONTHLY).root
    shutil.copy(REPO_ROOT / ".sqlfluff", root / ".sqlfluff")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    (schema / "migrations" / "0002_open.sql").write_text(
        "do $$\ndeclare r record;\nbegin\n"
        "  for r in select inhrelid::regclass as t from pg_inherits\n"
        "           where inhparent = 'public.logs'::regclass loop\n"
        "    execute format('alter table %s disable row level security', r.t);\n"
        "  end loop;\nend $$;\n"
    )
    result = run_gate(GateOptions(base="HEAD", schema=schema, check_dump=False), admin_dsn)
    found = sorted(f.object for f in result.for_check("MIG410"))
    assert found == ["public.logs (range partitions)"]
    f = next(f for f in result.for_check("MIG410") if f.details.get("partitions"))
    assert "each range partition of public.logs" in f.message
    assert (f.details["file"], f.details["line"]) == ("schema/migrations/0002_open.sql", 5)
