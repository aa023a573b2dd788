"""What a change made weaker, read from the catalogs of base and head (MIG410-MIG418).

``dbharness gate`` builds the base schema and the head schema and compares their catalogs
(harness.gate.weakening); these checks report what it found. Whatever SQL made the change
(a plain statement, a DO block, dynamic SQL, a function the migration calls), the result is
what is judged. The statement rules MIG201-MIG203 (and MIG204's dropped CHECK) say the same
from the text; once the catalogs were compared, they stay silent, so a weakening is reported
once. Objects the change creates are judged by the security and integrity suites instead.
"""

from __future__ import annotations

from harness.registry import Severity
from suites.gate.migration_safety import register_gate_check

_CHECKS: tuple[tuple[str, str, Severity, str, str], ...] = (
    (
        "MIG410",
        "Row level security turned off or no longer forced",
        Severity.CRITICAL,
        "A table that had RLS enabled (or forced) no longer has it: every role with a grant "
        "reads and writes every row (or the owner's SECURITY DEFINER functions bypass the "
        "policies). A view that lost security_invoker reads its tables with its owner's rights.",
        "Keep RLS enabled and forced (and views security_invoker); change the policies instead.",
    ),
    (
        "MIG411",
        "Policy admits more",
        Severity.HIGH,
        "For some role and command the table's policies admit rows they did not: a permissive "
        "policy added where none admitted anything, widened to more roles or commands, or "
        "given an expression `true` or an extra OR branch; a restrictive policy dropped or "
        "narrowed to fewer roles, commands or conjuncts. Decided from the policies' structure "
        "(harness.gate.policy_change); what cannot be decided is MIG418.",
        "Keep the access the access matrix grants: narrow the policy back, or update the matrix "
        "(dbharness/access.toml) in the same change so SEC100 proves the new access.",
    ),
    (
        "MIG412",
        "Privilege widened",
        Severity.HIGH,
        "A role holds a privilege on an existing table, column, sequence, function or schema "
        "(or in default privileges) that it did not hold at base, defaults included: a function "
        "dropped and re-created gets EXECUTE for PUBLIC again. High for PUBLIC and the API roles "
        "that obey RLS, medium for other roles.",
        "Grant the narrowest privilege to the role that needs it; revoke the default EXECUTE "
        "from PUBLIC after re-creating a function.",
    ),
    (
        "MIG413",
        "Constraint lost or no longer validated",
        Severity.HIGH,
        "A primary key, unique constraint or index, CHECK, exclusion constraint or NOT NULL that "
        "held at base no longer holds (and nothing in head implies it), or is now NOT VALID: "
        "rows that break the invariant can exist. Constraints that went with a dropped column "
        "or table are left to MIG204.",
        "Keep the constraint, or replace it by one that implies it in the same change.",
    ),
    (
        "MIG414",
        "Foreign key lost or no longer validated",
        Severity.HIGH,
        "A foreign key that held at base no longer does (no head foreign key on the same columns "
        "to the same key), or is NOT VALID: rows can point at nothing, or into another tenant.",
        "Keep the foreign key (composite with the tenant column between tenant tables).",
    ),
    (
        "MIG415",
        "Index lost",
        Severity.MEDIUM,
        "An index of base is gone and no head index leads with the same keys (same method, same "
        "or no predicate): the queries and foreign-key checks that used it now scan.",
        "Keep the index, or replace it by one that leads with the same columns.",
    ),
    (
        "MIG416",
        "Trigger lost, disabled or firing on fewer events",
        Severity.HIGH,
        "A trigger of base (audit, guard, derived data) is gone, disabled, or no longer fires on "
        "an event it fired on: what it enforced is no longer enforced.",
        "Keep the trigger enabled on its events; replace it in the same change if it moves.",
    ),
    (
        "MIG417",
        "Function runs with more rights",
        Severity.HIGH,
        "An existing function became SECURITY DEFINER (it runs as its owner, past RLS, for "
        "every caller) or, being one, no longer pins its search_path (a caller's objects can "
        "shadow the ones it uses).",
        "Keep SECURITY INVOKER, or pin `set search_path = ''` and qualify every name.",
    ),
    (
        "MIG418",
        "Change the gate cannot judge",
        Severity.INFO,
        "A policy expression, CHECK expression or trigger changed in a way whose effect cannot "
        "be decided from its structure (whether `a` admits more than `b` is undecidable in "
        "general). Informational: it lists what a reviewer must read.",
        "Read the before and after in the finding; prove the access with the behavioural "
        "suites (SEC100 against the access matrix).",
    ),
    (
        "MIG419",
        "Policy access lost",
        Severity.MEDIUM,
        "A permissive policy was dropped (or no longer applies to a role or command) and no "
        "policy in head admits any part of what it admitted: those roles lose access to those "
        "rows. Not a widening, but a change of the access matrix a reviewer must see, however it "
        "was made (a DO block included).",
        "Restore the policy, or, if the access is meant to go, update the access matrix and "
        "suppress the finding with the reason.",
    ),
)

for _row in _CHECKS:
    register_gate_check(*_row)
