"""Whether a table's policies admit more in head than in base (MIG411; undecided: MIG418).

PostgreSQL admits a row for a role and command when any applicable permissive policy admits
it and every applicable restrictive policy does. So, per table, role and command, and per
clause (USING for the rows a command sees, WITH CHECK for the rows it writes):

* permissive side: the union of the disjuncts of every applicable permissive expression. A
  head disjunct the base did not have admits more when it is ``true``, or when the base had
  no permissive policy at all there; it admits nothing new when it equals a base disjunct or
  one of its conjuncts does (``a AND x`` implies ``a``); anything else is undecided;
* restrictive side: the union of the conjuncts of every applicable restrictive expression. A
  base conjunct missing from head (and not implied by a head conjunct that is one of its
  disjuncts) is a limit removed: decided when head added no conjunct that might replace it,
  undecided otherwise.

Roles are the ones the policies name plus ``public`` (standing for every role no policy
names), so a policy widened from ``authenticated`` to ``public`` shows as anon gaining access.
An added restrictive policy or an expression narrowed by an AND only take access away and
are not reported. A permissive policy dropped (or narrowed to fewer roles or commands) with
nothing in head admitting any part of what it admitted is *access lost* (MIG419): not a
widening, but the rows some role could reach are gone, which a reviewer must see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from harness.gate.catalog_model import Policy
from harness.gate.expressions import TRUE, canonical, conjuncts, disjuncts, implies_one_of

COMMANDS = ("SELECT", "INSERT", "UPDATE", "DELETE")
CMD_OF = {"r": ("SELECT",), "a": ("INSERT",), "w": ("UPDATE",), "d": ("DELETE",), "*": COMMANDS}
CLAUSES = {"SELECT": ("USING",), "INSERT": ("WITH CHECK",), "UPDATE": ("USING", "WITH CHECK"),
           "DELETE": ("USING",)}
EVERY_ROLE = "public"


def applies(p: Policy, role: str, cmd: str) -> bool:
    """Whether ``p`` applies to ``role`` (``public``: every role no policy names) and ``cmd``."""
    return cmd in CMD_OF.get(p.cmd, ()) and (EVERY_ROLE in p.roles or role in p.roles)


def expression(p: Policy, clause: str) -> str:
    """Return the expression ``p`` applies for ``clause``; a missing one admits every row."""
    if clause == "WITH CHECK" and p.check is not None:
        return p.check
    return p.using if p.using is not None else (p.check if p.check is not None else TRUE)


WIDER = "wider"  # admits more, for certain
UNDECIDED = "undecided"  # might admit more; cannot be decided from the structure
LOST = "lost"  # a permissive policy's access is gone and nothing replaced it
_PRECEDENCE = (WIDER, UNDECIDED, LOST)  # one outcome per policy: the most severe


@dataclass
class PolicyChange:
    """What one policy's change does, gathered over roles, commands and clauses."""

    policy: Policy
    outcome: str  # WIDER, UNDECIDED or LOST
    reasons: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    commands: set[str] = field(default_factory=set)
    before: dict[str, str] = field(default_factory=dict)  # clause -> base expression(s)
    after: dict[str, str] = field(default_factory=dict)  # clause -> head expression(s)


Changes = dict[tuple[str, str, str], PolicyChange]


def _note(
    out: Changes,
    p: Policy,
    outcome: str,
    role: str,
    cmd: str,
    clause: str,
    reason: str,
    before: Iterable[str],
    after: Iterable[str],
) -> None:
    key = (p.table, p.name, outcome)
    ch = out.setdefault(key, PolicyChange(p, outcome))
    ch.reasons.add(reason)
    ch.roles.add(role)
    ch.commands.add(cmd)
    ch.before[clause] = " OR ".join(sorted(before)) or "(no policy)"
    ch.after[clause] = " OR ".join(sorted(after)) or "(no policy)"


def policy_changes(base: list[Policy], head: list[Policy]) -> list[PolicyChange]:
    """Policies of one table whose change admits more (decided) or might (undecided)."""
    if {(p.name, p) for p in base} == {(p.name, p) for p in head}:
        return []
    roles = {EVERY_ROLE} | {r for p in [*base, *head] for r in p.roles}
    out: Changes = {}
    for role in sorted(roles):
        for cmd in COMMANDS:
            for clause in CLAUSES[cmd]:
                _permissive(out, base, head, role, cmd, clause)
                _restrictive(out, base, head, role, cmd, clause)
    best: dict[tuple[str, str], PolicyChange] = {}
    for (table, name, _o), ch in sorted(out.items()):
        seen = best.get((table, name))
        if seen is None or _PRECEDENCE.index(ch.outcome) < _PRECEDENCE.index(seen.outcome):
            best[(table, name)] = ch
    return list(best.values())


def _permissive(
    out: Changes,
    base: list[Policy],
    head: list[Policy],
    role: str,
    cmd: str,
    clause: str,
) -> None:
    b_pols = [p for p in base if p.permissive and applies(p, role, cmd)]
    b_exprs = [expression(p, clause) for p in b_pols]
    b_dis = frozenset(d for e in b_exprs for d in disjuncts(e))
    h_pols = [p for p in head if p.permissive and applies(p, role, cmd)]
    h_exprs = [expression(p, clause) for p in h_pols]
    h_dis = frozenset(d for e in h_exprs for d in disjuncts(e))
    new = False
    for p in h_pols:
        for d in disjuncts(expression(p, clause)):
            if d in b_dis or TRUE in b_dis or implies_one_of(d, b_dis):
                continue
            new = True
            if d == TRUE:
                reason = "true admits every row"
            elif not b_dis:
                reason = "no permissive policy admitted any row before"
            elif any(conjuncts(d) < conjuncts(e) for e in b_dis):
                reason = "a condition was removed"
            else:
                _note(out, p, UNDECIDED, role, cmd, clause, "changed", b_exprs, h_exprs)
                continue
            _note(out, p, WIDER, role, cmd, clause, reason, b_exprs, h_exprs)
    if new or TRUE in h_dis:
        return
    for p in b_pols:
        # access lost: a disjunct of base no head disjunct admits even in part (narrowing an
        # expression with AND keeps a part of it and is not a loss)
        if any(not any(implies_one_of(d, frozenset({e})) for d in h_dis)
               for e in disjuncts(expression(p, clause))):
            gone = all(q.name != p.name for q in head)
            reason = "policy dropped" if gone else "no longer applies"
            _note(out, p, LOST, role, cmd, clause, reason, b_exprs, h_exprs)


def _restrictive(
    out: Changes,
    base: list[Policy],
    head: list[Policy],
    role: str,
    cmd: str,
    clause: str,
) -> None:
    b_pols = [p for p in base if not p.permissive and applies(p, role, cmd)]
    if not b_pols:
        return
    b_exprs = [expression(p, clause) for p in b_pols]
    h_exprs = [expression(p, clause) for p in head if not p.permissive and applies(p, role, cmd)]
    b_conj = frozenset(k for e in b_exprs for k in conjuncts(e))
    h_conj = frozenset(k for e in h_exprs for k in conjuncts(e))
    added = h_conj - b_conj
    for p in b_pols:
        for k in conjuncts(expression(p, clause)):
            if k in h_conj or canonical(k) == TRUE or disjuncts(k) & h_conj:
                continue
            if added:
                _note(out, p, UNDECIDED, role, cmd, clause, "changed", b_exprs, h_exprs)
            else:
                gone = all(q.name != p.name for q in head)
                reason = "restrictive policy dropped" if gone else "a restriction was removed"
                _note(out, p, WIDER, role, cmd, clause, reason, b_exprs, h_exprs)
