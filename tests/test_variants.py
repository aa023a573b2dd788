"""Known-bad schema variants: each SQL file in tests/variants/ is applied after the canonical
migrations, and ``dbharness check --schema`` must fail naming the check ID its header expects,
while the clean schema passes the same checks.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from tests.support import TEST_DSN

ROOT = Path(__file__).parents[1]
VARIANTS = sorted((Path(__file__).parent / "variants").glob("*.sql"))
EXPECT = re.compile(r"^-- expect: ([A-Z]{3}\d{3})\s*$", re.MULTILINE)


def expected_id(path: Path) -> str:
    m = EXPECT.search(path.read_text(encoding="utf-8"))
    assert m, f"{path.name} has no '-- expect: CHECK_ID' header"
    return m.group(1)


def run_check(schema: Path, report_dir: Path, ids: list[str]) -> tuple[int, dict[str, object]]:
    argv = ["check", "--schema", str(schema), "--dsn", TEST_DSN, "--report-dir", str(report_dir),
            "--format", "json", "-q", "--cases", "400"]
    for i in ids:
        argv += ["--check", i]
    code = main(argv)
    reports = sorted(report_dir.glob("*/report.json"))
    return code, json.loads(reports[-1].read_text()) if reports else {}


def copy_schema(tmp_path: Path, variant: Path | None) -> Path:
    dst = tmp_path / "schema"
    shutil.copytree(ROOT / "schema", dst, ignore=shutil.ignore_patterns("dump.sql"))
    if variant is not None:
        shutil.copy(variant, dst / "migrations" / "9999_variant.sql")
    return dst


VARIANT_IDS = sorted({expected_id(v) for v in VARIANTS})


def proves_clean(test: Any) -> Any:
    """Mark ``test`` as the clean case of every check a variant expects."""
    for check_id in VARIANT_IDS:
        test = pytest.mark.proves(check_id, clean=True)(test)
    return test


@proves_clean
def test_clean_schema_passes_every_variant_check(tmp_path: Path) -> None:
    ids = VARIANT_IDS
    code, report = run_check(copy_schema(tmp_path, None), tmp_path / "reports", ids)
    assert report, "no report written"
    assert code == 0, [f for f in report["findings"]]  # type: ignore[index]
    ran = {c["id"] for c in report["checks"]}  # type: ignore[index,union-attr]
    assert ran == {*ids, "MIG010"}  # MIG010 always runs: a schema that does not apply shows


@pytest.mark.parametrize(
    "variant",
    [pytest.param(v, marks=pytest.mark.proves(expected_id(v)), id=v.stem) for v in VARIANTS],
)
def test_variant_fails_with_its_check(tmp_path: Path, variant: Path) -> None:
    check_id = expected_id(variant)
    code, report = run_check(copy_schema(tmp_path, variant), tmp_path / "reports", [check_id])
    assert code == 1, report
    found = {f["check_id"] for f in report["findings"]}  # type: ignore[index,union-attr]
    assert check_id in found
