"""LOD100 and LOD101 proven both ways, run as checks (``dbharness check --check LOD10x``).

The known-bad cases fail for a reason that cannot be noise: an operation the mix runs is
refused for real by the schema (LOD100 counts failures, never a timing here: the p95 budgets are
set out of reach), and a function every request calls leaves the caller's claims on the pooled
server connection (LOD101).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from harness.errors import ConfigError
from load.checks import smoke_settings
from tests.support import TEST_DSN

ROOT = Path(__file__).resolve().parents[2]
# Small and short: the smoke preset at 10 users for 8 s; budgets no machine can miss.
LOAD_OPTIONS = ('options = { load = { users = 10, spawn_rate = 10, duration_s = 8, '
                'pgbench_seconds = 2, p95_simple_ms = 600000, p95_complex_ms = 600000 } }\n')

# The parts catalogue refused to the app's users: low_stock (and start_complete's part pick)
# fail with 42501 on every call.
PARTS_REFUSED = "revoke select on public.parts from authenticated;\n"

# auth.role() "remembers" the caller for the session (set_config(..., false)): the next
# transaction on that server connection, another client's, still carries the claims.
CLAIMS_LEAK = """
create or replace function auth.role() returns text
language plpgsql stable
as $$
begin
  if nullif(current_setting('request.jwt.claims', true), '') is not null then
    perform set_config('request.jwt.claims', current_setting('request.jwt.claims'), false);
  end if;
  return coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'));
end
$$;
"""


def _schema(tmp_path: Path, variant: str | None) -> Path:
    dst = tmp_path / "schema"
    shutil.copytree(ROOT / "schema", dst, ignore=shutil.ignore_patterns("dump.sql"))
    if variant is not None:
        (dst / "migrations" / "9999_variant.sql").write_text(variant)
    return dst


def _check(tmp_path: Path, check_id: str, variant: str | None) -> tuple[int, dict[str, Any]]:
    config = tmp_path / "dbharness.toml"
    config.write_text(LOAD_OPTIONS)
    reports = tmp_path / "reports"
    code = main(["check", "--schema", str(_schema(tmp_path, variant)), "--dsn", TEST_DSN,
                 "--config", str(config), "--report-dir", str(reports), "--format", "json",
                 "-q", "--check", check_id])
    (report,) = [r for r in reports.glob("*/report.json") if not r.parent.is_symlink()]
    return code, json.loads(report.read_text())


def _status(report: dict[str, Any], check_id: str) -> str:
    (entry,) = [c for c in report["checks"] if c["id"] == check_id]
    return str(entry["status"])


@pytest.mark.slow
@pytest.mark.proves("LOD100", clean=True)
def test_lod100_passes_the_canonical_schema(tmp_path: Path) -> None:
    code, report = _check(tmp_path, "LOD100", None)
    assert code == 0, report["findings"]
    assert _status(report, "LOD100") == "passed"
    assert report["findings"] == []


@pytest.mark.slow
@pytest.mark.proves("LOD100")
def test_lod100_reports_operations_the_schema_refuses(tmp_path: Path) -> None:
    code, report = _check(tmp_path, "LOD100", PARTS_REFUSED)
    assert code == 1
    found = [f for f in report["findings"] if f["check_id"] == "LOD100"]
    assert [f["object"] for f in found] == ["load:failures"], found
    assert "42501" in found[0]["message"]
    # each verdict once: no finding repeated
    assert len({(f["object"], f["message"]) for f in report["findings"]}) == len(
        report["findings"])


@pytest.mark.proves("LOD101", clean=True)
def test_lod101_passes_the_canonical_schema(tmp_path: Path) -> None:
    code, report = _check(tmp_path, "LOD101", None)
    assert code == 0, report["findings"]
    assert _status(report, "LOD101") == "passed"


@pytest.mark.proves("LOD101")
def test_lod101_reports_claims_left_on_a_pooled_connection(tmp_path: Path) -> None:
    code, report = _check(tmp_path, "LOD101", CLAIMS_LEAK)
    assert code == 1
    found = [f for f in report["findings"] if f["check_id"] == "LOD101"]
    assert found and all(f["object"].startswith("pooler:") for f in found)
    assert '"sub"' in found[0]["message"]  # the previous caller's claims, seen by the next


def test_load_options_are_checked() -> None:
    s = smoke_settings({"users": 7, "think": [1, 2], "p95_simple_ms": 5})
    assert (s.users, s.think, s.thresholds.p95_ms["simple"]) == (7, (1.0, 2.0), 5.0)
    with pytest.raises(ConfigError, match="unknown setting"):
        smoke_settings({"userz": 7})
