"""Every registered check is proven able to fail, and able to pass.

A check that has never been seen reporting a finding may be unable to: its query may select
nothing, its tool may be silently broken. Each check needs a test marked
``@pytest.mark.proves("ID")`` that makes it report a finding for real, and one marked
``@pytest.mark.proves("ID", clean=True)`` where it runs clean. The marks are collected by
``conftest.py`` across the whole suite; this test compares them with the registry.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.registry import load_suites
from tests.conftest import COLLECTED_FILES, PROOFS

TESTS = Path(__file__).resolve().parent


def _whole_suite_collected(config: pytest.Config) -> bool:
    every = {p.resolve() for p in TESTS.rglob("test_*.py")}
    return every <= config.stash.get(COLLECTED_FILES, set())


def test_every_check_has_a_known_bad_and_a_clean_case(request: pytest.FixtureRequest) -> None:
    config = request.config
    if not _whole_suite_collected(config):
        pytest.skip("collects the proofs of the whole suite: run `pytest` on all of tests/")
    proofs = config.stash.get(PROOFS, {})
    ids = {c.id for c in load_suites()}
    unknown = sorted(set(proofs) - ids)
    assert not unknown, f"proves() names checks that are not registered: {unknown}"
    missing = {
        cid: [k for k in ("finding", "clean") if not proofs.get(cid, {}).get(k)]
        for cid in sorted(ids)
    }
    missing = {cid: kinds for cid, kinds in missing.items() if kinds}
    assert not missing, (
        f"{len(missing)} of {len(ids)} checks are not proven both ways "
        f"(check: missing cases): {missing}"
    )
