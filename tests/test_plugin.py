"""The pytest plugin, run in a child pytest against the test server."""

from __future__ import annotations

import os
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
    result.stdout.fnmatch_lines(["dbharness: PostgreSQL 1?.* (external, *"])


def test_options_are_generated_from_the_table(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    from harness.plugin import OPTIONS

    result = pytester.runpytest_subprocess(*LOAD_PLUGIN, "--help")
    for opt in OPTIONS:
        result.stdout.fnmatch_lines([f"*{opt.flag}*"])


def _notes_project(pytester: pytest.Pytester) -> None:
    for sub, name, text in (
        ("bootstrap", "00_roles.sql", ROLES_BOOTSTRAP),
        ("migrations", "0001_notes.sql", NOTES_MIGRATION),
        ("seed", "01_notes.sql", NOTES_SEED),
    ):
        (pytester.path / "db" / sub).mkdir(parents=True, exist_ok=True)
        (pytester.path / "db" / sub / name).write_text(text)


ACTOR_ERRORS = '''
import pytest

def test_role_without_matrix(dbh_impersonate):
    with dbh_impersonate("technician"):
        pass

def test_anon_and_service_role_need_no_matrix(dbh_actor):
    assert dbh_actor("anon").db_role == "anon"
    assert dbh_actor("service_role").db_role == "service_role"

def test_profile_by_id_needs_no_matrix(dbh_impersonate):
    with dbh_impersonate(profile="{alice}") as cur:
        assert cur.execute("select count(*) from public.notes").fetchone() == (2,)
'''


def test_actors_by_name_and_their_errors(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    _notes_project(pytester)
    pytester.makepyfile(test_inner=ACTOR_ERRORS.replace("{alice}", ALICE))
    result = pytester.runpytest_subprocess(
        *LOAD_PLUGIN, f"--dbh-dsn={TEST_DSN}", "--dbh-schema=db", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*dbh_actor: cannot find a 'technician' profile: the schema has "
                                 "no dbharness/access.toml*"])
    result.stdout.no_fnmatch_line("*AttributeError*")


def test_unknown_role_names_the_known_ones(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester.makepyfile(test_inner='''
def test_x(dbh_actor):
    dbh_actor("janitor")

def test_no_such_warehouse(dbh_actor):
    dbh_actor("technician", warehouse=9)
''')
    result = pytester.runpytest_subprocess(
        *LOAD_PLUGIN, f"--dbh-dsn={TEST_DSN}", f"--dbh-schema={REPO / 'schema'}",
        "--dbh-no-seed-data", "-p", "no:cacheprovider",
    )
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines([
        "*dbh_actor: unknown role 'janitor'*",
        "*hint: the access matrix's roles: admin, manager, supervisor, technician*",
    ])


def test_outside_the_project_a_missing_schema_is_one_line(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    pytester.makepyfile(test_inner="def test_x(dbh_conn):\n    pass\n")
    # no --dbh-dsn: were the schema not checked first, an embedded cluster would start
    result = pytester.runpytest_subprocess(*LOAD_PLUGIN, "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([
        "*dbharness: schema directory not found: schema (looked in *); pass --dbh-schema=DIR*"
    ])
    result.stdout.no_fnmatch_line("*starting*PostgreSQL*")


def test_space_separated_schema_path_is_refused(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    project = pytester.mkdir("project")
    (project / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
    (project / "test_inner.py").write_text("def test_x():\n    pass\n")
    elsewhere = pytester.mkdir("elsewhere")
    monkeypatch.chdir(project)
    result = pytester.runpytest_subprocess(*LOAD_PLUGIN, "--dbh-schema", str(elsewhere))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    # the rootdir pytest picked: the common parent of the project and the schema path
    result.stderr.fnmatch_lines([f"*write --dbh-schema={elsewhere} (with '=')*rootdir "
                                 f"{pytester.path}*"])


@pytest.mark.skipif(os.geteuid() != 0, reason="pytest-postgresql's initdb works as non-root")
def test_postgresql_proc_as_root_says_why(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    _notes_project(pytester)
    pytester.makepyfile(test_inner="def test_x(dbh_server):\n    pass\n")
    pg_ctl = next(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    result = pytester.runpytest_subprocess(
        *LOAD_PLUGIN, "--dbh-schema=db", "--dbh-server-fixture=postgresql_proc",
        f"--postgresql-exec={pg_ctl}", "-p", "no:cacheprovider",
    )
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*pytest-postgresql's initdb refuses to run as root*"])
