"""The baseline pass: what is new on head, asked of the base only when a head finding needs it.

A table without a primary key (INT001) stands for any finding outside the gate suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.cli import main
from tests.gate.conftest import git

NO_KEY = "create table public.notes_{n} (body text);\n"
SELECTION = 'suites = ["gate"]\nchecks = ["INT001"]\n'


def _with_keyless_table(repo: Path) -> Path:
    (repo / "dbharness.toml").write_text(SELECTION)
    (repo / "schema" / "migrations" / "0002_notes.sql").write_text(NO_KEY.format(n="old"))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a keyless table at base")
    return repo


def _findings(reports: Path) -> list[dict[str, object]]:
    data = json.loads((reports / "latest" / "report.json").read_text())
    return [f for f in data["findings"] if f["check_id"] == "INT001"]


def test_unchanged_schema_runs_nothing_on_the_base(
    catalog_repo: Path, admin_dsn: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo = _with_keyless_table(catalog_repo)
    monkeypatch.chdir(repo)
    code = main(["gate", "--base", "HEAD", "--dsn", admin_dsn, "--changed-lint", "-v",
                 "--report-dir", "reports", "--format", "json"])
    assert code == 1
    assert [(f["object"], f["details"]["new"]) for f in _findings(repo / "reports")] == [
        ("public.notes_old", False)
    ]
    assert "baseline pass ran on the base schema: none" in capsys.readouterr().err


def test_changed_schema_asks_the_base_on_the_embedded_server(catalog_repo: Path) -> None:
    """No DSN: the run's embedded server and the base's are each stopped cleanly (exit 1)."""
    repo = _with_keyless_table(catalog_repo)
    (repo / "schema" / "migrations" / "0003_more.sql").write_text(NO_KEY.format(n="new"))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PG") and k not in ("DATABASE_URL", "DBH_TEST_DSN")}
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "dbharness"), "gate", "--base", "HEAD",
         "--changed-lint", "-v", "--report-dir", "reports", "--format", "json"],
        cwd=repo, env=env, capture_output=True, text=True, check=False, timeout=600,
    )
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert sorted((f["object"], f["details"]["new"]) for f in _findings(repo / "reports")) == [
        ("public.notes_new", True),
        ("public.notes_old", False),
    ]
    assert "baseline pass ran on the base schema: INT001" in proc.stderr
