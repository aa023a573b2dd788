"""Shared fixtures: a real PostgreSQL server and small throwaway schema directories.

The server comes from DBH_TEST_DSN (default: the local server on 127.0.0.1:5432). These fixtures
are independent of the dbharness pytest plugin's dbh_* fixtures, which no test here requests.
"""

from __future__ import annotations

import secrets
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg import sql

from harness.config import HarnessConfig
from harness.errors import HarnessError
from harness.schema_dir import SchemaDir
from harness.server import Server, open_server, probe
from tests.support import (
    NOTES_MIGRATION,
    NOTES_SEED,
    ROLES_BOOTSTRAP,
    TEST_DSN,
    SchemaFactory,
)

pytest_plugins = ["pytester"]  # tests/test_plugin.py runs a child pytest


def pytest_configure(config: pytest.Config) -> None:
    """Stop at once, with one line, when the test server is unreachable.

    Nearly every test needs it; without this check each one errors on its own (hundreds of
    errors and thousands of lines saying the same thing).
    """
    if config.option.collectonly or config.option.help or config.option.version:
        return
    try:
        probe(TEST_DSN)
    except HarnessError as exc:
        raise pytest.UsageError(
            f"the test server is unreachable: {exc.message}. Start PostgreSQL there or point "
            "DBH_TEST_DSN at one (a libpq DSN)"
        ) from None


@pytest.fixture(scope="session")
def test_server() -> Iterator[Server]:
    """The external server tests run against."""
    with open_server(HarnessConfig(dsn=TEST_DSN)) as server:
        yield server


@pytest.fixture
def make_schema(tmp_path: Path) -> SchemaFactory:
    """Write a schema directory: ``make_schema(migrations={...}, bootstrap={...}, seed={...})``."""

    def _make(
        migrations: dict[str, str],
        bootstrap: dict[str, str] | None = None,
        seed: dict[str, str] | None = None,
        name: str = "schema",
    ) -> SchemaDir:
        root = tmp_path / name
        for sub, files in (("migrations", migrations), ("bootstrap", bootstrap or {}),
                           ("seed", seed or {})):
            (root / sub).mkdir(parents=True, exist_ok=True)
            for fname, text in files.items():
                (root / sub / fname).write_text(textwrap.dedent(text), encoding="utf-8")
        return SchemaDir.open(root)

    return _make


@pytest.fixture
def notes_schema(make_schema: SchemaFactory) -> SchemaDir:
    """Roles bootstrap + the RLS-protected notes table + three seed rows."""
    return make_schema(
        migrations={"0001_notes.sql": NOTES_MIGRATION},
        bootstrap={"00_roles.sql": ROLES_BOOTSTRAP},
        seed={"01_notes.sql": NOTES_SEED},
    )


@pytest.fixture
def fresh_db(test_server: Server) -> Iterator[str]:
    """DSN of an empty database for one test (not via Workspace: migrate is tested alone)."""
    name = f"dbh_test_{secrets.token_hex(4)}"
    with test_server.connect() as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    try:
        yield test_server.dsn(name)
    finally:
        with test_server.connect() as conn:
            conn.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
            )


# -- every check proven able to fail -------------------------------------------------------------
# Tests mark what they prove with @pytest.mark.proves("ID") (the check reports a finding) or
# @pytest.mark.proves("ID", clean=True) (it runs clean). Recorded as items are collected, before
# -k or -m deselect any, so tests/test_check_proofs.py sees the whole suite's marks.
PROOFS = pytest.StashKey[dict[str, dict[str, list[str]]]]()
COLLECTED_FILES = pytest.StashKey[set[Path]]()


def pytest_itemcollected(item: pytest.Item) -> None:
    config = item.config
    proofs = config.stash.setdefault(PROOFS, {})
    config.stash.setdefault(COLLECTED_FILES, set()).add(Path(str(item.fspath)).resolve())
    for mark in item.iter_markers("proves"):
        if len(mark.args) != 1 or set(mark.kwargs) - {"clean"}:
            raise pytest.UsageError(f"{item.nodeid}: use proves('ID') or proves('ID', clean=True)")
        kind = "clean" if mark.kwargs.get("clean") else "finding"
        proofs.setdefault(str(mark.args[0]), {}).setdefault(kind, []).append(item.nodeid)
