"""INT040: the canonical schema stays distributable by warehouse_id; each rule fires when broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_variants import copy_schema, run_check

VARIANT = Path(__file__).parents[1] / "variants" / "undistributable.sql"


@pytest.mark.proves("INT040", clean=True)
def test_canonical_schema_is_distributable(tmp_path: Path) -> None:
    code, report = run_check(copy_schema(tmp_path, None), tmp_path / "r", ["INT040"])
    assert code == 0, report["findings"]  # type: ignore[index]
    (entry,) = [c for c in report["checks"] if c["id"] == "INT040"]  # type: ignore[union-attr]
    assert entry["status"] == "passed"


@pytest.mark.proves("INT040")
def test_every_rule_fires_on_the_undistributable_variant(tmp_path: Path) -> None:
    code, report = run_check(copy_schema(tmp_path, VARIANT), tmp_path / "r", ["INT040"])
    assert code == 1
    found = {f["object"]: f for f in report["findings"]  # type: ignore[union-attr]
             if f["check_id"] == "INT040"}
    kinds = {obj: f["details"]["kind"] for obj, f in found.items()}
    assert kinds == {
        "public.vendors.vendors_id_name_idx": "unique index",
        "public.work_orders.work_orders_id_everywhere_idx": "unique index",
        "public.wo_comments.wo_comments_pkey": "primary key",
        "public.wo_comments.wo_comments_work_order_id_fkey": "foreign key",
        "public.lookup_codes": "neither tenant nor reference table",
    }, kinds
