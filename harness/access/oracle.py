"""The oracle: what the database must do for one actor, table, command and row.

It reads the access matrix and a snapshot of the data.

Denial is two-faced in PostgreSQL: a row hidden by a ``USING`` clause makes an UPDATE or DELETE
affect 0 rows silently, a failed ``WITH CHECK`` raises 42501. Both count as denied. An
:class:`Expectation` names exactly which outcomes count: its ``denial_sqlstates`` (42501, the
state machine's code when a transition is illegal, and the integrity codes 23503/23514 when the
write points the row at another warehouse, which composite foreign keys refuse on their own).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from harness.access.matrix import (
    AccessMatrix,
    All,
    And,
    AnyOf,
    Assigned,
    Nothing,
    Own,
    Pred,
    ReferencedBy,
    RoleListed,
    Self,
    TableRules,
    Via,
    Where,
)

Row = Mapping[str, Any]


class Kind(StrEnum):
    """What kind of caller a request comes from."""

    USER = "user"  # authenticated with claims naming ``sub`` (real, forged or unknown)
    ANON = "anon"
    SERVICE = "service_role"
    NO_CLAIMS = "no_claims"  # authenticated without any request.jwt.claims


@dataclass(frozen=True)
class Principal:
    """The caller as the oracle sees it.

    What the JWT says beyond ``sub`` is deliberately ignored: the app role is read from the
    database, never trusted from the token.
    """

    kind: Kind
    sub: Any = None
    label: str = ""

    def __str__(self) -> str:
        return self.label or (f"{self.kind.value}:{self.sub}" if self.sub else self.kind.value)


@dataclass
class Snapshot:
    """Rows per table as the superuser reads them.

    ``references[table][column] = parent table`` names the foreign keys that pin a reference to
    the same warehouse (they make cross-warehouse writes fail with 23503).
    """

    rows: dict[str, list[dict[str, Any]]]
    keys: dict[str, str] = field(default_factory=dict)
    references: dict[str, dict[str, str]] = field(default_factory=dict)
    _index: dict[str, dict[Any, dict[str, Any]]] = field(default_factory=dict, repr=False)

    def get(self, table: str, key: Any) -> dict[str, Any] | None:
        """Return the row of ``table`` with this key, if any."""
        if table not in self._index:
            k = self.keys.get(table, "id")
            self._index[table] = {r.get(k): r for r in self.rows.get(table, [])}
        return self._index[table].get(key)

    def table(self, name: str) -> list[dict[str, Any]]:
        """Return every row of table ``name``."""
        return self.rows.get(name, [])


@dataclass(frozen=True)
class Expectation:
    """The oracle's verdict and which observed outcomes agree with it."""

    allowed: bool
    reason: str
    denial_sqlstates: frozenset[str] = frozenset({"42501"})
    # Outcomes that neither confirm nor refute (an allowed write refused by an integrity rule the
    # generator could not foresee, e.g. a unique key): reported as inconclusive, never as bugs.
    inconclusive_sqlstate_classes: frozenset[str] = frozenset({"22", "23"})
    readable_after: bool | None = None  # for allowed insert/update: may the author read the row?

    def judge(self, sqlstate: str | None, rowcount: int, visible_after: bool | None) -> str:
        """``"agree"``, ``"disagree"`` or ``"inconclusive"`` for one observed outcome."""
        if self.allowed:
            if sqlstate is None:
                if rowcount < 1:
                    return "disagree"
                if self.readable_after is not None and visible_after is not None:
                    return "agree" if visible_after == self.readable_after else "disagree"
                return "agree"
            if sqlstate in self.denial_sqlstates and sqlstate[:2] != "23":
                return "disagree"
            if sqlstate[:2] in self.inconclusive_sqlstate_classes:
                return "inconclusive"
            return "disagree"
        if sqlstate is None:
            return "agree" if rowcount == 0 else "disagree"
        if sqlstate in self.denial_sqlstates:
            return "agree"
        # Refused by an integrity rule (a BEFORE trigger runs before RLS): nothing was written,
        # but the access rule was not what refused it, so the case proves nothing either way.
        return "inconclusive" if sqlstate[:2] in self.inconclusive_sqlstate_classes else "disagree"

    def describe(self) -> str:
        """Say the expectation in words, for findings."""
        if self.allowed:
            return "allowed" + (
                "" if self.readable_after in (None, True) else " (row not readable)"
            )
        return f"denied (0 rows or SQLSTATE {'/'.join(sorted(self.denial_sqlstates))})"


ALL_WAREHOUSES = None  # sentinel reach of admins and service_role


class Oracle:
    """Evaluates the matrix on a snapshot."""

    def __init__(self, matrix: AccessMatrix, snapshot: Snapshot) -> None:
        self.m = matrix
        self.s = snapshot

    # ------------------------------------------------------------ who
    def profile(self, p: Principal) -> dict[str, Any] | None:
        """Return the active profile a principal acts as, or None (it reaches nothing)."""
        if p.kind is not Kind.USER or p.sub is None:
            return None
        row = self.s.get(self.m.actors.table, p.sub)
        if row is None or not row.get(self.m.actors.active):
            return None
        return row

    def role(self, p: Principal) -> str | None:
        """Return the app role the principal acts with, or None."""
        prof = self.profile(p)
        return None if prof is None else str(prof[self.m.actors.role])

    def reach(self, p: Principal) -> frozenset[Any] | None:
        """Warehouses in scope; ``None`` means every warehouse; empty means nothing."""
        if p.kind is Kind.SERVICE:
            return ALL_WAREHOUSES
        prof = self.profile(p)
        if prof is None:
            return frozenset()
        kind = self.m.reach_of(str(prof[self.m.actors.role]))
        if kind == "all":
            return ALL_WAREHOUSES
        home = {prof[self.m.actors.home]}
        if kind == "home+grants" and self.m.grants:
            g = self.m.grants
            home |= {r[g.scope] for r in self.s.table(g.table) if r[g.user] == p.sub}
        return frozenset(home)

    def in_scope(self, p: Principal, t: TableRules, row: Row) -> bool:
        """Tell whether the row's tenant is in the principal's reach."""
        r = self.reach(p)
        return r is ALL_WAREHOUSES or row.get(t.scope_column) in r

    # ------------------------------------------------------------ predicates
    def holds(self, pred: Pred, p: Principal, role: str, t: TableRules, row: Row) -> bool:
        """Tell whether ``pred`` holds for ``row`` of ``t`` (the caller checks scope)."""
        if isinstance(pred, All):
            return True
        if isinstance(pred, Nothing):
            return False
        if isinstance(pred, Self):
            return bool(row.get(t.key) == p.sub)
        if isinstance(pred, Own):
            return bool(row.get(pred.column) == p.sub)
        if isinstance(pred, Assigned):
            return p.sub in (row.get(pred.column) or ())
        if isinstance(pred, RoleListed):
            return role in [str(v) for v in (row.get(pred.column) or ())]
        if isinstance(pred, Where):
            hit = _norm(row.get(pred.column)) in {_norm(v) for v in pred.values}
            return hit != pred.negate
        if isinstance(pred, And):
            return all(self.holds(x, p, role, t, row) for x in pred.parts)
        if isinstance(pred, AnyOf):
            return any(self.holds(x, p, role, t, row) for x in pred.parts)
        if isinstance(pred, Via):
            parent_t = self.m.table(pred.table)
            parent = self.s.get(pred.table, row.get(pred.column))
            if parent is None:
                return False
            if pred.pred is not None:
                return self.in_scope(p, parent_t, parent) and self.holds(
                    pred.pred, p, role, parent_t, parent
                )
            return self._granted(p, role, parent_t, pred.command, parent)
        if isinstance(pred, ReferencedBy):
            child_t = self.m.table(pred.table)
            key = row.get(t.key)
            return any(
                c.get(pred.column) == key
                and self.in_scope(p, child_t, c)
                and self.holds(pred.pred, p, role, child_t, c)
                for c in self.s.table(pred.table)
            )
        raise TypeError(f"unknown predicate {pred!r}")

    def _granted(
        self,
        p: Principal,
        role: str,
        t: TableRules,
        command: str,
        row: Row,
        changed: Iterable[str] | None = None,
        new: Row | None = None,
    ) -> bool:
        """Tell whether a rule for ``role``/``command`` accepts ``row`` (and ``new``)."""
        if not self.in_scope(p, t, row):
            return False
        changed_set = set(changed or ())
        for rule in t.rules_for(role, command):
            if not self.holds(rule.pred, p, role, t, row):
                continue
            if new is not None and not self.holds(rule.pred, p, role, t, new):
                continue
            if rule.columns is not None and not changed_set <= rule.columns:
                continue
            return True
        return False

    # ------------------------------------------------------------ commands
    def can_select(self, p: Principal, table: str, row: Row) -> Expectation:
        """Judge reading ``row``."""
        t = self.m.table(table)
        if p.kind is Kind.SERVICE:
            return Expectation(True, "service_role bypasses RLS")
        role = self.role(p)
        if role is None:
            return Expectation(False, self._nobody(p))
        if not self.in_scope(p, t, row):
            return Expectation(False, f"{role}: row's {t.scope_column} outside scope")
        ok = self._granted(p, role, t, "R", row)
        return Expectation(
            ok, f"{role}: {'a rule grants' if ok else 'no rule grants'} R on {table}"
        )

    def can_insert(self, p: Principal, table: str, new: Row) -> Expectation:
        """Judge inserting ``new``."""
        t = self.m.table(table)
        denial = self._denials(t, None, new)
        if p.kind is Kind.SERVICE:
            return Expectation(True, "service_role bypasses RLS", denial)
        role = self.role(p)
        if role is None:
            return Expectation(False, self._nobody(p), denial)
        if not self.in_scope(p, t, new):
            return Expectation(False, f"{role}: new row's {t.scope_column} outside scope", denial)
        ok = self._granted(p, role, t, "I", new)
        why = f"{role}: {'a rule grants' if ok else 'no rule grants'} I on {table} for this row"
        readable = self.can_select(p, table, new).allowed if ok else None
        return Expectation(ok, why, denial, readable_after=readable)

    def can_update(self, p: Principal, table: str, old: Row, new: Row) -> Expectation:
        """Judge changing ``old`` into ``new`` (a full row)."""
        t = self.m.table(table)
        changed = {c for c in new if _norm(new[c]) != _norm(old.get(c))}
        denial = self._denials(t, old, new)
        sm = self.m.state_machines.get(table)
        if t.append_only:
            return Expectation(False, f"{table} is append-only", denial)
        if sm and sm.column in changed and not sm.legal(old.get(sm.column), new[sm.column]):
            return Expectation(
                False, f"illegal transition {old.get(sm.column)} -> {new[sm.column]}", denial
            )
        if p.kind is Kind.SERVICE:
            return Expectation(True, "service_role bypasses RLS", denial)
        role = self.role(p)
        if role is None:
            return Expectation(False, self._nobody(p), denial)
        if not (self.in_scope(p, t, old) and self.in_scope(p, t, new)):
            return Expectation(False, f"{role}: old or new row outside scope (a move)", denial)
        # The UPDATE's WHERE clause reads the row, so PostgreSQL applies the SELECT policies too.
        if not self._granted(p, role, t, "R", old):
            return Expectation(False, f"{role}: cannot read the row it updates", denial)
        if old.get(t.key) == p.sub and changed & t.self_protected:
            cols = ", ".join(sorted(changed & t.self_protected))
            return Expectation(False, f"{role}: changes own protected column(s) {cols}", denial)
        ok = self._granted(p, role, t, "U", old, changed, new)
        why = (
            f"{role}: {'a rule grants' if ok else 'no rule grants'} U on {table} "
            f"changing {', '.join(sorted(changed)) or 'nothing'}"
        )
        readable = self.can_select(p, table, new).allowed if ok else None
        return Expectation(ok, why, denial, readable_after=readable)

    def can_delete(self, p: Principal, table: str, old: Row) -> Expectation:
        """Judge deleting ``old``."""
        t = self.m.table(table)
        denial = self._denials(t, old, None)
        if t.append_only:
            return Expectation(False, f"{table} is append-only", denial)
        if p.kind is Kind.SERVICE:
            return Expectation(True, "service_role bypasses RLS", denial)
        role = self.role(p)
        if role is None:
            return Expectation(False, self._nobody(p), denial)
        if not self._granted(p, role, t, "R", old):
            return Expectation(False, f"{role}: cannot read the row it deletes", denial)
        ok = self._granted(p, role, t, "D", old)
        return Expectation(
            ok, f"{role}: {'a rule grants' if ok else 'no rule grants'} D on {table}", denial
        )

    def expect(
        self, p: Principal, table: str, command: str, old: Row | None, new: Row | None
    ) -> Expectation:
        """Dispatch on ``command`` (``R``/``I``/``U``/``D`` or the SQL verb)."""
        c = command[0].upper() if command.lower() != "insert" else "I"
        c = {"S": "R"}.get(c, c)
        if c == "R" and old is not None:
            return self.can_select(p, table, old)
        if c == "I" and new is not None:
            return self.can_insert(p, table, new)
        if c == "U" and old is not None and new is not None:
            return self.can_update(p, table, old, {**old, **new})
        if c == "D" and old is not None:
            return self.can_delete(p, table, old)
        raise ValueError(f"bad command/rows combination: {command}")

    # ------------------------------------------------------------ helpers
    def _nobody(self, p: Principal) -> str:
        if p.kind is Kind.ANON:
            return "anon reaches nothing"
        if p.kind is Kind.NO_CLAIMS:
            return "no claims: reaches nothing"
        row = self.s.get(self.m.actors.table, p.sub)
        return "sub has no profile" if row is None else "inactive profile reaches nothing"

    def _denials(self, t: TableRules, old: Row | None, new: Row | None) -> frozenset[str]:
        codes = set(self.m.denial_sqlstates)
        sm = self.m.state_machines.get(t.name)
        if (
            sm
            and old is not None
            and new is not None
            and not sm.legal(old.get(sm.column), new.get(sm.column, old.get(sm.column)))
        ):
            codes |= sm.sqlstates
        if new is not None and self.crosses_warehouses(t, old, new):
            codes |= self.m.reference_sqlstates
        return frozenset(codes)

    def crosses_warehouses(self, t: TableRules, old: Row | None, new: Row) -> bool:
        """Tell whether the write moves the row or points it at another warehouse."""
        scope = new.get(t.scope_column)
        if old is not None and _norm(old.get(t.scope_column)) != _norm(scope):
            return True
        for col, parent_name in self.s.references.get(t.name, {}).items():
            val = new.get(col)
            if val is None or (old is not None and _norm(old.get(col)) == _norm(val)):
                continue
            parent = self.s.get(parent_name, val)
            pt = self.m.tables.get(parent_name)
            if parent is None:
                return True
            if pt is not None and parent.get(pt.scope_column) != scope:
                return True
        return False


def _norm(v: Any) -> Any:
    """Compare enums/UUIDs read as Python objects with values written in TOML."""
    if isinstance(v, list):
        return tuple(_norm(x) for x in v)
    if v is None or isinstance(v, bool | int | float):
        return v
    return str(v)
