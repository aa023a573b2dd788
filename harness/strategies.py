"""Access cases drawn from a snapshot of the schema's seed data, by hypothesis or by a seed.

The seed data is already multi-warehouse with every role, so generating whole datasets would
only slow the run down: a case is the actor (every profile, plus anon, service_role, missing and
forged claims, a sub without profile), the table, the command, the target row (half the time one
"near" the actor: in its home warehouse or naming it) and the new values (values seen in the same
column, the actor's own id, enum labels, fresh strings, another warehouse).

Every choice goes through a :class:`Chooser`, so the same code serves two callers: hypothesis
(:func:`cases`, whose draws it can shrink) and the coverage sweep (:class:`SeededChooser`, which
must build one case for a given cell, deterministically from the run's seed).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from hypothesis import strategies as st

from harness.access.matrix import AccessMatrix
from harness.access.oracle import Kind, Principal, Snapshot
from harness.access.probe import ActorSpec, Case
from harness.access.snapshot import Column, TableMeta
from harness.impersonate import Actor

# Columns the database maintains itself; writing them proves nothing about access.
MAINTAINED = frozenset({"created_at", "updated_at"})
NO_PROFILE_SUB = uuid.UUID("00000000-0000-4000-8000-00000000dead")
# Principal kinds besides the app roles; every one is a row of the coverage sweep.
INACTIVE, ANON, SERVICE, NO_CLAIMS, NO_PROFILE, FORGED = (
    "inactive", "anon", "service_role", "no_claims", "no_profile", "forged"
)
GENERIC_KINDS = (ANON, SERVICE, INACTIVE, FORGED, NO_CLAIMS, NO_PROFILE)
COMMANDS = "RIUD"


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

    @property
    def kinds(self) -> list[str]:
        """Return every principal kind a run must cover: the app roles, then the generic ones."""
        return [*self.matrix.roles, *GENERIC_KINDS]

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
        active = bool(row.get(a.active))
        label = str(row[a.role]) if active else f"inactive {row[a.role]}"
        kind = str(row[a.role]) if active else INACTIVE
        specs.append(ActorSpec(Actor.user(uid), Principal(Kind.USER, uid, label), label, kind))
        if active:
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


T = TypeVar("T")


class Chooser(Protocol):
    """Where a case's choices come from: hypothesis draws, or a seeded random generator."""

    def pick(self, options: Sequence[T]) -> T:
        """Return one of ``options`` (not empty)."""
        ...

    def integer(self, lo: int, hi: int) -> int:
        """Return an integer in ``[lo, hi]``."""
        ...

    def coin(self) -> bool:
        """Return True or False."""
        ...


class DrawChooser:
    """Choices drawn by hypothesis, so that it can shrink them (earlier options are simpler)."""

    def __init__(self, draw: Callable[..., Any]) -> None:
        self.draw = draw

    def pick(self, options: Sequence[T]) -> T:
        """Draw one of ``options``."""
        value: T = self.draw(st.sampled_from(options))
        return value

    def integer(self, lo: int, hi: int) -> int:
        """Draw an integer."""
        return int(self.draw(st.integers(lo, hi)))

    def coin(self) -> bool:
        """Draw a boolean."""
        return bool(self.draw(st.booleans()))


class SeededChooser:
    """Choices from ``random.Random(seed)``: the same seed gives the same case on any machine."""

    def __init__(self, seed: str | int) -> None:
        self.rnd = random.Random(seed)  # str seeds hash with SHA-512: stable across processes

    def pick(self, options: Sequence[T]) -> T:
        """Pick one of ``options``."""
        return options[self.rnd.randrange(len(options))]

    def integer(self, lo: int, hi: int) -> int:
        """Pick an integer."""
        return self.rnd.randint(lo, hi)

    def coin(self) -> bool:
        """Toss a coin."""
        return self.rnd.random() < 0.5


def _distinct(ch: Chooser, options: Sequence[T], lo: int, hi: int) -> list[T]:
    """Choose between ``lo`` and ``hi`` distinct elements of ``options``."""
    left = list(options)
    out: list[T] = []
    for _ in range(ch.integer(min(lo, len(left)), min(hi, len(left)))):
        out.append(left.pop(left.index(ch.pick(left))))
    return out


def _fresh_text(n: int) -> str:
    return f"dbh-{n:06d}"


def column_value(ch: Chooser, model: Model, table: str, col: Column, spec: ActorSpec) -> Any:
    """Choose a new value for ``col``: a seen value, the actor, an enum label, fresh text."""
    meta = model.metas[table]
    scope = model.matrix.table(table).scope_column
    if col.name == scope:
        return ch.pick(model.warehouses())
    seen = sorted(
        {_hashable(r.get(col.name)) for r in model.snapshot.table(table)} - {None}, key=str
    )
    options: list[Callable[[], Any]] = []
    if col.enum_labels:
        labels = list(col.enum_labels)
        if col.type != col.type.removesuffix("[]"):
            options.append(lambda: _distinct(ch, labels, 0, 2))
        else:
            options.append(lambda: ch.pick(labels))
    if seen:
        options.append(lambda: _unhashable(ch.pick(seen)))
    sub = spec.principal.sub
    if col.type == "uuid" and sub is not None:
        options.append(lambda: sub)
    if col.type == "uuid[]" and sub is not None:
        options.append(lambda: [sub])
        options.append(lambda: [])
    unique_alone = (col.name,) in meta.unique or any(col.name in u for u in meta.unique)
    if col.is_text:
        fresh: Callable[[], Any] = lambda: _fresh_text(ch.integer(0, 999_999))  # noqa: E731
        options = [fresh] if unique_alone else [*options, fresh]
    if col.nullable:
        options.append(lambda: None)
    return ch.pick(options)() if options else None


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


def pick_row(ch: Chooser, model: Model, table: str, spec: ActorSpec) -> dict[str, Any]:
    """Choose a row of ``table``, half the time one near the actor."""
    near = model.near(spec, table)
    rows: Sequence[dict[str, Any]] = near if near and ch.coin() else model.snapshot.table(table)
    return dict(ch.pick(rows))


def pick_update(
    ch: Chooser, model: Model, table: str, spec: ActorSpec, row: dict[str, Any]
) -> dict[str, Any]:
    """One to three changed columns (the key set to itself when nothing else is writable)."""
    cols = update_columns(model, table)
    if not cols:
        key = model.matrix.table(table).key
        return {key: row[key]}
    return {c.name: column_value(ch, model, table, c, spec) for c in _distinct(ch, cols, 1, 3)}


def pick_insert(ch: Chooser, model: Model, table: str, spec: ActorSpec) -> dict[str, Any]:
    """Copy an existing row with a new key, fresh unique values and a few changes."""
    meta = model.metas[table]
    t = model.matrix.table(table)
    template = pick_row(ch, model, table, spec)
    new = {k: v for k, v in template.items() if k in meta.columns and not meta.columns[k].generated}
    if meta.columns[t.key].type == "uuid":
        new[t.key] = uuid.UUID(int=ch.integer(1, 2**64), version=4)
    for uniq in meta.unique:
        if t.key in uniq:
            continue
        for c in uniq:
            col = meta.columns[c]
            if col.is_text:
                new[c] = _fresh_text(ch.integer(0, 999_999))
            elif col.nullable and c != t.scope_column:
                new[c] = None
    if ch.coin():
        new.update(pick_update(ch, model, table, spec, template))
    return new


def make_case(
    ch: Chooser,
    model: Model,
    table: str | None = None,
    command: str | None = None,
    role_label: str | None = None,
    kind: str | None = None,
) -> Case:
    """One access case; ``table``/``command``/``role_label``/``kind`` pin a part of it."""
    actors = [
        a
        for a in model.actors
        if (role_label is None or a.role_label == role_label) and (kind is None or a.kind == kind)
    ]
    spec = ch.pick(actors or model.actors)
    table = table or ch.pick(model.tables)
    command = command or ch.pick(COMMANDS)
    key = model.matrix.table(table).key
    if command == "I":
        return Case(spec, table, "I", None, pick_insert(ch, model, table, spec))
    row = pick_row(ch, model, table, spec)
    values = pick_update(ch, model, table, spec, row) if command == "U" else {}
    return Case(spec, table, command, row[key], values)


@st.composite
def cases(
    draw: Callable[..., Any],
    model: Model,
    table: str | None = None,
    command: str | None = None,
    role_label: str | None = None,
) -> Case:
    """Hypothesis strategy of :func:`make_case` (pinned parts re-find a failure to shrink it)."""
    return make_case(DrawChooser(draw), model, table, command, role_label)


def open_model(conn: Any, matrix: AccessMatrix) -> Model:
    """Snapshot the database behind ``conn`` (as its superuser) into a :class:`Model`."""
    from harness.access.snapshot import read_snapshot

    snap, metas = read_snapshot(conn, matrix)
    return Model(matrix, snap, metas)
