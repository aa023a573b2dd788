"""The query catalog and the plan checks on a tiny dataset. No timing is asserted here."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import psycopg
import pytest

from suites.performance.budgets import catalog_of, plan_assertions
from suites.performance.measure import measure

from .conftest import SCHEMA, context

HOT_INDEX = "work_orders_created_idx"  # what the work order list pages read


def test_catalog_runs_for_every_role(tiny_dsn: str) -> None:
    catalog = catalog_of(context(tiny_dsn))
    ms = measure(tiny_dsn, catalog, runs=1)
    assert {m.role for m in ms} == set(catalog.actors)
    assert [(m.key, m.error) for m in ms if m.error] == []
    assert [(m.key, m.skipped) for m in ms if m.skipped and not m.query.requires] == []
    assert all(m.facts is not None and m.facts.buffers > 0 for m in ms if not m.skipped)


def test_one_query_and_role_can_be_measured_again(tiny_dsn: str) -> None:
    # what PRF102/PRF104 do to confirm a finding
    catalog = catalog_of(context(tiny_dsn))
    q = next(q for q in catalog.queries if len(q.roles) > 1)
    ms = measure(tiny_dsn, catalog, runs=1, only=lambda x: x is q, role=q.roles[1])
    assert [m.key for m in ms] == [f"{q.name}/{q.roles[1]}"]
    assert ms[0].median_ms is not None and ms[0].service_median_ms is not None


def test_catalog_loads_from_the_schema() -> None:
    catalog = catalog_of(context("unused"))
    assert catalog.path == SCHEMA.root / "dbharness" / "queries.toml"
    assert {q.cls for q in catalog.queries} == {"simple", "complex"}


@pytest.mark.proves("PRF100")
@pytest.mark.proves("PRF100", clean=True)
def test_dropped_hot_index_is_a_prf100_finding(
    tiny_dsn: str, clone_of: Callable[[str], AbstractContextManager[str]]
) -> None:
    with clone_of(tiny_dsn) as intact:
        before = [f for f in plan_assertions(context(intact))
                  if f.object.startswith("wo_list_first_page/")]
    assert before == []
    with clone_of(tiny_dsn) as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"drop index public.{HOT_INDEX}")
        after = [f for f in plan_assertions(context(dsn))
                 if f.object.startswith("wo_list_first_page/")]
    assert after and all(f.check_id == "PRF100" for f in after)
    assert all(HOT_INDEX in f.message for f in after)
    assert all("explain (analyze, buffers)" in (f.repro_sql or "").lower() for f in after)
