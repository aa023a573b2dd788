"""The pytest plugin: a server, a template database with the schema, a clone per test.

Fixtures (nothing starts until a test asks for one of them):

- ``dbh_config`` (session): the run's :class:`HarnessConfig` (config file + ``--dbh-*`` options);
- ``dbh_server`` (session): the server of ``--dbh-dsn`` / ``DATABASE_URL`` / ``PG*``, else an
  embedded throwaway cluster;
- ``dbh_workspace`` (session): the schema applied once (with seed data) into a template;
- ``dbh_dsn`` (function): a fresh clone of the template, dropped after the test;
- ``dbh_conn`` (function): an autocommit superuser connection to that clone;
- ``dbh_actor`` (session): ``dbh_actor("technician", warehouse=1)``, ``dbh_actor(profile=id)``,
  ``dbh_actor("anon")``, ``dbh_actor("service_role")``: an :class:`~harness.impersonate.Actor`
  found in the seed data through the access matrix's ``[actors]`` table;
- ``dbh_impersonate`` (function): ``dbh_impersonate(actor, commit=False)`` is a context manager
  yielding a cursor that acts as ``actor`` (an Actor, or what ``dbh_actor`` takes: a role name
  and ``warehouse=``/``profile=``) the way PostgREST does.

The server can come from pytest-postgresql: ``--dbh-server-fixture=postgresql_noproc`` (or
``postgresql_proc``, or a fixture made by its factories) hands that fixture's server to the
dbh_* fixtures; :func:`schema_loader` loads the schema into pytest-postgresql's own template, so
its ``postgresql`` fixture (the janitor's clone per test) holds the schema too. See
docs/pytest.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from harness.access.actors import find_actor
from harness.access.matrix import AccessMatrix, load_matrix
from harness.config import PLATFORMS, HarnessConfig, load_config
from harness.embedded import find_bindir, server_version
from harness.errors import ConfigError, HarnessError
from harness.impersonate import Actor, impersonate
from harness.migrate import apply_schema
from harness.platform import profile
from harness.schema_dir import SchemaDir
from harness.server import Server, open_server, probe, sigterm_unwinds
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


def _platform_name(value: str) -> str:
    """Accept a platform profile's name; argparse turns the ValueError into a usage error."""
    if value not in PLATFORMS:
        raise ValueError(f"unknown platform {value!r} (known: {', '.join(PLATFORMS)})")
    return value


OPTIONS: tuple[_Option, ...] = (
    _Option("--dbh-dsn", "dsn", "DSN of the PostgreSQL server to test on (default: DATABASE_URL "
            "or PG* variables; with none, an embedded throwaway cluster is started)"),
    _Option("--dbh-pg", "postgres_version", "PostgreSQL major of the embedded server, e.g. 17 "
            "(with --dbh-dsn: the server must be of it)", int),
    _Option("--dbh-schema", "schema", "schema directory (default: from the config file)", Path),
    _Option("--dbh-platform", "platform", "platform base the schema is built on: "
            + ", ".join(PLATFORMS) + " (default: from the config file, else supabase)",
            _platform_name),
    _Option("--dbh-seed", "seed", "random seed for generated data and property tests", int),
    _Option("--dbh-no-seed-data", "load_seed_data", "do not load the schema's seed/ files",
            type=None, const=False),
)
# Not a config field: the name of a pytest-postgresql process fixture to take the server from.
SERVER_FIXTURE = "--dbh-server-fixture"
# Options whose value is a path: given as a separate argument, pytest counts that path when it
# picks the rootdir (before this plugin is loaded), so the `=` form is required.
PATH_OPTIONS = ("--dbh-schema",)

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
    group.addoption(
        SERVER_FIXTURE, dest="dbh_server_fixture", default=None, metavar="NAME",
        help="take the server from this pytest-postgresql fixture (postgresql_proc, "
        "postgresql_noproc or one made by its factories) instead of --dbh-dsn / embedded",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Refuse ``--dbh-schema PATH`` (space form): pytest took PATH into its rootdir choice."""
    args = [str(a) for a in config.invocation_params.args]
    for flag in PATH_OPTIONS:
        if flag in args:
            value = args[args.index(flag) + 1] if args.index(flag) + 1 < len(args) else "PATH"
            raise pytest.UsageError(
                f"write {flag}={value} (with '='): pytest reads a separate path argument before "
                f"this plugin loads and picked the rootdir {config.rootpath} from it"
            )


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
        bindir = find_bindir(major=cfg.postgres_version)
        return (f"dbharness: PostgreSQL {server_version(bindir)} (embedded from {bindir}, "
                "started on first use)")
    except HarnessError as exc:
        return f"dbharness: {exc.message}"


@pytest.fixture(scope="session")
def dbh_config(pytestconfig: pytest.Config) -> HarnessConfig:
    """Return the run's configuration."""
    return _config(pytestconfig)


def _schema(config: HarnessConfig, rootpath: Path) -> SchemaDir:
    """Open the schema directory, or fail the test with one line saying what to pass."""
    try:
        return SchemaDir.open(config.schema)
    except ConfigError as exc:
        pytest.fail(
            f"dbharness: {exc.message} (looked in {Path.cwd()}, rootdir {rootpath}); pass "
            "--dbh-schema=DIR or set schema in dbharness.toml / [tool.dbharness]",
            pytrace=False,
        )


def executor_dsn(executor: Any) -> str:
    """Return the maintenance-database DSN of a pytest-postgresql executor (proc or noproc)."""
    params = {
        "host": executor.host, "port": executor.port, "user": executor.user,
        "password": executor.password or None, "options": executor.options or None,
        "dbname": getattr(executor, "maintenance_dbname", "postgres"),
    }
    return make_conninfo("", **{k: v for k, v in params.items() if v is not None})


def _fixture_server(request: pytest.FixtureRequest, name: str) -> Server:
    try:
        executor = request.getfixturevalue(name)
    except pytest.FixtureLookupError:
        pytest.fail(f"dbharness: {SERVER_FIXTURE}={name}: no such fixture (pytest-postgresql's "
                    "are postgresql_proc and postgresql_noproc)", pytrace=False)
    except Exception as exc:
        root = " (pytest-postgresql's initdb refuses to run as root: drop "\
            f"{SERVER_FIXTURE} to use dbharness's embedded cluster, which runs initdb as an "\
            "unprivileged user)" if os.geteuid() == 0 else ""
        pytest.fail(f"dbharness: the server fixture {name} failed: {exc}{root}", pytrace=False)
    if not hasattr(executor, "host") or not hasattr(executor, "port"):
        pytest.fail(f"dbharness: {SERVER_FIXTURE}={name} is not a pytest-postgresql process "
                    "fixture (it has no host/port)", pytrace=False)
    return probe(executor_dsn(executor))


@pytest.fixture(scope="session")
def dbh_server(
    dbh_config: HarnessConfig, request: pytest.FixtureRequest
) -> Iterator[Server]:
    """Yield the server for this session (embedded clusters are deleted at session end).

    The schema directory is checked first: a wrong path fails before any cluster starts.
    """
    _schema(dbh_config, request.config.rootpath)
    name = request.config.getoption("dbh_server_fixture")
    if name:
        with sigterm_unwinds():
            yield _fixture_server(request, name)
        return
    with open_server(dbh_config) as server:
        yield server


@pytest.fixture(scope="session")
def dbh_workspace(
    dbh_server: Server, dbh_config: HarnessConfig, request: pytest.FixtureRequest
) -> Iterator[Workspace]:
    """Yield the schema applied once into a template database; dropped at session end."""
    schema = _schema(dbh_config, request.config.rootpath)
    with Workspace(dbh_server, schema, seed_data=dbh_config.load_seed_data,
                   platform=profile(dbh_config.platform)) as ws:
        yield ws


@pytest.fixture(scope="session")
def dbh_matrix(dbh_workspace: Workspace) -> AccessMatrix | None:
    """Return the schema's access matrix (``dbharness/access.toml``), if it has one."""
    path = dbh_workspace.schema.plugin("access.toml")
    return load_matrix(path) if path is not None else None


ActorFn = Callable[..., Actor]


@pytest.fixture(scope="session")
def dbh_actor(dbh_workspace: Workspace, dbh_matrix: AccessMatrix | None) -> ActorFn:
    """Return ``dbh_actor(role=None, *, warehouse=None, profile=None, index=0)`` -> Actor.

    ``dbh_actor("technician", warehouse=1)``: the first active technician of the first warehouse
    (tenants in id order); ``dbh_actor(profile=uuid)``; ``dbh_actor("anon")``,
    ``dbh_actor("service_role")``. Profiles are read from the seed data.
    """
    cache: dict[tuple[Any, ...], Actor] = {}

    def _actor(role: str | None = None, *, warehouse: Any = None, profile: Any = None,
               index: int = 0) -> Actor:
        key = (role, warehouse, str(profile) if profile else None, index)
        if key not in cache:
            try:
                with psycopg.connect(dbh_workspace.scratch_dsn, autocommit=True) as conn:
                    cache[key] = find_actor(conn, dbh_matrix, role, warehouse=warehouse,
                                            profile=profile, index=index)
            except HarnessError as exc:
                pytest.fail(f"dbh_actor: {exc}", pytrace=False)
        return cache[key]

    return _actor


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
def dbh_impersonate(dbh_conn: psycopg.Connection[Any], dbh_actor: ActorFn) -> ImpersonateFn:
    """Return ``dbh_impersonate(actor, commit=False, **who)``: a cursor acting as ``actor``.

    ``actor`` is an :class:`Actor` or what ``dbh_actor`` takes: ``dbh_impersonate("technician",
    warehouse=1)``, ``dbh_impersonate("anon")``.
    """

    def _as(
        actor: Actor | str | None = None, commit: bool = False, **who: Any
    ) -> AbstractContextManager[psycopg.Cursor[Any]]:
        if not isinstance(actor, Actor):
            actor = dbh_actor(actor, **who)
        elif who:
            raise TypeError("warehouse=/profile= go with a role name, not with an Actor")
        return impersonate(dbh_conn, actor, commit=commit)

    return _as


def schema_loader(
    schema: str | Path = "schema", *, seed: bool = True, platform: str = "supabase"
) -> Callable[..., None]:
    """Return a pytest-postgresql ``load`` callable that applies ``schema`` (and its seed).

    ``postgresql_noproc(load=[schema_loader("schema")])``: pytest-postgresql builds its template
    with the schema (on the ``platform`` base), and its ``postgresql`` fixture hands each test
    the janitor's clone of it.
    """
    sd = SchemaDir.open(schema)
    base = profile(platform)

    def load(host: str, port: int | str, user: str, dbname: str, password: str | None = None,
             **_: Any) -> None:
        params = {"host": host, "port": port, "user": user, "dbname": dbname,
                  "password": password}
        apply_schema(make_conninfo("", **{k: v for k, v in params.items() if v is not None}),
                     sd, seed=seed, platform=base)

    return load

