"""The Supabase-style fixture project and ways to run dbharness on it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROJECT = REPO / "tests" / "fixtures" / "supabase_project"


def lay_out(root: Path) -> Path:
    """Copy the fixture project's files into ``root`` as a schema folder dbharness opens.

    The project's own migrations, seed and pgTAP files, with the canonical schema's bootstrap
    (what Supabase provides, for vanilla PostgreSQL) beside them.
    """
    src = PROJECT / "supabase"
    (root / "bootstrap").mkdir(parents=True)
    for f in (REPO / "schema" / "bootstrap").glob("*.sql"):
        shutil.copy(f, root / "bootstrap" / f.name)
    shutil.copytree(src / "migrations", root / "migrations")
    (root / "seed").mkdir()
    shutil.copy(src / "seed.sql", root / "seed" / "seed.sql")
    shutil.copytree(src / "tests", root / "tests")
    return root


@pytest.fixture
def supabase_project(tmp_path: Path) -> Path:
    """The fixture project as a schema directory, in a temporary folder."""
    return lay_out(tmp_path / "project")


def dbharness(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, in ``cwd``."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "harness", *args], cwd=cwd, env=env, capture_output=True,
        text=True, timeout=600, check=False,
    )
