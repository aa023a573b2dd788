"""Verdicts do not depend on the wall clock: the same under ``faketime '+400 days'``.

PostgREST is a static binary that faketime cannot shift, like a server whose clock differs from
the runner's: tokens are minted on the server's clock (its Date header), so an expired token is
expired and a fresh one fresh whatever the harness's clock says.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import TEST_DSN

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_token_verdicts_are_the_same_400_days_from_now(tmp_path: Path, postgrest_bin: Path
                                                       ) -> None:
    faketime = shutil.which("faketime")
    if faketime is None:
        pytest.fail("faketime is not installed: `make install` installs it (Debian faketime)")
    dbharness = str(Path(sys.executable).with_name("dbharness"))
    cmd = [faketime, "+400 days", dbharness, "check", "--dsn", TEST_DSN, "--api", "postgrest",
           "--check", "API020", "--check", "API015", "--report-dir", str(tmp_path),
           "--format", "json"]
    res = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "PATH": f"{Path(sys.executable).parent}:"
                              f"{os.environ.get('PATH', '')}"})
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    (report,) = tmp_path.glob("2*/report.json")
    data = json.loads(report.read_text())
    text = json.dumps(data)
    assert '"API020"' in text and '"passed"' in text
    # the harness really ran 400 days ahead: its run id carries the shifted date
    assert not report.parent.name.startswith(str(__import__("time").gmtime().tm_year))
