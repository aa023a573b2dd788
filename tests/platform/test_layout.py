"""The Supabase CLI layout: found, read in timestamp order, and configured by `dbharness init`."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from harness.cli import main
from harness.errors import ConfigError
from harness.schema_dir import SchemaDir
from tests.platform.support import PROJECTS
from tests.support import TEST_DSN


def test_a_project_root_and_its_supabase_folder_open_the_same() -> None:
    for path in (PROJECTS / "notes_2026", PROJECTS / "notes_2026" / "supabase"):
        sd = SchemaDir.open(path)
        assert sd.is_supabase and sd.root == PROJECTS / "notes_2026" / "supabase"
        assert [f.name for f in sd.migrations] == [
            "20260601120000_notes.sql", "20260601120100_profiles.sql",
            "20260601120200_avatars.sql"]
        assert [f.name for f in sd.seed] == ["seed.sql"]
        assert [f.name for f in sd.tests] == ["notes.test.sql"]
        assert sd.bootstrap == []


def test_migrations_run_in_timestamp_order(tmp_path: Path) -> None:
    root = tmp_path / "supabase"
    (root / "migrations").mkdir(parents=True)
    (root / "config.toml").write_text(
        'project_id = "x"\n[db.seed]\nsql_paths = ["./seeds/*.sql"]\n'
    )
    for name in ("20260102000000_b.sql", "20251231235959_a.sql"):
        (root / "migrations" / name).write_text("select 1;")
    (root / "seeds").mkdir()
    for name in ("02_more.sql", "01_users.sql"):
        (root / "seeds" / name).write_text("select 1;")
    sd = SchemaDir.open(tmp_path)
    assert [f.name for f in sd.migrations] == ["20251231235959_a.sql", "20260102000000_b.sql"]
    assert [f.name for f in sd.seed] == ["01_users.sql", "02_more.sql"]


def test_a_migration_not_named_by_the_cli_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "supabase"
    (root / "migrations").mkdir(parents=True)
    (root / "config.toml").write_text("")
    (root / "migrations" / "0001_init.sql").write_text("select 1;")
    with pytest.raises(ConfigError, match=r"<14-digit timestamp>_<what>\.sql"):
        SchemaDir.open(tmp_path)


def test_a_project_without_migrations_says_how_to_start(tmp_path: Path) -> None:
    (tmp_path / "supabase").mkdir()
    (tmp_path / "supabase" / "config.toml").write_text("")
    with pytest.raises(ConfigError) as err:
        SchemaDir.open(tmp_path)
    assert err.value.hint and "supabase migration new" in err.value.hint


def test_a_wrong_directory_is_exit_2_with_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--schema", str(tmp_path), "--dsn", TEST_DSN]) == 2
    err = capsys.readouterr().err
    assert "has no migrations/ directory" in err and "supabase/config.toml" in err


def test_check_finds_the_project_it_runs_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(PROJECTS / "legacy_2025", tmp_path / "legacy")
    monkeypatch.chdir(tmp_path / "legacy")
    code = main(["check", "--dsn", TEST_DSN, "--check", "PLT001", "--format", "json",
                 "--report-dir", str(tmp_path / "reports")])
    out = capsys.readouterr().out
    assert code == 0  # PLT001 is informational: reported, never failing
    assert "posts_select_published" in out and "42501" in out


def test_init_writes_a_starter_config_and_leaves_it_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(PROJECTS / "notes_2026", tmp_path / "app")
    monkeypatch.chdir(tmp_path / "app")
    assert main(["init"]) == 0
    config = tomllib.loads((tmp_path / "app" / "dbharness.toml").read_text())
    assert config["schema"] == "supabase" and config["platform"] == "supabase"
    assert config["exposed_schemas"] == ["public"]  # graphql_public is the platform's
    assert config["postgres_version"] == 15
    (tmp_path / "app" / "dbharness.toml").write_text('schema = "supabase"\n')
    assert main(["init"]) == 0
    assert "left alone" in capsys.readouterr().out
    assert (tmp_path / "app" / "dbharness.toml").read_text() == 'schema = "supabase"\n'
    assert main(["init", "--force"]) == 0
    assert "platform" in (tmp_path / "app" / "dbharness.toml").read_text()


def test_init_outside_a_project_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 2
    assert "no schema to configure here" in capsys.readouterr().err
    assert not (tmp_path / "dbharness.toml").exists()
