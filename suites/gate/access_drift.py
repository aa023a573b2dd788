"""Effective access, base against head (ACC001), and the committed snapshot against head (ACC002).

``dbharness gate`` records what every persona can do on every exposed relation and function,
on the base and on the head (``dbharness access record``'s probes, each on a fresh build with
the seed data), and leaves the recordings in ``config.options["access"]``. A reviewer approves
a change of access by seeing the committed snapshot's lines change in the same pull request:
a change the committed snapshot already shows passes (the check's statistics list it); one it
does not show fails.
"""

from __future__ import annotations

from collections.abc import Iterator

from harness.access.drift import ACC_CHANGED, ACC_STALE, OPTION_KEY, RECORD_COMMAND, AccessDrift
from harness.access.effective import Change
from harness.context import CheckContext
from harness.errors import CheckSkipped
from harness.registry import Finding, Severity, check

SHOWN = 12  # lines of a stale snapshot's difference in the message; details hold them all
_SEVERITY = {"gained": Severity.HIGH, "lost": Severity.MEDIUM, "changed": Severity.LOW}


def _drift(ctx: CheckContext, check_id: str) -> AccessDrift:
    drift = ctx.config.options.get(OPTION_KEY)
    if not isinstance(drift, AccessDrift):
        raise CheckSkipped("needs a base revision: runs under `dbharness gate --base REV`")
    if check_id in drift.skipped:
        raise CheckSkipped(drift.skipped[check_id])
    return drift


def _details(c: Change) -> dict[str, object]:
    # new: a difference between base and head is the change's by definition (the baseline
    # pass marks other suites' findings the same way)
    return {"target": c.target, "who": c.who, "command": c.command, "before": c.before,
            "after": c.after, "direction": c.direction, "new": True}


@check(
    ACC_CHANGED,
    title="Effective access changed",
    severity=Severity.HIGH,
    family="security",
    suite="gate",
    rationale="Someone can now do something on a relation or function they could not do at "
    "base (or no longer can), observed by acting as each persona, whatever SQL caused it: a "
    "policy, a grant, a view, a trigger, a helper function. High when access was gained, medium "
    "when lost, low when the outcome changed without more or less access. A change the "
    "committed access snapshot already shows was reviewed in the same change: it is counted "
    "in the check's statistics, not reported.",
    remedy="If the change is intended, run `dbharness access record` and commit the snapshot so "
    "the reviewer approves the diff; otherwise narrow the policy or grant back.",
    offline=True,
)
def access_changed(ctx: CheckContext) -> Iterator[Finding]:
    """Report each persona gaining or losing a command on a relation or function."""
    drift = _drift(ctx, ACC_CHANGED)
    changes = drift.changes()
    approved = [c for c in changes if drift.approved(c)]
    ctx.stats.update({"changes": len(changes), "approved": len(approved)})
    if approved:
        ctx.stats["approved_in"] = drift.committed_path
        ctx.stats["approved_changes"] = [c.describe() for c in approved[:SHOWN]]
    for c in changes:
        if c in approved:
            continue
        yield Finding(
            ACC_CHANGED,
            f"{c.target}:{c.command}:{c.who}",
            c.describe(),
            details=_details(c),
            severity=_SEVERITY[c.direction],
        )


@check(
    ACC_STALE,
    title="Committed access snapshot stale",
    severity=Severity.MEDIUM,
    family="security",
    suite="gate",
    rationale="The committed access snapshot is what reviewers read instead of SQL; when it "
    "no longer matches what the head schema lets each persona do, the review approved "
    "something other than what ships.",
    remedy=f"Run `{RECORD_COMMAND}` and commit the snapshot (review its diff).",
    offline=True,
)
def snapshot_stale(ctx: CheckContext) -> Iterator[Finding]:
    """Report a committed snapshot that differs from the head's effective access."""
    drift = _drift(ctx, ACC_STALE)
    stale = drift.stale()
    if not stale:
        return
    lines = [c.describe() for c in stale]
    more = f"\n  ... and {len(lines) - SHOWN} more" if len(lines) > SHOWN else ""
    yield Finding(
        ACC_STALE,
        drift.committed_path,
        f"{drift.committed_path} differs from the head's effective access in {len(lines)} "
        f"place(s); re-run `{RECORD_COMMAND}` and commit:\n  "
        + "\n  ".join(lines[:SHOWN]) + more,
        details={"file": drift.committed_path, "differences": [_details(c) for c in stale],
                 "new": True},
    )
