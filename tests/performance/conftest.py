"""Generated "tiny" datasets on the test server, one database per seed, shared by the module.

Databases are named ``perfdev_<random>_*`` and dropped at the end, also on failure.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from harness.config import HarnessConfig
from harness.context import CheckContext
from harness.datagen import generate_dataset
from harness.migrate import apply_schema
from harness.schema_dir import SchemaDir
from tests.support import SUPABASE, TEST_DSN

ADMIN_DSN = TEST_DSN
SCHEMA = SchemaDir.open(Path(__file__).resolve().parents[2] / "schema")
SEED = 4242
OTHER_SEED = 4243


def dsn_for(name: str) -> str:
    return psycopg.conninfo.make_conninfo(ADMIN_DSN, dbname=name)


def _admin(stmt: sql.Composable) -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(stmt)


class Databases:
    """Creates perfdev_* databases and drops every one it created."""

    def __init__(self) -> None:
        self.prefix = f"perfdev_{uuid.uuid4().hex[:8]}"
        self.created: list[str] = []

    def create(self, suffix: str, template: str | None = None) -> str:
        name = f"{self.prefix}_{suffix}"
        stmt = sql.SQL("create database {}").format(sql.Identifier(name))
        if template:
            stmt += sql.SQL(" template {}").format(sql.Identifier(template))
        self.created.append(name)
        _admin(stmt)
        return name

    def drop_all(self) -> None:
        for name in reversed(self.created):
            _admin(sql.SQL("drop database if exists {} with (force)").format(
                sql.Identifier(name)))


@pytest.fixture(scope="session")
def perf_dbs() -> Iterator[Databases]:
    dbs = Databases()
    try:
        yield dbs
    finally:
        dbs.drop_all()


@pytest.fixture(scope="session")
def schema_template(perf_dbs: Databases) -> str:
    """A database with the schema applied (no seed data), used as a template."""
    name = perf_dbs.create("tpl")
    apply_schema(dsn_for(name), SCHEMA, seed=False, platform=SUPABASE)
    return name


@pytest.fixture(scope="session")
def generated(perf_dbs: Databases, schema_template: str) -> Callable[[int, str], str]:
    """``generated(seed, tag)``: the DSN of a tiny dataset of ``seed`` (one database per tag)."""
    cache: dict[str, str] = {}

    def make(seed: int, tag: str) -> str:
        if tag not in cache:
            name = perf_dbs.create(tag, template=schema_template)
            generate_dataset(dsn_for(name), SCHEMA, "tiny", seed)
            cache[tag] = dsn_for(name)
        return cache[tag]

    return make


@pytest.fixture(scope="session")
def tiny_dsn(generated: Callable[[int, str], str]) -> str:
    return generated(SEED, "a")


@pytest.fixture
def clone_of(perf_dbs: Databases) -> Callable[[str], AbstractContextManager[str]]:
    """``clone_of(dsn)``: a private copy of a generated database for a test that changes it."""

    @contextmanager
    def make(dsn: str) -> Iterator[str]:
        source = psycopg.conninfo.conninfo_to_dict(dsn)["dbname"]
        assert isinstance(source, str)
        yield dsn_for(perf_dbs.create(f"c{uuid.uuid4().hex[:6]}", template=source))

    return make


@pytest.fixture
def template_clone(
    perf_dbs: Databases, schema_template: str
) -> Callable[[], AbstractContextManager[str]]:
    """A ``CheckContext.clone``: a fresh copy of the schema template (no data), dropped after."""

    @contextmanager
    def make() -> Iterator[str]:
        name = perf_dbs.create(f"t{uuid.uuid4().hex[:6]}", template=schema_template)
        try:
            yield dsn_for(name)
        finally:
            _admin(sql.SQL("drop database if exists {} with (force)").format(
                sql.Identifier(name)))

    return make


def schema_copy(tmp: Path, replace: dict[str, str] | None = None, append: str = "") -> SchemaDir:
    """A copy of the canonical schema whose query catalog has ``replace`` applied and ``append``
    added, and no baseline (the canonical one is of the ci scale)."""
    root = tmp / "schema"
    shutil.copytree(SCHEMA.root, root)
    catalog = root / "dbharness" / "queries.toml"
    text = catalog.read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text, f"the catalog no longer says {old!r}"
        text = text.replace(old, new)
    catalog.write_text(text + append, encoding="utf-8")
    (root / "dbharness" / "perf-baseline.json").unlink()
    return SchemaDir.open(root)


def context(
    dsn: str,
    schema: SchemaDir = SCHEMA,
    *,
    clone: Callable[[], AbstractContextManager[str]] | None = None,
    **options: Any,
) -> CheckContext:
    """A check context on ``dsn`` (a generated tiny dataset); ``options`` of the performance
    suite beside ``runs = 1``."""

    def no_clone() -> AbstractContextManager[str]:
        pytest.fail("the dataset is already in the database: no clone expected")

    config = HarnessConfig(scale="tiny", seed=SEED,
                           options={"performance": {"runs": 1, **options}})
    return CheckContext(dsn=dsn, schema=schema, config=config, seed=SEED,
                        clone=clone or no_clone)
