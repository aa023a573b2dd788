"""API030: schemathesis against PostgREST's OpenAPI as every role."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness.context import CheckContext
from tests.api.conftest import ApiContext, run, show

pytestmark = pytest.mark.slow


@pytest.mark.proves("API030", clean=True)
def test_no_server_error_on_canonical(canonical_api: CheckContext) -> None:
    msgs: list[str] = []
    canonical_api.progress = msgs.append
    # One request per operation and role: every operation is still called as every role (the
    # stats below), and `make check` runs the default three on the same schema.
    options = {**canonical_api.config.options, "api": {"fuzz_examples": 1}}
    canonical_api.config = replace(canonical_api.config, options=options)
    findings = run("API030", canonical_api)
    assert not findings, show(findings)
    stats = canonical_api.stats
    assert stats["calls"] >= stats["operations"] > 100
    assert stats.get("failures", 0) == 0


# An exposed function that fails the way an unconfigured server does: PostgREST answers 500.
UNCONFIGURED = """
create function public.nightly_report(day date) returns integer
language plpgsql stable set search_path = '' as $$
begin
  raise exception 'report storage is not configured' using errcode = '55000';
end $$;
grant execute on function public.nightly_report(date) to authenticated;
"""


@pytest.mark.proves("API030")
def test_a_function_answering_500_is_found(api_context: ApiContext) -> None:
    with api_context(UNCONFIGURED) as ctx:
        ctx.config = replace(ctx.config, options={"api": {"fuzz_examples": 1}})
        findings = run("API030", ctx)
    report = [f for f in findings if "nightly_report" in f.object]
    assert report, show(findings)
    assert "server error 500" in report[0].message
    assert report[0].details["curl"].startswith("curl ")
    assert report[0].seed == ctx.seed
