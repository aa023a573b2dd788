"""MIG010: the schema must apply. A migration or seed file that fails is the change's defect.

The runner builds the template (bootstrap, migrations, seed); when a statement fails it hands
the error to this check through ``ctx.apply_error`` and runs only offline checks besides. The
finding names the file, the line, the statement and the server's error with its SQLSTATE, so a
broken change is a finding (exit 1), never an "environment error".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from harness.context import CheckContext
from harness.gate.pipeline import OPTION_KEY, GateResult
from harness.registry import Finding, Severity, check

_LABEL = re.compile(r"^(?P<file>.+?):(?P<line>\d+)$")


@check(
    "MIG010",
    title="Schema does not apply",
    severity=Severity.CRITICAL,
    family="migration",
    suite="gate",
    rationale="A migration or seed file that fails on a fresh database fails the same way in "
    "every environment it is deployed to; nothing else about the schema can be judged until it "
    "applies.",
    remedy="Fix the statement the finding names (the server's error and SQLSTATE say why it "
    "failed), then run the check again.",
    offline=True,
)
def schema_applies(ctx: CheckContext) -> Iterator[Finding]:
    """Report the statement that failed to apply, if one did."""
    exc = ctx.apply_error
    gate = ctx.config.options.get(OPTION_KEY)
    if exc is None and isinstance(gate, GateResult):
        # the gate's replay builds the head without the seed; the runner's template (with it)
        # usually fails on the same statement and wins, so the user sees one finding
        exc = gate.head_error
    if exc is None:
        return
    m = _LABEL.match(exc.file)
    label, line = (m.group("file"), int(m.group("line"))) if m else (exc.file, 0)
    path = ctx.schema.root / label
    statement = " ".join(exc.statement.split())
    state = f" [{exc.sqlstate}]" if exc.sqlstate else ""
    yield Finding(
        "MIG010",
        label,
        f"{label}:{line} does not apply{state}: {exc.error}\n  statement: {statement[:300]}",
        details={
            "file": str(path),
            "line": line,
            "statement": exc.statement,
            "error": exc.error,
            "sqlstate": exc.sqlstate,
        },
    )
