"""API001: the SQL impersonation path and the API path agree; a PostgREST-only rule is caught."""

from __future__ import annotations

import pytest

from harness.context import CheckContext
from tests.api.conftest import ApiContext, run, show

# A rule only a real request can trigger: PostgREST sets request.method to the HTTP verb, the
# SQL path to POST. Requesters, who may not read parts, read them over GET.
READ_ON_GET = """
create policy parts_read_on_get on public.parts for select to authenticated
  using (current_setting('request.method', true) = 'GET');
"""


@pytest.mark.proves("API001", clean=True)
def test_paths_agree_on_canonical(canonical_api: CheckContext) -> None:
    msgs: list[str] = []
    canonical_api.progress = msgs.append
    findings = run("API001", canonical_api)
    assert not findings, show(findings)
    stats = next(m for m in msgs if m.startswith("parity_cases"))
    values = dict(part.rsplit(" ", 1) for part in stats.split(", "))
    assert int(values["parity_cases"]) >= 300
    assert int(values["parity_mismatches"]) == 0
    # every actor kind x command drew denied cases, most drew allowed ones too
    assert int(values["parity_cells_with_denied"]) >= int(values["parity_cells"]) - 4
    assert int(values["parity_cells_with_allowed"]) >= 20


@pytest.mark.proves("API001")
def test_a_rule_only_the_api_path_triggers_is_a_mismatch(api_context: ApiContext) -> None:
    with api_context(READ_ON_GET) as ctx:
        findings = run("API001", ctx)
    assert findings, "the GET-only policy went unnoticed"
    parts = [f for f in findings if f.object == "public.parts"]
    assert parts, show(findings)
    f = parts[0]
    assert f.details["command"] == "R"
    assert "curl" in (f.repro_sql or "") and "set_config('role'" in (f.repro_sql or "")
    assert str(f.details["curl"]).startswith("curl ")
