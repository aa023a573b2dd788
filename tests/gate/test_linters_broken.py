"""A linter that breaks is an error of the check, never an empty (clean) report.

squawk with a config it cannot read, and sqlfluff with a project config it cannot read, print
nothing on stdout; before, MIG100 and MIG300 read that as "no violations".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import ToolFailed
from harness.gate.sqlstyle import run_sqlfluff
from harness.gate.squawk import run_squawk

SQL = "create table t (id bigint primary key);\nalter table t add column c text not null;\n"


@pytest.fixture
def migration(tmp_path: Path) -> Path:
    f = tmp_path / "0001_t.sql"
    f.write_text(SQL)
    return f


def test_squawk_reports_what_it_finds(migration: Path) -> None:
    assert run_squawk([migration])  # the control: the same file, a working squawk


def test_squawk_with_a_broken_config_is_tool_failed(migration: Path, tmp_path: Path) -> None:
    config = tmp_path / ".squawk.toml"
    config.write_text("excluded_rules = [\n")  # not TOML
    with pytest.raises(ToolFailed):
        run_squawk([migration], config=config)


def test_sqlfluff_reports_what_it_finds(migration: Path, tmp_path: Path) -> None:
    (tmp_path / ".sqlfluff").write_text("[sqlfluff]\ndialect = postgres\n")
    migration.write_text("SELECT  1\n")  # upper-case keyword beside lower case, double space
    report = run_sqlfluff([migration], cwd=tmp_path)
    assert [v for f in report for v in f["violations"]]  # type: ignore[attr-defined]


def test_sqlfluff_with_a_broken_config_is_tool_failed(migration: Path, tmp_path: Path) -> None:
    (tmp_path / ".sqlfluff").write_text("[sqlfluff]\ndialect = no_such_dialect\n")
    with pytest.raises(ToolFailed):
        run_sqlfluff([migration], cwd=tmp_path)
