"""A scratch copy of the canonical schema (with seed data) for the integrity checks.

The schema is applied once per session into ``integ_<hex>``; ``integrity_context(extra_sql)``
clones it, applies ``extra_sql`` (a known-bad variant) as the superuser and yields a
CheckContext whose scratch database and ``clone()`` copies come from that variant. Every database
created is dropped afterwards.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from harness.config import HarnessConfig
from harness.context import CheckContext
from harness.migrate import apply_schema
from harness.schema_dir import SchemaDir
from harness.server import Server
from tests.support import SUPABASE

SCHEMA = Path(__file__).resolve().parents[2] / "schema"
IntegrityContext = Callable[..., AbstractContextManager[CheckContext]]


def _admin(server: Server, stmt: sql.Composed) -> None:
    with psycopg.connect(server.admin_dsn, autocommit=True) as conn:
        conn.execute(stmt)


def _drop(server: Server, name: str) -> None:
    _admin(server, sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def _create(server: Server, name: str, template: str | None = None) -> str:
    q = sql.SQL("create database {}").format(sql.Identifier(name))
    if template:
        q = sql.SQL("{} template {}").format(q, sql.Identifier(template))
    _admin(server, q)
    return server.dsn(name)


@pytest.fixture(scope="session")
def canonical_template(test_server: Server) -> Iterator[str]:
    """Name of a database holding schema/ with its seed data (used only as a template)."""
    name = f"integ_{secrets.token_hex(4)}"
    try:
        apply_schema(_create(test_server, name), SchemaDir.open(SCHEMA), seed=True,
                     platform=SUPABASE)
        yield name
    finally:
        _drop(test_server, name)


@pytest.fixture
def integrity_context(test_server: Server, canonical_template: str) -> IntegrityContext:
    @contextmanager
    def make(
        extra_sql: str = "", *, options: dict[str, object] | None = None
    ) -> Iterator[CheckContext]:
        base = f"{canonical_template}_{secrets.token_hex(2)}"
        numbers = itertools.count(1)
        created: list[str] = []

        @contextmanager
        def clone() -> Iterator[str]:
            name = f"{base}_{next(numbers)}"
            created.append(name)
            dsn = _create(test_server, name, base)
            try:
                yield dsn
            finally:
                _drop(test_server, name)
                created.remove(name)

        try:
            created.append(base)
            dsn = _create(test_server, base, canonical_template)
            if extra_sql:
                with psycopg.connect(dsn, autocommit=True) as conn:
                    conn.execute(extra_sql.encode())
            created.append(f"{base}_scratch")
            scratch = _create(test_server, f"{base}_scratch", base)
            yield CheckContext(
                dsn=scratch,
                schema=SchemaDir.open(SCHEMA),
                config=HarnessConfig(dsn=test_server.admin_dsn, options=options or {}),
                seed=20261125,
                clone=clone,
                admin_dsn=test_server.admin_dsn,
            )
        finally:
            for name in reversed(created):
                _drop(test_server, name)

    return make
