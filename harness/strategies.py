"""Hypothesis strategies for access cases, drawn from a snapshot of the schema's seed data.

The seed data is already multi-warehouse with every role, so generating whole datasets would
only slow the run down: hypothesis draws the actor (every profile, plus anon, service_role,
missing and forged claims, a sub without profile), the table, the command, the target row (half
the time one "near" the actor: in its home warehouse or naming it) and the new values (values seen
in the same column, the actor's own id, enum labels, fresh strings, another warehouse).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from harness.access.matrix import AccessMatrix
from harness.access.oracle import Kind, Principal, Snapshot
from harness.access.probe import ActorSpec, Case
from harness.access.snapshot import Column, TableMeta
from harness.impersonate import Actor

# Columns the database maintains itself; writing them proves nothing about access.
MAINTAINED = frozenset({"created_at", "updated_at"})
NO_PROFILE_SUB = uuid.UUID("00000000-0000-4000-8000-00000000dead")


@dataclass
class Model:
    """Everything a strategy needs: the matrix, the data and the catalog facts."""

    matrix: AccessMatrix
    snapshot: Snapshot
    metas: dict[str, TableMeta]
    actors: list[ActorSpec] = field(default_factory=list)
    _near: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.actors:
            self.actors = actor_specs(self.matrix, self.snapshot)

    @property
    def tables(self) -> list[str]:
        """Return the matrix's tables that exist and hold rows."""
        return [t for t in self.matrix.tables if self.snapshot.table(t) and t in self.metas]

    def warehouses(self) -> list[Any]:
        """Distinct tenant ids seen anywhere (the values a move may target)."""
        col = self.matrix.scope_column
        seen = {r.get(col) for rows in self.snapshot.rows.values() for r in rows} - {None}
        return sorted(seen, key=str)

    def near(self, spec: ActorSpec, table: str) -> list[dict[str, Any]]:
        """Rows of ``table`` in the actor's home warehouse or naming the actor."""
        k = (str(spec.principal.sub), table)
        if k not in self._near:
            prof = self.snapshot.get(self.matrix.actors.table, spec.principal.sub)
            home = prof.get(self.matrix.actors.home) if prof else None
            scope = self.matrix.table(table).scope_column
            sub = spec.principal.sub
            self._near[k] = [
                r
                for r in self.snapshot.table(table)
                if r.get(scope) == home
                or any(v == sub or (isinstance(v, list) and sub in v) for v in r.values())
            ]
        return self._near[k]


def actor_specs(matrix: AccessMatrix, snapshot: Snapshot) -> list[ActorSpec]:
    """Every profile as itself, plus the non-user callers the oracle handles generically."""
    a = matrix.actors
    specs: list[ActorSpec] = []
    first_by_role: dict[str, Any] = {}
    for row in sorted(snapshot.table(a.table), key=lambda r: str(r[a.key])):
        uid = row[a.key]
        label = str(row[a.role]) if row.get(a.active) else f"inactive {row[a.role]}"
        specs.append(ActorSpec(Actor.user(uid), Principal(Kind.USER, uid, label), label))
        first_by_role.setdefault(str(row[a.role]), uid)
    specs += [
        ActorSpec(Actor.anon(), Principal(Kind.ANON, label="anon"), "anon"),
        ActorSpec(
            Actor.service_role(), Principal(Kind.SERVICE, label="service_role"), "service_role"
        ),
        ActorSpec(Actor.no_claims(), Principal(Kind.NO_CLAIMS, label="no claims"), "no_claims"),
        ActorSpec(
            Actor.forged({"sub": str(NO_PROFILE_SUB), "role": "authenticated"}),
            Principal(Kind.USER, NO_PROFILE_SUB, "sub without profile"),
            "no_profile",
        ),
    ]
    # A low-privilege user whose token claims admin and service_role everywhere it could.
    low = next((first_by_role[r] for r in reversed(matrix.roles) if r in first_by_role), None)
    if low is not None:
        claims = {
            "sub": str(low),
            "role": "service_role",
            "user_role": "admin",
            "app_metadata": {"role": "admin"},
            "user_metadata": {"role": "admin"},
        }
        specs.append(
            ActorSpec(
                Actor.forged(claims),
                Principal(Kind.USER, low, "forged admin claims"),
                "forged",
            )
        )
    return specs


def _fresh_text(n: int) -> str:
    return f"dbh-{n:06d}"


def column_values(model: Model, table: str, col: Column, spec: ActorSpec) -> st.SearchStrategy[Any]:
    """Plausible new values for ``col``: seen values, the actor, enum labels, fresh text."""
    meta = model.metas[table]
    scope = model.matrix.table(table).scope_column
    if col.name == scope:
        return st.sampled_from(model.warehouses())
    seen = sorted(
        {_hashable(r.get(col.name)) for r in model.snapshot.table(table)} - {None}, key=str
    )
    options: list[st.SearchStrategy[Any]] = []
    if col.enum_labels:
        base = col.type.removesuffix("[]")
        labels = [lbl for lbl in col.enum_labels]
        options.append(
            st.lists(st.sampled_from(labels), max_size=2, unique=True)
            if col.type != base
            else st.sampled_from(labels)
        )
    if seen:
        options.append(st.sampled_from(seen).map(_unhashable))
    if col.type == "uuid" and spec.principal.sub is not None:
        options.append(st.just(spec.principal.sub))
    if col.type == "uuid[]" and spec.principal.sub is not None:
        options.append(st.just([spec.principal.sub]))
        options.append(st.just([]))
    unique_alone = (col.name,) in meta.unique or any(col.name in u for u in meta.unique)
    if col.is_text:
        fresh = st.integers(0, 999_999).map(_fresh_text)
        options = [fresh] if unique_alone else [*options, fresh]
    if col.nullable:
        options.append(st.none())
    return st.one_of(options) if options else st.none()


def _hashable(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(v)
    if isinstance(v, dict):
        return None  # jsonb: not a useful mutation target
    return v


def _unhashable(v: Any) -> Any:
    return list(v) if isinstance(v, tuple) else v


def update_columns(model: Model, table: str) -> list[Column]:
    """Columns an update may change (everything written by users, not keys or bookkeeping)."""
    t = model.matrix.table(table)
    return [
        c
        for c in model.metas[table].writable()
        if c.name != t.key and c.name not in MAINTAINED and c.type not in ("jsonb", "json", "bytea")
    ]


@st.composite
def _row(draw: Callable[..., Any], model: Model, table: str, spec: ActorSpec) -> dict[str, Any]:
    near = model.near(spec, table)
    rows: Sequence[dict[str, Any]] = (
        near if near and draw(st.booleans()) else model.snapshot.table(table)
    )
    return dict(draw(st.sampled_from(rows)))


@st.composite
def updates(draw: Callable[..., Any], model: Model, table: str, spec: ActorSpec) -> dict[str, Any]:
    """One to three changed columns."""
    cols = update_columns(model, table)
    chosen = draw(
        st.lists(st.sampled_from(cols), min_size=1, max_size=3, unique_by=lambda c: c.name)
    )
    return {c.name: draw(column_values(model, table, c, spec)) for c in chosen}


@st.composite
def insert_row(
    draw: Callable[..., Any], model: Model, table: str, spec: ActorSpec
) -> dict[str, Any]:
    """Copy an existing row with a new key, fresh unique values and a few changes."""
    meta = model.metas[table]
    t = model.matrix.table(table)
    new = {
        k: v
        for k, v in draw(_row(model, table, spec)).items()
        if k in meta.columns and not meta.columns[k].generated
    }
    if meta.columns[t.key].type == "uuid":
        new[t.key] = uuid.UUID(int=draw(st.integers(1, 2**64)), version=4)
    for uniq in meta.unique:
        if t.key in uniq:
            continue
        for c in uniq:
            col = meta.columns[c]
            if col.is_text:
                new[c] = _fresh_text(draw(st.integers(0, 999_999)))
            elif col.nullable and c != t.scope_column:
                new[c] = None
    new.update(draw(updates(model, table, spec)) if draw(st.booleans()) else {})
    return new


@st.composite
def cases(
    draw: Callable[..., Any],
    model: Model,
    table: str | None = None,
    command: str | None = None,
    role_label: str | None = None,
) -> Case:
    """One access case; ``table``/``command``/``role_label`` pin a part (to re-find a failure)."""
    actors = [a for a in model.actors if role_label is None or a.role_label == role_label]
    spec = draw(st.sampled_from(actors or model.actors))
    table = table or draw(st.sampled_from(model.tables))
    command = command or draw(st.sampled_from("RIUD"))
    key = model.matrix.table(table).key
    if command == "I":
        return Case(spec, table, "I", None, draw(insert_row(model, table, spec)))
    row = draw(_row(model, table, spec))
    values = draw(updates(model, table, spec)) if command == "U" else {}
    return Case(spec, table, command, row[key], values)


def open_model(conn: Any, matrix: AccessMatrix) -> Model:
    """Snapshot the database behind ``conn`` (as its superuser) into a :class:`Model`."""
    from harness.access.snapshot import read_snapshot

    snap, metas = read_snapshot(conn, matrix)
    return Model(matrix, snap, metas)
