"""The pytest plugin's embedded server at a chosen major: --dbh-pg 17."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import NOTES_MIGRATION, ROLES_BOOTSTRAP
from tests.test_plugin import LOAD_PLUGIN

REPO = Path(__file__).resolve().parents[2]

INNER_TESTS = """
def test_server_is_17(dbh_conn):
    num = dbh_conn.execute("select current_setting('server_version_num')::int").fetchone()[0]
    assert 170000 <= num < 180000

def test_schema_applied(dbh_conn):
    assert dbh_conn.execute("select count(*) from public.notes").fetchone() == (0,)
"""


def test_plugin_starts_an_embedded_server_of_the_asked_major(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    for var in ("DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGSERVICE"):
        monkeypatch.delenv(var, raising=False)
    for sub, name, text in (("bootstrap", "00_roles.sql", ROLES_BOOTSTRAP),
                            ("migrations", "0001_notes.sql", NOTES_MIGRATION)):
        (pytester.path / "db" / sub).mkdir(parents=True, exist_ok=True)
        (pytester.path / "db" / sub / name).write_text(text)
    pytester.makepyfile(test_inner=INNER_TESTS)

    result = pytester.runpytest_subprocess(*LOAD_PLUGIN, "--dbh-pg=17", "--dbh-schema=db",
                                           "-p", "no:cacheprovider")

    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["dbharness: PostgreSQL 17.* (embedded from *"])
