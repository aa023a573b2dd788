"""End to end: the access checks pass on the canonical schema and catch known-bad variants."""

from __future__ import annotations

import time

import pytest

from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, load_suites

pytestmark = pytest.mark.slow

load_suites()


def run(check_id: str, ctx: CheckContext) -> list[Finding]:
    return list(REGISTRY.get(check_id).func(ctx))


def show(findings: list[Finding]) -> str:
    return "\n\n".join(f"{f.object}: {f.message}\n{f.repro_sql or ''}" for f in findings)


def test_lifecycle_holds_on_canonical(rls_context) -> None:
    with rls_context(cases=1000) as ctx:
        start = time.perf_counter()
        findings = run("SEC101", ctx)
        print(f"SEC101 took {time.perf_counter() - start:.1f}s")
    assert not findings, show(findings)


def test_attacks_fail_on_canonical(rls_context) -> None:
    with rls_context() as ctx:
        findings = run("SEC102", ctx)
    assert not findings, show(findings)


def test_hostile_strings_on_canonical(rls_context) -> None:
    with rls_context() as ctx:
        findings = run("SEC104", ctx)
    assert not findings, show(findings)


def test_audit_complete_on_canonical(rls_context) -> None:
    with rls_context() as ctx:
        msgs: list[str] = []
        ctx.progress = msgs.append
        findings = run("SEC103", ctx)
    assert not findings, show(findings)
    assert any("audited writes checked" in m for m in msgs)
