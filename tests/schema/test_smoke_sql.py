"""The self-checking psql script (tests/sql/smoke_rls.sql) passes on the canonical schema.

It is the reviewer-readable version of the isolation rules: plain SQL a DBA can run by hand.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.migrate import apply_schema
from harness.schema_dir import SchemaDir
from tests.support import SUPABASE, scratch_database

SCRIPT = Path(__file__).parents[1] / "sql" / "smoke_rls.sql"


@pytest.mark.skipif(shutil.which("psql") is None, reason="psql is not installed")
def test_smoke_script_passes() -> None:
    with scratch_database("smoke") as target:
        apply_schema(target, SchemaDir.open(Path(__file__).parents[2] / "schema"), seed=True,
                     platform=SUPABASE)
        done = subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", target, "-f", str(SCRIPT)],
            capture_output=True, text=True, timeout=120, check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "all checks passed" in done.stdout
