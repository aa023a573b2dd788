"""Same commit, same verdict, on any day: the clock moved a year ahead changes nothing.

Debian's ``faketime`` (libfaketime, LD_PRELOAD) moves the clock of the whole process tree:
the CLI, git, and the embedded PostgreSQL it starts (no DSN here, so the server is the
harness's own, started under the faked clock). The schemas create partitions relative to
``now()``: the canonical one (0005_audit.sql) and a pg_partman one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.gate.conftest import BOOTSTRAP, REPO_ROOT, git
from tests.gate.test_partitions import PARTMAN

pytestmark = pytest.mark.slow

AHEAD = "+400 days"
BIN = Path(sys.executable).parent
# what the canonical gate reads besides the schema: its config, the linters' configs
CONFIG_FILES = ("pyproject.toml", ".sqlfluff", ".squawk.toml")


def _faketime() -> str:
    exe = shutil.which("faketime")
    assert exe, "faketime is not installed (Debian package faketime, in the Makefile)"
    return exe


def _env() -> dict[str, str]:
    # no DSN of any kind: the harness starts its own server, inside the faked clock
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PG") and k not in ("DATABASE_URL", "DBH_TEST_DSN")
    }


def _run(argv: list[str], cwd: Path, *, ahead: bool) -> subprocess.CompletedProcess[str]:
    cmd = [str(BIN / "dbharness"), *argv]
    if ahead:
        cmd = [_faketime(), AHEAD, *cmd]
    return subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True,
                          check=False, timeout=600)


def _verdict(cwd: Path, argv: list[str], *, ahead: bool) -> tuple[int, dict[str, object]]:
    reports = cwd / f"reports-{argv[0]}-{'ahead' if ahead else 'now'}"
    proc = _run([*argv, "--report-dir", str(reports), "--format", "json", "-q"], cwd, ahead=ahead)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    (report,) = list(reports.glob("2*/report.json"))
    data = json.loads(report.read_text())
    year = int(report.parent.name[:4])  # the run id starts with the (possibly faked) date
    assert (year > datetime.now(UTC).year) == ahead, "faketime did not move the clock"
    statuses = {c["id"]: c["status"] for c in data["checks"]}
    findings = sorted((f["check_id"], f["object"]) for f in data["findings"])
    return proc.returncode, {"statuses": statuses, "findings": findings}


def _canonical_copy(tmp_path: Path) -> Path:
    root = tmp_path / "canonical"
    shutil.copytree(REPO_ROOT / "schema", root / "schema")
    for name in CONFIG_FILES:
        if (REPO_ROOT / name).is_file():
            shutil.copy(REPO_ROOT / name, root / name)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "canonical")
    return root


def test_embedded_server_runs_on_the_faked_clock() -> None:
    """The premise: under faketime the server the harness starts sees the moved clock."""
    probe = (
        "import psycopg\n"
        "from harness.config import HarnessConfig\n"
        "from harness.server import open_server\n"
        "with open_server(HarnessConfig()) as s, psycopg.connect(s.admin_dsn) as c:\n"
        "    print(c.execute('select extract(year from now())::int').fetchone()[0])\n"
    )
    proc = subprocess.run([_faketime(), AHEAD, sys.executable, "-c", probe], cwd=REPO_ROOT,
                          env=_env(), capture_output=True, text=True, check=True, timeout=300)
    assert int(proc.stdout.split()[-1]) > datetime.now(UTC).year


@pytest.mark.proves("MIG402", clean=True)
def test_canonical_gate_same_verdict_a_year_ahead(tmp_path: Path) -> None:
    repo = _canonical_copy(tmp_path)
    argv = ["gate", "--base", "HEAD", "--gate-only", "--changed-lint"]
    now = _verdict(repo, argv, ahead=False)
    ahead = _verdict(repo, argv, ahead=True)
    assert now == ahead
    assert now[0] == 0, now[1]
    # and the parts of `dbharness check` that read the catalog the same way
    argv = ["check", "--suite", "gate", "--check", "INT005"]
    assert _verdict(repo, argv, ahead=False) == _verdict(repo, argv, ahead=True)


def test_pg_partman_schema_same_verdict_a_year_ahead(tmp_path: Path) -> None:
    """A schema we did not write: pg_partman's daily partitions around now()."""
    root = tmp_path / "partman"
    for sub in ("bootstrap", "migrations"):
        (root / "schema" / sub).mkdir(parents=True)
    (root / "schema" / "bootstrap" / "0000_roles.sql").write_text(BOOTSTRAP)
    (root / "schema" / "migrations" / "0001_events.sql").write_text(PARTMAN)
    shutil.copy(REPO_ROOT / ".sqlfluff", root / ".sqlfluff")
    # the dump is written today, then judged a year later
    made = _run(["dump-schema", "--schema", "schema"], root, ahead=False)
    assert made.returncode == 0, made.stderr
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "events")
    argv = ["gate", "--base", "HEAD", "--schema", "schema", "--gate-only"]
    code, ahead = _verdict(root, argv, ahead=True)
    assert code == 0, ahead
    assert ahead["statuses"]["MIG402"] == "passed"
