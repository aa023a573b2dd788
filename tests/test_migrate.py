"""apply_schema against a real server: ordering, the ledger, idempotence, failures."""

from __future__ import annotations

import psycopg
import pytest

from harness.cli import main
from harness.errors import HarnessError, SchemaApplyError
from harness.migrate import apply_schema, migration_ledger, split_statements
from harness.schema_dir import SchemaDir, SqlFile
from tests.support import NOTES_MIGRATION, ROLES_BOOTSTRAP, SchemaFactory, scalar

COUNTER_MIGRATION = """
create table public.counter (n int not null);
insert into public.counter values (1);
"""


def test_applies_bootstrap_migrations_seed_in_order_and_records_ledger(
    fresh_db: str, make_schema: SchemaFactory
) -> None:
    schema = make_schema(
        migrations={"0001_notes.sql": NOTES_MIGRATION, "0002_counter.sql": COUNTER_MIGRATION},
        bootstrap={"00_roles.sql": ROLES_BOOTSTRAP},
        seed={"01.sql": "insert into public.counter values (2);"},
    )
    applied = apply_schema(fresh_db, schema, seed=True)
    assert applied == [
        "bootstrap/00_roles.sql",
        "migrations/0001_notes.sql",
        "migrations/0002_counter.sql",
        "seed/01.sql",
    ]
    assert migration_ledger(fresh_db) == {m.name: m.checksum for m in schema.migrations}
    assert scalar(fresh_db, "select array_agg(n order by n) from public.counter") == [1, 2]


def test_reapply_runs_no_migration_and_changes_nothing(
    fresh_db: str, make_schema: SchemaFactory
) -> None:
    schema = make_schema(
        migrations={"0001_counter.sql": COUNTER_MIGRATION},
        bootstrap={"00_roles.sql": ROLES_BOOTSTRAP},
    )
    apply_schema(fresh_db, schema)
    snapshot_sql = (
        "select (select array_agg(oid order by oid) from pg_class"
        "        where relnamespace = 'public'::regnamespace),"
        " (select array_agg(applied_at) from dbharness_meta.applied_migrations),"
        " (select count(*) from public.counter)"
    )
    with psycopg.connect(fresh_db) as conn:
        before = conn.execute(snapshot_sql).fetchone()

    again = apply_schema(fresh_db, schema)

    assert again == ["bootstrap/00_roles.sql"]  # bootstrap is idempotent and always runs
    assert apply_schema(fresh_db, schema, bootstrap=False) == []
    with psycopg.connect(fresh_db) as conn:
        assert conn.execute(snapshot_sql).fetchone() == before


def test_new_migration_is_applied_on_top(fresh_db: str, make_schema: SchemaFactory) -> None:
    schema = make_schema(migrations={"0001_counter.sql": COUNTER_MIGRATION})
    apply_schema(fresh_db, schema)
    (schema.root / "migrations" / "0002_more.sql").write_text(
        "insert into public.counter values (5);"
    )
    assert apply_schema(fresh_db, schema) == ["migrations/0002_more.sql"]
    assert scalar(fresh_db, "select sum(n) from public.counter") == 6


def test_edited_applied_migration_is_refused(fresh_db: str, make_schema: SchemaFactory) -> None:
    schema = make_schema(migrations={"0001_counter.sql": COUNTER_MIGRATION})
    apply_schema(fresh_db, schema)
    (schema.root / "migrations" / "0001_counter.sql").write_text(
        COUNTER_MIGRATION + "insert into public.counter values (99);"
    )
    (schema.root / "migrations" / "0002_next.sql").write_text("create table public.t2 (x int);")

    with pytest.raises(HarnessError) as info:
        apply_schema(fresh_db, schema)

    assert "0001_counter.sql" in str(info.value)
    assert info.value.exit_code == 2
    # Refused before anything ran: neither the edit nor the next migration reached the database.
    assert scalar(fresh_db, "select sum(n) from public.counter") == 1
    assert scalar(fresh_db, "select to_regclass('public.t2')") is None


def test_failing_migration_names_file_statement_error_and_leaves_nothing(
    fresh_db: str, make_schema: SchemaFactory
) -> None:
    schema = make_schema(
        migrations={
            "0001_counter.sql": COUNTER_MIGRATION,
            "0002_broken.sql": """
                create table public.half_done (id int);
                insert into public.half_done values (1);

                insert into public.no_such_table values (1);
                create table public.never (id int);
            """,
        }
    )
    with pytest.raises(SchemaApplyError) as info:
        apply_schema(fresh_db, schema)

    err = info.value
    assert err.file == "migrations/0002_broken.sql:5"
    assert err.statement == "insert into public.no_such_table values (1)"
    assert err.sqlstate == "42P01"  # undefined_table
    assert 'relation "public.no_such_table" does not exist' in err.error
    assert "0002_broken.sql" in str(err) and "no_such_table" in str(err)
    # The failed migration's transaction was rolled back and not recorded; 0001 stays applied.
    assert scalar(fresh_db, "select to_regclass('public.half_done')") is None
    assert migration_ledger(fresh_db) == {"0001_counter.sql": schema.migrations[0].checksum}


def test_syntax_error_is_reported_by_the_server_with_its_statement(
    fresh_db: str, make_schema: SchemaFactory
) -> None:
    schema = make_schema(
        migrations={"0001_typo.sql": "create table public.ok (id int);\nselec 1;\n"}
    )
    with pytest.raises(SchemaApplyError) as info:
        apply_schema(fresh_db, schema)
    assert info.value.statement == "selec 1"
    assert info.value.sqlstate == "42601"
    assert info.value.file == "migrations/0001_typo.sql:2"
    assert scalar(fresh_db, "select to_regclass('public.ok')") is None


def test_function_bodies_do_blocks_and_begin_atomic_stay_whole(
    fresh_db: str, make_schema: SchemaFactory
) -> None:
    schema = make_schema(
        migrations={
            "0001_functions.sql": """
                begin;
                create function public.plus_one(i int) returns int language plpgsql as $$
                begin
                  -- a semicolon; inside the body
                  return i + 1;
                end
                $$;
                create function public.two() returns int language sql
                begin atomic
                  select 1;
                  select 2;
                end;
                do $body$ begin perform public.plus_one(1); raise notice 'a;b'; end $body$;
                commit;
            """
        }
    )
    assert apply_schema(fresh_db, schema) == ["migrations/0001_functions.sql"]
    assert scalar(fresh_db, "select public.plus_one(41)") == 42
    assert scalar(fresh_db, "select public.two()") == 2


def test_session_settings_do_not_leak_between_files(
    fresh_db: str, make_schema: SchemaFactory
) -> None:
    schema = make_schema(
        migrations={
            "0001_set.sql": "create schema other; set search_path = other;",
            "0002_table.sql": "create table lands_here (id int);",
        }
    )
    apply_schema(fresh_db, schema)
    assert scalar(fresh_db, "select to_regclass('public.lands_here')") is not None


def test_extra_files_run_last(fresh_db: str, make_schema: SchemaFactory, tmp_path: object) -> None:
    schema = make_schema(migrations={"0001_counter.sql": COUNTER_MIGRATION})
    extra = schema.root / "fixture.sql"
    extra.write_text("insert into public.counter values (10);")
    assert apply_schema(fresh_db, schema, extra=[SqlFile(extra)])[-1] == "extra/fixture.sql"
    assert scalar(fresh_db, "select sum(n) from public.counter") == 11


def test_split_statements_reports_start_lines() -> None:
    stmts = split_statements("-- header\nselect 1;\n\ncreate table t (\n  id int\n);\n")
    assert [(s.text, s.line) for s in stmts] == [
        ("select 1", 2),
        ("create table t (\n  id int\n)", 4),
    ]


def test_migrate_with_seed_twice_loads_the_seed_once(
    fresh_db: str, notes_schema: SchemaDir, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["migrate", "--dsn", fresh_db, "--schema", str(notes_schema.root), "--with-seed"]
    assert main(args) == 0
    capsys.readouterr()
    assert main(args) == 0  # was: duplicate key, exit 2
    out = capsys.readouterr().out
    assert "seed already loaded (01_notes.sql on " in out and "not loading it again" in out
    assert scalar(fresh_db, "select count(*) from public.notes") == 3


def test_migrate_refuses_a_changed_seed(
    fresh_db: str, notes_schema: SchemaDir, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["migrate", "--dsn", fresh_db, "--schema", str(notes_schema.root), "--with-seed"]
    assert main(args) == 0
    seed = notes_schema.root / "seed" / "01_notes.sql"
    seed.write_text(seed.read_text() + "\n-- one more comment\n")
    assert main(args) == 2
    assert "seed/01_notes.sql changed since it was loaded" in capsys.readouterr().err


def test_a_seed_loaded_before_the_ledger_is_named(
    fresh_db: str, notes_schema: SchemaDir, capsys: pytest.CaptureFixture[str]
) -> None:
    apply_schema(fresh_db, notes_schema, seed=True)  # loaded without a record of it
    notes = notes_schema.root / "migrations" / "0001_notes.sql"
    notes.write_text(notes.read_text().replace(
        "body text not null", "body text not null unique"))
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        conn.execute("alter table public.notes add unique (body)")
        conn.execute("update dbharness_meta.applied_migrations set checksum = %s", (
            SqlFile(notes).checksum,))
    assert main(["migrate", "--dsn", fresh_db, "--schema", str(notes_schema.root),
                 "--with-seed"]) == 2
    err = capsys.readouterr().err
    assert "the seed's rows are already there" in err and "loaded into this database before" in err
