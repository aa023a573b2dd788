"""The example CI workflow gives PRV005 its extension: a postgres service image of major N comes
with a step installing postgresql-N-plpgsql-check into that container (else PRV005 is an error
and the documented gate exits 2), and the client tools of major N; each leg of its PostgreSQL
matrix is checked."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "dbharness-gate.yml"


def _expand(text: str, values: dict[str, object]) -> str:
    """Substitute ``${{ matrix.<key> }}`` as GitHub does for one matrix combination."""
    return re.sub(r"\$\{\{\s*matrix\.(\w+)\s*\}\}", lambda m: str(values[m.group(1)]), text)


def _combinations(job: dict[str, Any]) -> list[dict[str, object]]:
    matrix = (job.get("strategy") or {}).get("matrix") or {}
    keys = [k for k in matrix if k not in ("include", "exclude")]
    return [dict(zip(keys, combo, strict=True))
            for combo in itertools.product(*(matrix[k] for k in keys))] or [{}]


def test_example_workflow_installs_plpgsql_check_for_its_server() -> None:
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    checked = 0
    for name, job in jobs.items():
        for values in _combinations(job):  # each matrix leg: its image and its steps
            for service_name, service in (job.get("services") or {}).items():
                image = _expand(str(service.get("image", "")), values)
                m = re.fullmatch(r"postgres:(\d+)(?:[.-].*)?", image)
                if not m:
                    continue
                checked += 1
                runs = _expand(" ".join(str(step.get("run", "")) for step in job["steps"]), values)
                assert f"job.services.{service_name}.id" in runs, f"{name}: no step in it"
                assert f"postgresql-{m.group(1)}-plpgsql-check" in runs, (
                    f"{name} {values}: {image} has no plpgsql_check; PRV005 would be an error"
                )
                assert f"postgresql-client-{m.group(1)}" in runs, (
                    f"{name} {values}: no pg_dump of {image}'s major; INT030 would be an error"
                )
    assert checked, "the example workflow has no postgres service any more: update this test"
