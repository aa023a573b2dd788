"""The pytest plugin: a server, a template database with the schema, a clone per test.

Fixtures (nothing starts until a test asks for one of them):

- ``dbh_config`` (session): the run's :class:`HarnessConfig` (config file + ``--dbh-*`` options);
- ``dbh_server`` (session): the server of ``--dbh-dsn`` / ``DATABASE_URL`` / ``PG*``, else an
  embedded throwaway cluster;
- ``dbh_workspace`` (session): the schema applied once (with seed data) into a template;
- ``dbh_dsn`` (function): a fresh clone of the template, dropped after the test;
- ``dbh_conn`` (function): an autocommit superuser connection to that clone;
- ``dbh_impersonate`` (function): ``dbh_impersonate(actor, commit=False)`` is a context manager
  yielding a cursor that acts as ``actor`` the way PostgREST does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from harness.config import HarnessConfig, load_config
from harness.embedded import find_bindir, server_version
from harness.errors import HarnessError
from harness.impersonate import Actor, impersonate
from harness.schema_dir import SchemaDir
from harness.server import Server, open_server, probe
from harness.workspace import Workspace

ImpersonateFn = Callable[..., AbstractContextManager[psycopg.Cursor[Any]]]


@dataclass(frozen=True)
class _Option:
    """One ``--dbh-*`` option and the :class:`HarnessConfig` field it overrides."""

    flag: str
    field: str
    help: str
    type: Callable[[str], Any] | None = str
    const: Any = None  # set for flags that take no value

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


OPTIONS: tuple[_Option, ...] = (
    _Option("--dbh-dsn", "dsn", "DSN of the PostgreSQL server to test on (default: DATABASE_URL "
            "or PG* variables; with none, an embedded throwaway cluster is started)"),
    _Option("--dbh-schema", "schema", "schema directory (default: from the config file)", Path),
    _Option("--dbh-seed", "seed", "random seed for generated data and property tests", int),
    _Option("--dbh-no-seed-data", "load_seed_data", "do not load the schema's seed/ files",
            type=None, const=False),
)

_CONFIG_KEY = pytest.StashKey[HarnessConfig]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the ``--dbh-*`` options, one per row of :data:`OPTIONS`."""
    group = parser.getgroup("dbharness", "database harness (dbharness)")
    for opt in OPTIONS:
        if opt.const is not None:
            group.addoption(opt.flag, dest=opt.dest, action="store_const", const=opt.const,
                            default=None, help=opt.help)
        else:
            group.addoption(opt.flag, dest=opt.dest, type=opt.type, default=None, help=opt.help)


def _config(config: pytest.Config) -> HarnessConfig:
    """Read the config file (found from the rootdir) and apply the ``--dbh-*`` options; cached."""
    if _CONFIG_KEY not in config.stash:
        base = load_config(start=config.rootpath)
        given = {opt.field: config.getoption(opt.dest) for opt in OPTIONS}
        config.stash[_CONFIG_KEY] = base.with_overrides(**given)
    return config.stash[_CONFIG_KEY]


def pytest_report_header(config: pytest.Config) -> str:
    """Name the server the dbh_* fixtures will use; cheap (no cluster is started for it)."""
    try:
        cfg = _config(config)
        if cfg.dsn is not None:
            return f"dbharness: {probe(cfg.dsn).description}"
        bindir = find_bindir()
        return (f"dbharness: PostgreSQL {server_version(bindir)} (embedded from {bindir}, "
                "started on first use)")
    except HarnessError as exc:
        return f"dbharness: {exc.message}"


@pytest.fixture(scope="session")
def dbh_config(pytestconfig: pytest.Config) -> HarnessConfig:
    """Return the run's configuration."""
    return _config(pytestconfig)


@pytest.fixture(scope="session")
def dbh_server(dbh_config: HarnessConfig) -> Iterator[Server]:
    """Yield the server for this session (embedded clusters are deleted at session end)."""
    with open_server(dbh_config) as server:
        yield server


@pytest.fixture(scope="session")
def dbh_workspace(dbh_server: Server, dbh_config: HarnessConfig) -> Iterator[Workspace]:
    """Yield the schema applied once into a template database; dropped at session end."""
    schema = SchemaDir.open(dbh_config.schema)
    with Workspace(dbh_server, schema, seed_data=dbh_config.load_seed_data) as ws:
        yield ws


@pytest.fixture
def dbh_dsn(dbh_workspace: Workspace) -> Iterator[str]:
    """Yield the DSN of a private clone of the template, dropped after the test."""
    with dbh_workspace.clone() as dsn:
        yield dsn


@pytest.fixture
def dbh_conn(dbh_dsn: str) -> Iterator[psycopg.Connection[Any]]:
    """Yield an autocommit superuser connection to the test's clone."""
    with psycopg.connect(dbh_dsn, autocommit=True) as conn:
        yield conn


@pytest.fixture
def dbh_impersonate(dbh_conn: psycopg.Connection[Any]) -> ImpersonateFn:
    """Return ``dbh_impersonate(actor, commit=False)``: a cursor acting as ``actor``."""

    def _as(actor: Actor, commit: bool = False) -> AbstractContextManager[psycopg.Cursor[Any]]:
        return impersonate(dbh_conn, actor, commit=commit)

    return _as

