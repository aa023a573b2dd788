"""The baseline records the PostgreSQL major it was measured on; PRF104 compares plans on it only.

Plan shapes are the planner's: 17 sorts below an ordered aggregate where 15 sorts inside it, so a
baseline of one major read on another would report every such query as regressed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import psycopg
import pytest

from harness.errors import CheckSkipped
from harness.registry import REGISTRY
from harness.schema_dir import SchemaDir
from suites.performance import budgets
from suites.performance.baseline import BASELINE_FILE, read_baseline, write_baseline
from tests.performance.conftest import SCHEMA, SEED, context


def _schema_with_baseline(root: Path, major: int) -> SchemaDir:
    shutil.copytree(SCHEMA.root / "dbharness", root / "dbharness")
    (root / "migrations").mkdir()
    baseline = {"postgres_major": major, "scale": "tiny", "seed": SEED, "queries": {}}
    (root / "dbharness" / BASELINE_FILE).write_text(json.dumps(baseline), encoding="utf-8")
    return SchemaDir.open(root)


def _major(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.info.server_version // 10000


def test_prf104_compares_on_the_major_it_was_recorded_on_and_records_it(
    tiny_dsn: str, tmp_path: Path
) -> None:
    major = _major(tiny_dsn)
    ctx = context(tiny_dsn)
    ctx.schema = _schema_with_baseline(tmp_path / "same", major)
    ctx.server_major = major
    assert list(REGISTRY.get("PRF104").func(ctx)) == []  # an empty baseline: nothing regressed
    assert ctx.stats["baseline_postgres_major"] == major

    written = tmp_path / "written.json"
    write_baseline(written, budgets.results_of(ctx), major)
    doc = read_baseline(written)
    assert doc["postgres_major"] == major and doc["scale"] == "tiny" and doc["queries"]


def test_prf104_on_another_major_says_the_baseline_is_of_another_major(
    tiny_dsn: str, tmp_path: Path
) -> None:
    major = _major(tiny_dsn)
    ctx = context(tiny_dsn)
    ctx.schema = _schema_with_baseline(tmp_path / "other", major - 2)
    ctx.server_major = major
    with pytest.raises(CheckSkipped) as err:
        list(REGISTRY.get("PRF104").func(ctx))
    assert f"recorded on PostgreSQL {major - 2} and this server is {major}" in str(err.value)


def test_the_committed_baseline_names_its_major() -> None:
    path = SCHEMA.plugin(BASELINE_FILE)
    assert path is not None
    assert isinstance(read_baseline(path).get("postgres_major"), int)
