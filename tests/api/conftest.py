"""The API suite's fixtures: the PostgREST binary ``make install`` fetched, and servers of it.

A missing binary fails these tests with the install command instead of skipping them: CI
installs PostgREST through ``make install``, so a skip there would hide a broken install.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from harness.config import ApiSettings, load_config
from harness.context import CheckContext
from harness.postgrest import ApiServers, PostgrestMissing, find_postgrest
from tests.security.conftest import RlsContext, rls_context  # noqa: F401  (fixture re-export)

REPO = Path(__file__).resolve().parents[2]
ApiContext = Callable[..., AbstractContextManager[CheckContext]]


@pytest.fixture(scope="session")
def api_settings() -> ApiSettings:
    """The project's ``[tool.dbharness.api]`` section (PostgREST as Supabase runs the schema)."""
    return load_config(REPO / "pyproject.toml").api


@pytest.fixture(scope="session")
def postgrest_bin(api_settings: ApiSettings) -> Path:
    """The installed PostgREST executable; a failure naming the install command if absent."""
    try:
        return find_postgrest(api_settings, start=REPO)
    except PostgrestMissing as exc:
        pytest.fail(f"{exc.message}\n{exc.hint}", pytrace=False)


@pytest.fixture
def api_context(
    rls_context: RlsContext, api_settings: ApiSettings, postgrest_bin: Path  # noqa: F811
) -> ApiContext:
    """``api_context(extra_sql, ...)``: the canonical schema (+ a bad change) with an API path."""

    @contextmanager
    def make(extra_sql: str = "", **kw: object) -> Iterator[CheckContext]:
        servers = ApiServers(api_settings, postgrest_bin)
        with rls_context(extra_sql, **kw) as ctx:
            ctx.api = servers
            try:
                yield ctx
            finally:
                servers.close()

    return make
