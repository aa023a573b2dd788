"""The Supabase-style fixture projects under tests/platform/projects/, built on a profile."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from harness.config import HarnessConfig
from harness.context import CheckContext
from harness.platform import profile
from harness.registry import REGISTRY, Finding, load_suites
from harness.schema_dir import SchemaDir
from harness.server import Server
from harness.workspace import Workspace, make_context
from tests.support import TEST_DSN

PROJECTS = Path(__file__).resolve().parent / "projects"


@contextmanager
def project_context(
    server: Server, name: str, platform: str = "supabase", **config: Any
) -> Iterator[CheckContext]:
    """A check context on the project ``name`` (seeded) built on the ``platform`` profile."""
    root = PROJECTS / name
    cfg = HarnessConfig(dsn=TEST_DSN, schema=root, platform=platform, **config)
    with Workspace(server, SchemaDir.open(root), seed_data=True,
                   platform=profile(platform)) as ws:
        yield make_context(ws, cfg)


def run(ctx: CheckContext, check_id: str) -> list[Finding]:
    """The findings of one check on ``ctx``."""
    load_suites()
    return list(REGISTRY.get(check_id).func(ctx))
