"""The gate on the canonical schema: known-bad changes fail naming their check, benign pass.

Each file of tests/variants/gate/ is a new migration on a copy of the canonical repository
(committed as the base); its header names the check that must fail. Each file of
tests/variants/benign/ is a harmless change: with the dump regenerated and the access snapshot
re-recorded (as the README asks of every schema change), ``dbharness gate --base HEAD`` must pass
with zero findings. The gate runs its own suite plus the catalog lints a schema change is most
likely to trip (INT002 unindexed foreign key, INT005 missing foreign key), with the baseline pass
marking what is new.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from harness.cli import main
from harness.registry import load_suites
from tests.gate.conftest import REPO_ROOT, git
from tests.support import TEST_DSN

pytestmark = pytest.mark.slow

VARIANTS = REPO_ROOT / "tests" / "variants"
BAD = sorted((VARIANTS / "gate").glob("*.sql"))
BENIGN = sorted((VARIANTS / "benign").glob("*.sql"))
EXPECT = re.compile(r"^-- expect: (\w+)\s*$", re.MULTILINE)
NEW_MIGRATION = "9999_change.sql"
# the gate's own checks plus the integrity lints a migration most often trips
SELECTION = 'suites = ["gate"]\nchecks = ["INT002", "INT005"]\n'


def expected(path: Path) -> str:
    m = EXPECT.search(path.read_text(encoding="utf-8"))
    assert m, f"{path.name} has no '-- expect: ...' header"
    return m.group(1)


def canonical_repo(root: Path) -> Path:
    """A git repository holding the canonical schema and config, committed as the base."""
    shutil.copytree(REPO_ROOT / "schema", root / "schema")
    shutil.copy(REPO_ROOT / ".sqlfluff", root / ".sqlfluff")
    config = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (root / "pyproject.toml").write_text(
        config.replace("[tool.dbharness]\n", "[tool.dbharness]\n" + SELECTION, 1)
    )
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "canonical")
    return root


def gate(
    repo: Path, monkeypatch: pytest.MonkeyPatch, *, baseline: bool = True
) -> tuple[int, dict[str, object]]:
    monkeypatch.chdir(repo)
    reports = repo / "reports"
    code = main(["gate", "--base", "HEAD", "--dsn", TEST_DSN, "--changed-lint",
                 "--baseline" if baseline else "--no-baseline",
                 "--report-dir", str(reports), "--format", "json", "-q"])
    data = json.loads((reports / "latest" / "report.json").read_text())
    return code, data


@pytest.mark.parametrize(
    "variant", [pytest.param(v, id=v.stem, marks=pytest.mark.proves(expected(v))) for v in BAD]
)
def test_known_bad_change_fails_with_its_check(
    tmp_path: Path, variant: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = canonical_repo(tmp_path / "repo")
    shutil.copy(variant, repo / "schema" / "migrations" / NEW_MIGRATION)
    check_id = expected(variant)
    # the baseline pass (marking what is new) matters only to the checks outside the gate
    code, data = gate(repo, monkeypatch, baseline=not check_id.startswith("MIG"))
    assert code == 1, data["checks"]
    found = [f for f in data["findings"] if f["check_id"] == check_id]
    assert [f for f in found if not f.get("suppressed_reason")], data["findings"]
    if not check_id.startswith("MIG"):
        assert all(f["details"]["new"] for f in found)
    statuses = {c["id"]: c["status"] for c in data["checks"]}
    assert "error" not in statuses.values(), statuses


def _proves_every_gate_check_clean(test):  # type: ignore[no-untyped-def]
    for check in load_suites():
        if check.suite == "gate" or check.id in ("INT002", "INT005"):
            test = pytest.mark.proves(check.id, clean=True)(test)
    return test


@pytest.mark.parametrize("variant", BENIGN, ids=[v.stem for v in BENIGN])
@_proves_every_gate_check_clean
def test_benign_change_passes_with_zero_findings(
    tmp_path: Path, variant: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert expected(variant) == "pass"
    repo = canonical_repo(tmp_path / "repo")
    shutil.copy(variant, repo / "schema" / "migrations" / NEW_MIGRATION)
    monkeypatch.chdir(repo)
    assert main(["dump-schema", "--dsn", TEST_DSN]) == 0
    # and the access snapshot re-recorded: the reviewer approves its diff (ACC001, ACC002)
    assert main(["access", "record", "-q", "--dsn", TEST_DSN]) == 0
    code, data = gate(repo, monkeypatch)
    open_findings = [f for f in data["findings"] if not f.get("suppressed_reason")]
    assert (code, open_findings) == (0, [])
    statuses = {c["id"]: c["status"] for c in data["checks"]}
    assert set(statuses.values()) <= {"passed", "skipped"}, statuses
    assert statuses["MIG400"] == statuses["MIG411"] == statuses["MIG402"] == "passed"
