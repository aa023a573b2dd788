"""Migration safety (docs/checks.md): new migrations against a base revision.

These checks need the base revision, so only ``dbharness gate`` feeds them: it does the work
(harness.gate) and leaves the result in ``config.options["gate"]``. Under ``dbharness check``
that key is absent and they report themselves skipped, saying which command runs them.
"""

from __future__ import annotations

from collections.abc import Iterator

from harness.context import CheckContext
from harness.errors import CheckSkipped as SkipCheck
from harness.gate.pipeline import OPTION_KEY, GateResult
from harness.registry import Finding, Severity, check

SUITE = "gate"
FAMILY = "migration"


def gate_findings(ctx: CheckContext, check_id: str) -> Iterator[Finding]:
    """Yield the gate's findings of ``check_id``; skipped outside ``dbharness gate``."""
    result = ctx.config.options.get(OPTION_KEY)
    if not isinstance(result, GateResult):
        raise SkipCheck("needs a base revision: runs under `dbharness gate --base REV`")
    if check_id in result.skipped:
        raise SkipCheck(result.skipped[check_id])
    yield from result.for_check(check_id)


def register_gate_check(
    check_id: str, title: str, severity: Severity, rationale: str, remedy: str
) -> None:
    """Register a check that reports what ``dbharness gate`` found for ``check_id``.

    Offline: it reads the gate's result, not the database, so it still runs (and the static
    lints are still reported) when the head schema does not apply (MIG010).
    """
    def func(ctx: CheckContext) -> Iterator[Finding]:
        return gate_findings(ctx, check_id)

    func.__name__ = f"check_{check_id.lower()}"
    func.__doc__ = title
    check(
        check_id,
        title=title,
        severity=severity,
        family=FAMILY,
        suite=SUITE,
        rationale=rationale,
        remedy=remedy,
        offline=True,
    )(func)


# ID, title, severity, rationale, remedy: the table reads like the spec it implements.
_CHECKS: tuple[tuple[str, str, Severity, str, str], ...] = (
    (
        "MIG001",
        "Applied migration edited",
        Severity.HIGH,
        "A migration that existed at the base revision has been applied by databases already; "
        "they recorded its checksum and will never run the edit, so schemas silently diverge.",
        "Revert the edit and put the change in a new migration.",
    ),
    (
        "MIG002",
        "Applied migration deleted or renamed",
        Severity.HIGH,
        "Databases that applied the migration still have its effects and its ledger row; a fresh "
        "build no longer does, and a renamed file runs a second time.",
        "Restore the file under its old name; undo its effect in a new migration if needed.",
    ),
    (
        "MIG100",
        "squawk migration-safety rule",
        Severity.MEDIUM,
        "squawk flags statements that take long locks, rewrite tables or break clients "
        "(details.rule names the squawk rule; its documentation explains it).",
        "Follow the rule's help text, or exclude the rule in .squawk.toml with a reason.",
    ),
    (
        "MIG200",
        "Migration not parseable",
        Severity.HIGH,
        "PostgreSQL's own parser (pglast) cannot read the new migration, so no rule can judge it.",
        "Fix the syntax; the replay error names the failing statement.",
    ),
    (
        "MIG201",
        "Row level security disabled",
        Severity.CRITICAL,
        "DISABLE ROW LEVEL SECURITY opens every row to any role with a grant; NO FORCE lets the "
        "table owner (and SECURITY DEFINER functions it owns) bypass the policies. Read from the "
        "statement text: once the gate has built base and head, MIG410 judges the catalog "
        "instead (whatever SQL did it) and this check reports nothing.",
        "Keep RLS enabled and forced; change the policies instead.",
    ),
    (
        "MIG202",
        "Policy dropped",
        Severity.HIGH,
        "Dropping a policy removes access (or, for a restrictive policy, a limit on it); either "
        "way the access matrix changes and a reviewer must see it. Read from the statement "
        "text: once the gate has built base and head, MIG411 and MIG419 judge what the policies "
        "admit instead (a drop and an identical re-create is no change) and this check reports "
        "nothing.",
        "Replace the policy in the same migration and update the access matrix.",
    ),
    (
        "MIG203",
        "Grants widened",
        Severity.HIGH,
        "A GRANT to anon, authenticated or PUBLIC on an existing object, on all objects of a "
        "schema, or in default privileges exposes objects through the API. Read from the "
        "statement text: once the gate has built base and head, MIG412 compares the privileges "
        "themselves instead and this check reports nothing.",
        "Grant the narrowest privilege on the named object; never via default privileges.",
    ),
    (
        "MIG204",
        "Destructive change",
        Severity.HIGH,
        "DROP TABLE/COLUMN/SCHEMA and TRUNCATE lose data; dropping a CHECK constraint removes an "
        "invariant the data relied on. None of it can be rolled back by a later migration. "
        "(A dropped CHECK is judged by MIG413 once the gate has built base and head.)",
        "Deprecate first (stop writing, then reading), drop in a later release; keep invariants.",
    ),
    (
        "MIG205",
        "Data-dependent change",
        Severity.MEDIUM,
        "SET NOT NULL, a unique index or constraint, a NOT NULL column without default or a type "
        "change on an existing table succeed or fail depending on production rows.",
        "Backfill and validate first (CHECK ... NOT VALID, VALIDATE, then SET NOT NULL).",
    ),
    (
        "MIG206",
        "Index built without CONCURRENTLY",
        Severity.MEDIUM,
        "CREATE INDEX on an existing table blocks writes for the whole build. Reported only when "
        "squawk's require-concurrent-index-creation did not already report the statement.",
        "Use CREATE INDEX CONCURRENTLY in a migration of its own (outside a transaction).",
    ),
    (
        "MIG300",
        "SQL style (sqlfluff)",
        Severity.LOW,
        "sqlfluff with the project's .sqlfluff keeps schema SQL consistent and reviewable.",
        "Run `sqlfluff fix` on the file, or justify an exclusion in .sqlfluff.",
    ),
    (
        "MIG400",
        "Replay differs from incremental apply",
        Severity.HIGH,
        "A database built from zero must equal one upgraded from the base revision; a difference "
        "means production and fresh environments run different schemas.",
        "Make the new migration produce the same objects on both paths.",
    ),
    (
        "MIG401",
        "Applying twice changes the schema",
        Severity.MEDIUM,
        "Re-running the migration tool must apply nothing and change nothing (ledger intact, "
        "bootstrap idempotent).",
        "Make bootstrap statements idempotent (IF NOT EXISTS, OR REPLACE).",
    ),
    (
        "MIG402",
        "Checked-in schema dump stale",
        Severity.MEDIUM,
        "The committed dump shows every schema change in review; a stale dump hides them.",
        "Regenerate it with `dbharness dump-schema` and commit the result.",
    ),
)

for _row in _CHECKS:
    register_gate_check(*_row)
