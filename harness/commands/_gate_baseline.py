"""Which findings a change introduces, relative to the base schema (the baseline pass).

A head finding whose key (check ID + object) the base schema also has is not new; the others
get ``details.new = true``. The base is asked only what it must be: a check that reports
nothing on head needs no baseline, and when the schema directory is byte-identical at base
the answer is known without running anything (same inputs, same findings). Otherwise the
base schema is built once, at the first check that needs it, and that one check runs on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from typing import TYPE_CHECKING

from harness.config import HarnessConfig
from harness.context import CheckContext
from harness.errors import SchemaApplyError
from harness.registry import Check, CheckFunc, Finding, Registry
from harness.schema_dir import SchemaDir

if TYPE_CHECKING:
    from harness.workspace import Workspace

GATE_SUITE = "gate"
FindingKey = tuple[str, str]


def key_of(f: Finding) -> FindingKey:
    """Return what identifies "the same finding" across two schemas."""
    return (f.check_id, f.object)


class Baseline:
    """The base schema's findings, check by check, computed only when a head finding asks."""

    def __init__(
        self,
        config: HarnessConfig,
        base: SchemaDir | None,
        *,
        identical: bool,
        warn: Callable[[str], None],
    ) -> None:
        self.config = config
        self.base = base
        self.identical = identical  # the schema directory did not change: nothing is new
        self.warn = warn
        self.unavailable: str | None = None if base or identical else "no base schema"
        self.checks_run: list[str] = []
        self._stack = ExitStack()
        self._workspace: Workspace | None = None

    def _open(self) -> Workspace | None:
        from harness.platform import profile
        from harness.server import open_server
        from harness.workspace import Workspace, new_run_id

        if self._workspace is not None or self.unavailable is not None or self.base is None:
            return self._workspace
        # a server of its own (the same one for a DSN; a second embedded cluster otherwise):
        # the run's embedded server stops when the run ends, before this pass is closed
        server = self._stack.enter_context(open_server(self.config))
        try:
            self._workspace = self._stack.enter_context(
                Workspace(server, self.base, seed_data=self.config.load_seed_data,
                          run_id=f"base_{new_run_id()}",
                          platform=profile(self.config.platform))
            )
        except SchemaApplyError as exc:
            # the base revision does not apply here: the head is still judged, its findings
            # just cannot be told apart from the base's
            self.unavailable = f"the base schema does not apply ({exc.file}: {exc.error})"
            self.warn(f"gate: {self.unavailable}; findings are not marked new")
        return self._workspace

    def known(self, chk: Check) -> set[FindingKey] | None:
        """Return the keys ``chk`` finds on the base schema; None when they cannot be known."""
        from harness.runner import run_checks
        from harness.workspace import make_context

        workspace = self._open()
        if workspace is None:
            return None
        self.checks_run.append(chk.id)
        result = run_checks(make_context(workspace, self.config), [chk], [])
        return {key_of(f) for f in result.findings}

    def close(self) -> None:
        """Drop the base workspace, if one was built."""
        self._stack.close()


def _marking(chk: Check, func: CheckFunc, baseline: Baseline) -> CheckFunc:
    def wrapped(ctx: CheckContext) -> Iterator[Finding]:
        found: list[Finding] = []
        try:
            for f in func(ctx):
                found.append(f)
        except Exception:
            yield from found  # what the check found before it failed is still reported
            raise
        if all(ctx.config.suppression_for(f.check_id, f.object) for f in found):
            yield from found  # nothing open (or nothing at all): newness does not matter
            return
        if baseline.identical:
            yield from (replace(f, details={**f.details, "new": False}) for f in found)
            return
        known = baseline.known(chk)
        for f in found:
            yield f if known is None else replace(
                f, details={**f.details, "new": key_of(f) not in known}
            )

    return wrapped


def marking_registry(registry: Registry, baseline: Baseline | None) -> Registry:
    """Copy ``registry``; its non-gate checks then mark findings new relative to the base."""
    out = Registry()
    for chk in registry:
        if baseline is not None and chk.suite != GATE_SUITE:
            chk = replace(chk, func=_marking(chk, chk.func, baseline))
        out.add(chk)
    return out
