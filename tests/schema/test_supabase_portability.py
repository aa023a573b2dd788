"""The migrations apply unchanged on Supabase: they touch nothing Supabase owns in ``auth`` and
``storage`` (policies on storage.objects and rows in storage.buckets excepted) and use only what
Supabase provides there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from harness.migrate import apply_schema
from harness.schema_dir import SchemaDir
from tests.support import SUPABASE, scratch_database

SCHEMA = SchemaDir.open(Path(__file__).parents[2] / "schema")
# What a Supabase project provides that migrations may use (docs/product.md).
AUTH_ALLOWED = {"uid", "role", "jwt", "email", "users"}
STORAGE_ALLOWED = {"buckets", "objects"}

# Objects of a schema, with a digest of each definition: tables and columns, functions, types,
# triggers. Policies are left out on purpose: securing storage.objects is what migrations do.
CATALOG = """
select 'table ' || c.relname || ' ' || md5(coalesce(string_agg(
         a.attname || ':' || format_type(a.atttypid, a.atttypmod), ',' order by a.attnum), ''))
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
 where n.nspname = %(s)s group by c.relname, c.relkind
union all
select 'function ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc || coalesce(
         array_to_string(p.proconfig, ','), '') || p.prosecdef::text)
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = %(s)s
union all
select 'type ' || t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace
 where n.nspname = %(s)s
union all
select 'trigger ' || tg.tgname || ' on ' || tg.tgrelid::regclass::text from pg_trigger tg
  join pg_class c on c.oid = tg.tgrelid join pg_namespace n on n.oid = c.relnamespace
 where n.nspname = %(s)s and not tg.tgisinternal
"""


@pytest.fixture(scope="module")
def dsn() -> Iterator[str]:
    with scratch_database("portab") as target:
        yield target


def snapshot(dsn: str, schema: str) -> set[str]:
    with psycopg.connect(dsn) as conn:
        return {r[0] for r in conn.execute(CATALOG, {"s": schema}).fetchall()}


def test_migrations_leave_auth_and_storage_as_supabase_made_them(dsn: str) -> None:
    apply_schema(dsn, SCHEMA, bootstrap=True, seed=False, platform=SUPABASE)
    before = {s: snapshot(dsn, s) for s in ("auth", "storage")}
    # Compare with a database that has only the platform's base (what Supabase itself provides).
    with scratch_database("portab_boot") as boot:
        with psycopg.connect(boot, autocommit=True) as conn:
            for f in SUPABASE.files:
                conn.execute(f.text.encode())
        bootstrap_only = {s: snapshot(boot, s) for s in ("auth", "storage")}
    for s in ("auth", "storage"):
        assert before[s] == bootstrap_only[s], (
            f"migrations changed schema {s}: added {sorted(before[s] - bootstrap_only[s])}, "
            f"removed {sorted(bootstrap_only[s] - before[s])}"
        )


@pytest.mark.parametrize("path", [f.path for f in SCHEMA.migrations], ids=lambda p: p.name)
def test_migration_uses_only_what_supabase_provides(path: Path) -> None:
    text = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))  # comments may name anything
    used_auth = set(re.findall(r"\bauth\.(\w+)", text))
    used_storage = set(re.findall(r"\bstorage\.(\w+)", text))
    assert used_auth <= AUTH_ALLOWED, f"{path.name} uses auth.{sorted(used_auth - AUTH_ALLOWED)}"
    assert used_storage <= STORAGE_ALLOWED, (
        f"{path.name} uses storage.{sorted(used_storage - STORAGE_ALLOWED)}"
    )
    roles = set(re.findall(r"\bto\s+([a-z_]+)", text, flags=re.IGNORECASE))
    assert "authenticator" not in roles, f"{path.name} grants to authenticator"
