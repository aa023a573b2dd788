"""The API suite's fixtures: the PostgREST binary ``make install`` fetched, and servers of it.

A missing binary fails these tests with the install command instead of skipping them: CI
installs PostgREST through ``make install``, so a skip there would hide a broken install.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from harness.config import ApiSettings, load_config
from harness.context import CheckContext
from harness.postgrest import ApiServers, PostgrestMissing, find_postgrest
from harness.registry import REGISTRY, Finding, load_suites
from harness.server import Server
from tests.security.conftest import canonical_context

REPO = Path(__file__).resolve().parents[2]
ApiContext = Callable[..., AbstractContextManager[CheckContext]]

load_suites()


def run(check_id: str, ctx: CheckContext) -> list[Finding]:
    """Run one check's function and collect its findings."""
    return list(REGISTRY.get(check_id).func(ctx))


def show(findings: list[Finding]) -> str:
    return "\n\n".join(f"{f.object}: {f.message}\n{f.repro_sql or ''}" for f in findings)


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


@contextmanager
def with_api(ctx: CheckContext, settings: ApiSettings, binary: Path) -> Iterator[CheckContext]:
    servers = ApiServers(settings, binary)
    ctx.api = servers
    ctx.config = replace(ctx.config, api=settings)
    try:
        yield ctx
    finally:
        servers.close()


@pytest.fixture
def api_context(
    test_server: Server, tmp_path: Path, api_settings: ApiSettings, postgrest_bin: Path
) -> ApiContext:
    """``api_context(extra_sql)``: the canonical schema (+ a bad change) with an API path."""

    @contextmanager
    def make(extra_sql: str = "", **kw: object) -> Iterator[CheckContext]:
        with (
            canonical_context(test_server, tmp_path, extra_sql, **kw) as ctx,  # type: ignore[arg-type]
            with_api(ctx, api_settings, postgrest_bin),
        ):
            yield ctx

    return make


@pytest.fixture(scope="module")
def canonical_api(
    test_server: Server, tmp_path_factory: pytest.TempPathFactory, api_settings: ApiSettings,
    postgrest_bin: Path,
) -> Iterator[CheckContext]:
    """The canonical schema with seed data and an API path, shared by a module's clean runs."""
    tmp = tmp_path_factory.mktemp("canonical_api")
    with canonical_context(test_server, tmp) as ctx, with_api(ctx, api_settings, postgrest_bin):
        yield ctx
