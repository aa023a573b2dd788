"""The example CI workflow gives PRV005 its extension: a postgres service image of major N comes
with a step installing postgresql-N-plpgsql-check into that container (else PRV005 is an error
and the documented gate exits 2)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "dbharness-gate.yml"


def test_example_workflow_installs_plpgsql_check_for_its_server() -> None:
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    checked = 0
    for name, job in jobs.items():
        for service_name, service in (job.get("services") or {}).items():
            m = re.fullmatch(r"postgres:(\d+)(?:[.-].*)?", str(service.get("image", "")))
            if not m:
                continue
            checked += 1
            runs = " ".join(str(step.get("run", "")) for step in job["steps"])
            assert f"job.services.{service_name}.id" in runs, f"{name}: no step in the container"
            assert f"postgresql-{m.group(1)}-plpgsql-check" in runs, (
                f"{name}: {service['image']} has no plpgsql_check; PRV005 would be an error"
            )
    assert checked, "the example workflow has no postgres service any more: update this test"
