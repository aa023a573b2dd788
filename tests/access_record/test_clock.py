"""The committed snapshot of the canonical schema is current, and the clock does not change it.

Recorded a year ahead (Debian's ``faketime`` moves the clock of the CLI and of the embedded
PostgreSQL it starts: no DSN here), the canonical schema's effective access is byte for byte
the committed ``schema/dbharness/access-snapshot.toml``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
COMMITTED = REPO_ROOT / "schema" / "dbharness" / "access-snapshot.toml"


def test_canonical_snapshot_is_current_a_year_ahead(tmp_path: Path) -> None:
    faketime = shutil.which("faketime")
    assert faketime, "faketime is not installed (Debian package faketime, in the Makefile)"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PG") and k not in ("DATABASE_URL", "DBH_TEST_DSN")}
    out = tmp_path / "ahead.toml"
    proc = subprocess.run(
        [faketime, "+400 days", str(BIN / "dbharness"), "access", "record", "-q",
         "--schema", str(REPO_ROOT / "schema"), "--output", str(out)],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert out.read_text() == COMMITTED.read_text(), (
        "re-run `dbharness access record` and commit schema/dbharness/access-snapshot.toml")
