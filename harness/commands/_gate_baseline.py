"""Which findings a change introduces, relative to the base schema (the baseline pass).

The other suites run on the base schema too; a head finding whose key (check ID + object)
the base did not have gets ``details.new = true``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from harness.config import HarnessConfig
from harness.context import CheckContext
from harness.registry import Check, CheckFunc, Finding, Registry
from harness.schema_dir import SchemaDir

GATE_SUITE = "gate"
FindingKey = tuple[str, str]


def key_of(f: Finding) -> FindingKey:
    """Return what identifies "the same finding" across two schemas."""
    return (f.check_id, f.object)


def baseline_keys(config: HarnessConfig, base: SchemaDir, checks: list[Check]) -> set[FindingKey]:
    """Collect the finding keys of ``checks`` on the base schema (a run with no report writers)."""
    from harness.runner import run_checks
    from harness.server import open_server
    from harness.workspace import Workspace, make_context, new_run_id

    with (
        open_server(config) as server,
        Workspace(
            server, base, seed_data=config.load_seed_data, run_id=f"base_{new_run_id()}"
        ) as workspace,
    ):
        ctx = make_context(workspace, config)
        result = run_checks(ctx, checks, [])
    return {key_of(f) for f in result.findings}


def _marking(func: CheckFunc, known: set[FindingKey]) -> CheckFunc:
    def wrapped(ctx: CheckContext) -> Iterator[Finding]:
        for f in func(ctx):
            yield replace(f, details={**f.details, "new": key_of(f) not in known})

    return wrapped


def marking_registry(registry: Registry, known: set[FindingKey] | None) -> Registry:
    """Copy ``registry``; its non-gate checks then mark findings new relative to ``known``."""
    out = Registry()
    for chk in registry:
        if known is not None and chk.suite != GATE_SUITE:
            chk = replace(chk, func=_marking(chk.func, known))
        out.add(chk)
    return out
