"""PRF104's rules on synthetic plans: what is a regression, what is only a change. No database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.errors import ConfigError
from suites.performance.baseline import Baseline, read_baseline
from suites.performance.catalog import Query
from suites.performance.measure import Measurement, positional
from suites.performance.plans import PlanFacts, outline, outline_diff
from suites.performance.regression import Tolerance, judge, speed_factor

BIG = "public.work_orders"


def scan(node: str, rel: str, index: str | None = None) -> dict[str, Any]:
    schema, name = rel.split(".")
    out = {"Node Type": node, "Schema": schema, "Relation Name": name}
    return {**out, "Index Name": index} if index else out


def partitioned(months: int) -> dict[str, Any]:
    """An audit query over a table partitioned by month: the index on busy months, Seq Scans on
    the empty ones (as PostgreSQL plans it)."""
    children = [scan("Index Scan", f"private.logs_m{i}", f"logs_m{i}_record_idx")
                for i in range(3)]
    children += [scan("Seq Scan", f"private.logs_m{i}") for i in range(3, 3 + months)]
    return {"Node Type": "Limit", "Plans": [{"Node Type": "Sort", "Plans": [
        {"Node Type": "Append", "Plans": children}]}]}


ROOTS = {**{f"private.logs_m{i}": "public.logs" for i in range(12)},
         **{f"logs_m{i}_record_idx": "logs_record_idx" for i in range(12)}}


def test_outline_does_not_depend_on_the_number_of_partitions() -> None:
    four, five = outline(partitioned(4), ROOTS), outline(partitioned(5), ROOTS)
    assert four == five == [
        "Limit", "  Sort", "    Append",
        "      Index Scan using logs_record_idx on public.logs",
        "      Seq Scan on public.logs",
    ]


def test_outline_diff_shows_only_what_changed() -> None:
    old = ["Limit", "  Index Scan using a on t"]
    new = ["Limit", "  Seq Scan on t"]
    assert outline_diff(old, new) == ["@@ -1,2 +1,2 @@", " Limit", "-  Index Scan using a on t",
                                      "+  Seq Scan on t"]
    long = outline_diff([], [f"line {i}" for i in range(100)], limit=5)
    assert len(long) == 6 and long[-1].startswith("... 96 more lines")


QUERY = Query(name="wo_list", title="", cls="simple", roles=("manager",), params="", sql="",
              expect_indexes=("wo_created_idx",))


def measured(plan: dict[str, Any], buffers: int, median_ms: float = 1.0,
             large: dict[str, int] | None = None) -> Measurement:
    plan = {**plan, "Shared Hit Blocks": buffers}
    m = Measurement(QUERY, "manager",
                    large_relations={BIG: 100_000} if large is None else large)
    m.facts = PlanFacts.of([{"Plan": plan}])
    m.timings_ms = [median_ms]
    return m


INDEXED = {"Node Type": "Limit", "Plans": [scan("Index Scan", BIG, "wo_created_idx")]}
SEQ = {"Node Type": "Limit", "Plans": [{"Node Type": "Sort", "Plans": [scan("Seq Scan", BIG)]}]}
OTHER_INDEX = {"Node Type": "Limit", "Plans": [scan("Index Scan", BIG, "wo_status_idx")]}


def entry(m: Measurement) -> dict[str, Any]:
    assert m.facts is not None
    return {"buffers": m.facts.buffers, "median_ms": m.median_ms, "seq_scans": m.large_seq_scans,
            "indexes": list(m.facts.indexes), "plan": list(m.facts.outline)}


BASE = entry(measured(INDEXED, 13))
T = Tolerance()


def test_same_plan_and_buffers_is_nothing() -> None:
    j = judge(measured(INDEXED, 13), BASE, T)
    assert (j.regressions, j.changes, j.plan_diff) == ({}, [], [])


def test_a_large_table_now_seq_scanned_and_the_expected_index_lost_are_regressions() -> None:
    j = judge(measured(SEQ, 13), BASE, T)
    assert set(j.regressions) == {"seq_scan", "index"}
    assert "public.work_orders (100,000 rows)" in j.regressions["seq_scan"]
    assert "wo_created_idx" in j.regressions["index"]


def test_a_seq_scan_of_a_small_table_is_only_a_change() -> None:
    j = judge(measured(SEQ, 13, large={}), BASE, T)
    assert set(j.regressions) == {"index"}  # still: the expected index is gone
    other = judge(measured(OTHER_INDEX, 14), {**BASE, "indexes": ["wo_status_idx"]}, T)
    assert other.regressions == {}  # an index the catalog does not expect may come and go


def test_buffers_need_both_the_ratio_and_the_floor() -> None:
    assert judge(measured(INDEXED, 3), {**BASE, "buffers": 3}, T).regressions == {}
    small = judge(measured(INDEXED, 7), {**BASE, "buffers": 3}, T)  # +133% but +4 buffers
    assert small.regressions == {} and small.changes == ["buffers 3 -> 7 (within tolerance)"]
    assert judge(measured(INDEXED, 480), {**BASE, "buffers": 441}, T).regressions == {}
    big = judge(measured(INDEXED, 1044), {**BASE, "buffers": 441}, T)
    assert big.regressions == {"buffers": "buffers 441 -> 1,044 (+603)"}


def test_latency_is_judged_after_the_speed_factor() -> None:
    slow = measured(INDEXED, 13, median_ms=9.0)
    assert set(judge(slow, BASE, T).regressions) == {"latency"}
    # the whole run three times slower: the same median is no regression
    assert judge(slow, BASE, T, speed=3.0).regressions == {}
    # below the floor: 0.1 -> 4.9 ms is +4,800% but 4.8 ms
    assert judge(measured(INDEXED, 13, 4.9), {**BASE, "median_ms": 0.1}, T).regressions == {}


def test_speed_factor_is_the_median_ratio() -> None:
    ms = [measured(INDEXED, 13, x) for x in (2.0, 2.2, 9.0)]
    for i, m in enumerate(ms):
        m.query = Query(name=f"q{i}", title="", cls="simple", roles=("manager",), params="",
                        sql="")
    base = {m.key: {"median_ms": 1.0} for m in ms}
    assert speed_factor(ms, base) == pytest.approx(2.2)
    assert speed_factor(ms[:2], base) == 1.0  # too few to tell
    fast = {m.key: {"median_ms": 10.0} for m in ms}
    assert speed_factor(ms, fast) == 1.0  # a faster run is not scaled up


def test_another_major_compares_only_version_independent_properties() -> None:
    j = judge(measured(OTHER_INDEX, 5000, 50.0), BASE, T, same_major=False)
    assert set(j.regressions) == {"index"} and j.changes == []


def test_plan_change_alone_is_a_change_with_its_diff() -> None:
    restrictive = {"Node Type": "Limit", "Plans": [{"Node Type": "Result"},
                                                   scan("Index Scan", BIG, "wo_created_idx")]}
    j = judge(measured(restrictive, 15), BASE, T)
    assert j.regressions == {}
    assert "+  Result" in j.plan_diff and "plan changed" in j.changes


@pytest.mark.parametrize("bad", [{"buffers": -1}, {"latency": "x"}, {"bufers": 1}, {"x": True},
                                 "nope"])
def test_tolerance_refuses_bad_config(bad: Any) -> None:
    with pytest.raises(ConfigError):
        Tolerance.from_options({"regression": bad})


def test_tolerance_reads_config() -> None:
    t = Tolerance.from_options({"regression": {"buffers": 1, "buffers_floor": 50.0}})
    assert (t.buffers, t.buffers_floor, t.latency) == (1.0, 50, Tolerance().latency)


def test_baseline_keeps_other_majors_and_reads_old_format(tmp_path: Path) -> None:
    base = Baseline("ci", 1, {15: {"q/r": BASE}})
    assert base.closest(15) == (15, {"q/r": BASE})
    assert base.closest(17)[0] == 15
    old = tmp_path / "old.json"
    old.write_text('{"scale": "ci", "seed": 1, "queries": {}}')
    assert read_baseline(old).format == 1
    broken = tmp_path / "broken.json"
    broken.write_text("[1, 2")
    with pytest.raises(ConfigError, match="not a performance baseline"):
        read_baseline(broken)


def test_positional_numbers_placeholders_in_order() -> None:
    text, names = positional("select %(a)s, %(b)s, %(a)s, 'x%%'")
    assert (text, names) == ("select $1, $2, $1, 'x%'", ["a", "b"])
