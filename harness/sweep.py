"""The coverage sweep: a case for every cell of principal kind x table x command.

Random cases find what nobody thought of, but they reach a cell only by chance. On the canonical
schema (30 actors, 23 tables, 4 commands) one actor's cell has a 1-in-2,760 chance per case, so a
default run of 2,000 cases left about 40% of the cells untried, among them anon reading
``work_orders``: a table opened to anon passed. The sweep runs before the random cases and builds
each cell's case from a :class:`SeededChooser` keyed by the run's seed and the cell, so every run
tries every cell and the same seed tries the same cases.

Principal kinds are the app roles of the matrix plus anon, service_role, an inactive user,
forged claims, missing claims and a sub without a profile (:data:`GENERIC_KINDS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.access.probe import Case
from harness.strategies import COMMANDS, Model, SeededChooser, make_case


@dataclass(frozen=True)
class Cell:
    """One principal kind, table and command (R, I, U or D)."""

    kind: str
    table: str
    command: str

    def __str__(self) -> str:
        return f"{self.kind} x {self.table} x {self.command}"


def cells(model: Model) -> list[Cell]:
    """Every cell the matrix names, buildable or not (the denominator of the coverage)."""
    return [Cell(k, t, c) for k in model.kinds for t in model.matrix.tables for c in COMMANDS]


def unbuildable(model: Model) -> dict[str, list[str]]:
    """Why some cells cannot be tried: kinds without an actor, tables absent or without rows."""
    have = {a.kind for a in model.actors}
    rows = set(model.tables)
    return {
        "kinds_without_actor": [k for k in model.kinds if k not in have],
        "tables_without_rows": [t for t in model.matrix.tables if t not in rows],
    }


def cell_case(model: Model, cell: Cell, seed: int, attempt: int = 0) -> Case | None:
    """Build the case of ``cell`` for this seed and attempt; None when the cell cannot be built."""
    if cell.table not in model.tables or not any(a.kind == cell.kind for a in model.actors):
        return None
    chooser = SeededChooser(f"{seed}/{cell.kind}/{cell.table}/{cell.command}/{attempt}")
    return make_case(chooser, model, cell.table, cell.command, kind=cell.kind)
