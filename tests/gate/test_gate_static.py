"""The gate's database-free steps on a throwaway repository: git classification, squawk,
our pglast rules, sqlfluff."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from harness.errors import HarnessError
from harness.gate.pipeline import GateOptions, GateResult, run_gate
from harness.gate.rules import lint_migrations

AddMigration = Callable[[str, str], Path]
INDEX_SQL = "create index parts_part_number_idx on public.parts (part_number);\n"

MIGRATION_IDS = {
    "MIG001",
    "MIG002",
    "MIG100",
    "MIG200",
    "MIG201",
    "MIG202",
    "MIG203",
    "MIG204",
    "MIG205",
    "MIG206",
}


def gate(repo: Path) -> GateResult:
    return run_gate(GateOptions(base="HEAD", schema=repo / "schema"), None)


def ids(result: GateResult) -> set[str]:
    return {f.check_id for f in result.findings}


@pytest.mark.proves("MIG001", clean=True)
@pytest.mark.proves("MIG002", clean=True)
@pytest.mark.proves("MIG100", clean=True)
@pytest.mark.proves("MIG200", clean=True)
@pytest.mark.proves("MIG201", clean=True)
@pytest.mark.proves("MIG202", clean=True)
@pytest.mark.proves("MIG203", clean=True)
@pytest.mark.proves("MIG204", clean=True)
@pytest.mark.proves("MIG205", clean=True)
@pytest.mark.proves("MIG206", clean=True)
@pytest.mark.proves("MIG300", clean=True)
def test_clean_copy_has_no_findings(repo: Path) -> None:
    result = gate(repo)
    assert result.changes.new == ()
    assert result.findings == []


@pytest.mark.proves("MIG001")
def test_edited_old_migration(repo: Path) -> None:
    path = repo / "schema" / "migrations" / "0002_vendors.sql"
    path.write_text(path.read_text() + "comment on table public.vendors is 'suppliers';\n")
    result = gate(repo)
    [f] = result.for_check("MIG001")
    assert f.object == "0002_vendors.sql"
    assert f.details["file"] == "schema/migrations/0002_vendors.sql"


@pytest.mark.proves("MIG002")
def test_deleted_or_renamed_old_migration(repo: Path) -> None:
    mig = repo / "schema" / "migrations"
    (mig / "0002_vendors.sql").rename(mig / "0003_vendors.sql")
    result = gate(repo)
    assert [f.object for f in result.for_check("MIG002")] == ["0002_vendors.sql"]
    assert [p.name for p in result.changes.new] == ["0003_vendors.sql"]


@pytest.mark.proves("MIG100")
def test_non_concurrent_index_on_existing_table(repo: Path, add_migration: AddMigration) -> None:
    add_migration("0003_idx.sql", INDEX_SQL)
    result = gate(repo)
    rules = {f.details["rule"] for f in result.for_check("MIG100")}
    assert "require-concurrent-index-creation" in rules
    # squawk said it: our MIG206 does not say it again
    assert result.for_check("MIG206") == []
    f = next(
        f
        for f in result.for_check("MIG100")
        if f.details["rule"] == "require-concurrent-index-creation"
    )
    assert (f.details["file"], f.details["line"]) == ("schema/migrations/0003_idx.sql", 1)
    assert f.details["new"] is True


@pytest.mark.proves("MIG206")
def test_mig206_when_squawk_rule_is_excluded(repo: Path, add_migration: AddMigration) -> None:
    (repo / ".squawk.toml").write_text(
        "# test: the project silenced the rule\n"
        'excluded_rules = ["require-concurrent-index-creation"]\n'
    )
    add_migration("0003_idx.sql", INDEX_SQL)
    result = gate(repo)
    assert [f.details["line"] for f in result.for_check("MIG206")] == [1]


@pytest.mark.proves("MIG205")
def test_not_null_column_without_default(repo: Path, add_migration: AddMigration) -> None:
    add_migration(
        "0003_bin.sql", "-- bins\n\nalter table public.parts add column bin text not null;\n"
    )
    result = gate(repo)
    [f] = result.for_check("MIG205")
    assert f.object == "public.parts.bin" and f.details["line"] == 3
    assert "adding-required-field" in {f.details["rule"] for f in result.for_check("MIG100")}


@pytest.mark.proves("MIG204")
def test_dropped_column(repo: Path, add_migration: AddMigration) -> None:
    add_migration("0003_drop.sql", "alter table public.parts drop column notes;\n")
    result = gate(repo)
    assert [f.object for f in result.for_check("MIG204")] == ["public.parts.notes"]


@pytest.mark.proves("MIG201")
def test_rls_disabled(repo: Path, add_migration: AddMigration) -> None:
    add_migration("0003_rls.sql", "alter table public.parts disable row level security;\n")
    assert "MIG201" in ids(gate(repo))


@pytest.mark.proves("MIG202")
def test_policy_dropped(repo: Path, add_migration: AddMigration) -> None:
    add_migration("0003_pol.sql", "drop policy parts_select on public.parts;\n")
    [f] = gate(repo).for_check("MIG202")
    assert f.object == "public.parts.parts_select"


@pytest.mark.proves("MIG204")
def test_stock_check_constraint_removed(repo: Path, add_migration: AddMigration) -> None:
    add_migration(
        "0003_chk.sql", "alter table parts drop constraint parts_quantity_on_hand_check;\n"
    )
    [f] = gate(repo).for_check("MIG204")
    assert f.object == "public.parts.parts_quantity_on_hand_check"


@pytest.mark.proves("MIG203")
def test_grant_widened_on_existing_table(repo: Path, add_migration: AddMigration) -> None:
    add_migration("0003_grant.sql", "grant select on public.parts to anon;\n")
    assert [f.object for f in gate(repo).for_check("MIG203")] == ["public.parts"]


def test_changes_to_tables_created_in_the_change_are_not_data_dependent(tmp_path: Path) -> None:
    new = tmp_path / "0003_new.sql"
    new.write_text(
        "create table t (id bigint primary key, a text);\n"
        "alter table t alter column a set not null;\n"
        "create unique index t_a on t (a);\n"
        "grant select on t to authenticated;\n"
    )
    assert lint_migrations([], [new], {}) == []


def test_unknown_revision_is_a_usage_error(repo: Path) -> None:
    with pytest.raises(HarnessError) as exc:
        run_gate(GateOptions(base="no-such-rev", schema=repo / "schema"), None)
    assert exc.value.exit_code == 2
    assert "unknown git revision" in str(exc.value)


@pytest.mark.proves("MIG300")
def test_sqlfluff_findings_name_file_line_and_code(repo: Path, add_migration: AddMigration) -> None:
    add_migration("0003_style.sql", "SELECT 1;\n")
    [f] = gate(repo).for_check("MIG300")
    assert (f.details["file"], f.details["line"], f.details["code"]) == (
        "schema/migrations/0003_style.sql",
        1,
        "CP01",
    )
