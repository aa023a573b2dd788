"""`make test` without a server stops at once with one line naming DBH_TEST_DSN."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_unreachable_test_server_is_one_line() -> None:
    env = {**os.environ, "DBH_TEST_DSN": "host=127.0.0.1 port=1 connect_timeout=2"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_migrate.py"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    out = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    assert proc.returncode == 4, out  # usage error: no test ran
    assert len(out) == 1, out
    assert "DBH_TEST_DSN" in out[0] and "Connection refused" in out[0], out
