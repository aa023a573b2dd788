"""Throwaway embedded PostgreSQL 15 and 17 servers for the version-matrix tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.config import HarnessConfig
from harness.server import Server, open_server


@pytest.fixture(scope="session")
def pg15() -> Iterator[Server]:
    """An embedded PostgreSQL 15 cluster (Debian's), whatever DBH_TEST_DSN's server is."""
    with open_server(HarnessConfig(postgres_version=15)) as server:
        yield server


@pytest.fixture(scope="session")
def pg17() -> Iterator[Server]:
    """An embedded PostgreSQL 17 cluster for the session, removed afterwards."""
    with open_server(HarnessConfig(postgres_version=17)) as server:
        yield server
