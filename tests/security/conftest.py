"""A scratch copy of the canonical schema (with seed data), optionally made bad on purpose.

``rls_context(extra_sql)`` applies schema/ plus ``extra_sql`` (run after the seed, as the
superuser) into a template database ``rlsdev_<hex>_tpl`` and yields a CheckContext whose
``clone()`` copies it; everything is dropped afterwards.
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
from harness.schema_dir import SchemaDir, SqlFile
from harness.server import Server
from tests.support import SUPABASE, TEST_DSN

SCHEMA = Path(__file__).resolve().parents[2] / "schema"
RlsContext = Callable[..., AbstractContextManager[CheckContext]]


def _admin(server_dsn: str, stmt: sql.Composable) -> None:
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        conn.execute(stmt)


@contextmanager
def canonical_context(
    test_server: Server, tmp_dir: Path, extra_sql: str = "", *, cases: int = 2000,
    seed: int = 20261125, options: dict[str, object] | None = None,
) -> Iterator[CheckContext]:
    """The canonical schema (+ ``extra_sql``) in a template, and a CheckContext cloning it."""
    base = f"rlsdev_{secrets.token_hex(4)}"
    tpl = f"{base}_tpl"
    created: list[str] = []
    numbers = itertools.count(1)

    def create(name: str, template: str | None = None) -> str:
        q = sql.SQL("create database {}").format(sql.Identifier(name))
        if template:
            q = sql.SQL("{} template {}").format(q, sql.Identifier(template))
        _admin(test_server.admin_dsn, q)
        created.append(name)
        return test_server.dsn(name)

    @contextmanager
    def clone() -> Iterator[str]:
        name = f"{base}_{next(numbers)}"
        dsn = create(name, tpl)
        try:
            yield dsn
        finally:
            _admin(
                test_server.admin_dsn,
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)),
            )
            created.remove(name)

    try:
        tpl_dsn = create(tpl)
        extra = []
        if extra_sql:
            f = tmp_dir / f"{base}_bad.sql"
            f.write_text(extra_sql, encoding="utf-8")
            extra.append(SqlFile(f))
        apply_schema(tpl_dsn, SchemaDir.open(SCHEMA), seed=True, extra=extra,
                     platform=SUPABASE)
        scratch = create(f"{base}_scratch", tpl)
        yield CheckContext(
            dsn=scratch,
            schema=SchemaDir.open(SCHEMA),
            config=HarnessConfig(
                dsn=TEST_DSN, rls_cases=cases, seed=seed, options=dict(options or {})
            ),
            seed=seed,
            clone=clone,
            admin_dsn=test_server.admin_dsn,
        )
    finally:
        for name in reversed(list(created)):
            _admin(
                test_server.admin_dsn,
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)),
            )


@pytest.fixture
def rls_context(test_server: Server, tmp_path: Path) -> RlsContext:
    def make(
        extra_sql: str = "",
        *,
        cases: int = 2000,
        seed: int = 20261125,
        options: dict[str, object] | None = None,
    ) -> AbstractContextManager[CheckContext]:
        return canonical_context(test_server, tmp_path, extra_sql, cases=cases, seed=seed,
                                 options=options)

    return make
