"""The pytest plugin, run in a child pytest against the test server."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import pytest

from tests.support import ALICE, NOTES_MIGRATION, NOTES_SEED, ROLES_BOOTSTRAP, TEST_DSN

REPO = Path(__file__).resolve().parents[1]
# Installed, the entry point loads the plugin; from a bare checkout it must be named.
LOAD_PLUGIN = (
    []
    if any(ep.value == "harness.plugin" for ep in entry_points(group="pytest11"))
    else ["-p", "harness.plugin"]
)

INNER_TESTS = f'''
from harness.impersonate import Actor

def test_clone_has_seed(dbh_conn):
    assert dbh_conn.execute("select count(*) from public.notes").fetchone() == (3,)
    dbh_conn.execute("delete from public.notes")

def test_next_clone_is_fresh(dbh_conn):
    assert dbh_conn.execute("select count(*) from public.notes").fetchone() == (3,)

def test_impersonate(dbh_impersonate):
    with dbh_impersonate(Actor.user("{ALICE}")) as cur:
        assert cur.execute("select count(*) from public.notes").fetchone() == (2,)
'''


def test_plugin_fixtures_and_header(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    for sub, name, text in (
        ("bootstrap", "00_roles.sql", ROLES_BOOTSTRAP),
        ("migrations", "0001_notes.sql", NOTES_MIGRATION),
        ("seed", "01_notes.sql", NOTES_SEED),
    ):
        (pytester.path / "db" / sub).mkdir(parents=True, exist_ok=True)
        (pytester.path / "db" / sub / name).write_text(text)
    pytester.makepyfile(test_inner=INNER_TESTS)

    result = pytester.runpytest_subprocess(
        *LOAD_PLUGIN, f"--dbh-dsn={TEST_DSN}", "--dbh-schema=db", "-p", "no:cacheprovider"
    )

    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["dbharness: PostgreSQL 15* (external, *"])


def test_options_are_generated_from_the_table(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    from harness.plugin import OPTIONS

    result = pytester.runpytest_subprocess(*LOAD_PLUGIN, "--help")
    for opt in OPTIONS:
        result.stdout.fnmatch_lines([f"*{opt.flag}*"])
