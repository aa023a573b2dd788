"""Load ``dbharness/access.toml``: who may read and write what, as data.

The vocabulary is deliberately small (see ``docs/access-matrix.md`` in the TOML's comments):

* a **scope** rule: the tenant column and how an actor's reach is computed per role
  (``all`` / ``home`` / ``home+grants``);
* per table, **rules** ``{roles, commands, pred, columns}``: ``commands`` is a subset of ``RIUD``
  (read, insert, update, delete); rules for one role and command are OR-ed like permissive
  policies; ``columns`` limits which columns an update may change;
* **predicates**: ``"all"`` (in scope), ``"none"``, ``"self"`` (row key = actor), or a table whose
  keys are AND-ed: ``own`` (column = actor), ``assigned`` (actor in array column),
  ``role_listed`` (actor's role in array column), ``where`` / ``where_not`` (column equals one of
  values), ``via`` (the parent row through a foreign-key column satisfies a predicate, or the
  parent's own rules for a command), ``referenced_by`` (some row of another table pointing here
  satisfies a predicate), ``any`` (OR of predicates);
* table flags: ``append_only``, ``self_protected`` (columns nobody changes on their own row),
  ``like`` (start from another table's rules; local rules replace the inherited ones for the
  role/command pairs they name);
* state machines (legal transitions of a status column) and the audit table's columns.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import ConfigError

COMMANDS = "RIUD"
COMMAND_NAMES = {"R": "select", "I": "insert", "U": "update", "D": "delete"}
REACH_KINDS = ("all", "home", "home+grants")


# ---------------------------------------------------------------- predicates
@dataclass(frozen=True)
class Pred:
    """Base of the predicate tree."""


@dataclass(frozen=True)
class All(Pred):
    """Every row in scope."""


@dataclass(frozen=True)
class Nothing(Pred):
    """No row."""


@dataclass(frozen=True)
class Self(Pred):
    """The row whose key is the actor (e.g. a user's own profile)."""


@dataclass(frozen=True)
class Own(Pred):
    """``column`` = the actor."""

    column: str


@dataclass(frozen=True)
class Assigned(Pred):
    """The actor is an element of the array ``column``."""

    column: str


@dataclass(frozen=True)
class RoleListed(Pred):
    """The actor's app role is an element of the array ``column``."""

    column: str


@dataclass(frozen=True)
class Where(Pred):
    """``column`` equals one of ``values`` (or none of them when ``negate``)."""

    column: str
    values: tuple[Any, ...]
    negate: bool = False


@dataclass(frozen=True)
class Via(Pred):
    """The parent row ``table[key] = row[column]`` satisfies a predicate.

    Without ``pred``, the parent's own rules for ``command`` decide.
    """

    column: str
    table: str
    pred: Pred | None = None
    command: str = "R"


@dataclass(frozen=True)
class ReferencedBy(Pred):
    """Some row of ``table`` with ``table.column = row key`` satisfies ``pred``."""

    table: str
    column: str
    pred: Pred


@dataclass(frozen=True)
class And(Pred):
    """All parts hold."""

    parts: tuple[Pred, ...]


@dataclass(frozen=True)
class AnyOf(Pred):
    """At least one part holds."""

    parts: tuple[Pred, ...]


# ---------------------------------------------------------------- matrix
@dataclass(frozen=True)
class Rule:
    """Roles x commands allowed on rows satisfying ``pred``; ``columns`` limits updates."""

    roles: frozenset[str]
    commands: frozenset[str]
    pred: Pred
    columns: frozenset[str] | None = None


@dataclass(frozen=True)
class TableRules:
    """What the matrix says about one table."""

    name: str
    schema: str
    key: str
    scope_column: str
    rules: tuple[Rule, ...]
    append_only: bool = False
    self_protected: frozenset[str] = frozenset()
    audited: bool = True

    @property
    def qualified(self) -> str:
        """Return ``schema.name``."""
        return f"{self.schema}.{self.name}"

    def rules_for(self, role: str, command: str) -> list[Rule]:
        """Return the rules granting ``command`` to ``role``."""
        return [r for r in self.rules if role in r.roles and command in r.commands]


@dataclass(frozen=True)
class StateMachine:
    """Legal transitions of one status column; an illegal one fails with ``sqlstates``."""

    table: str
    column: str
    transitions: Mapping[str, frozenset[str]]
    sqlstates: frozenset[str]

    def legal(self, old: Any, new: Any) -> bool:
        """Tell whether ``old -> new`` is allowed (staying put always is)."""
        return old == new or str(new) in self.transitions.get(str(old), frozenset())


@dataclass(frozen=True)
class ActorSource:
    """Where an app user's role, activity and home come from (never from the JWT)."""

    table: str
    key: str
    role: str
    active: str
    home: str


@dataclass(frozen=True)
class Grants:
    """The table listing extra tenants granted to a user."""

    table: str
    user: str
    scope: str


@dataclass(frozen=True)
class Audit:
    """The audit table and its columns; ``tables`` lists what must be audited."""

    table: str
    actor: str
    scope: str
    table_name: str
    record: str
    action: str
    old: str
    new: str


@dataclass(frozen=True)
class AccessMatrix:
    """The whole access matrix of a schema."""

    roles: tuple[str, ...]
    actors: ActorSource
    scope_column: str
    reach: Mapping[str, str]
    grants: Grants | None
    tables: Mapping[str, TableRules]
    state_machines: Mapping[str, StateMachine]
    denial_sqlstates: frozenset[str]
    reference_sqlstates: frozenset[str]
    audit: Audit | None
    source: Path | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)

    def reach_of(self, role: str) -> str:
        """Return how far ``role`` reaches: all, home or home+grants."""
        return self.reach.get(role, self.reach.get("*", "home"))

    def table(self, name: str) -> TableRules:
        """Return the rules of table ``name``."""
        try:
            return self.tables[name]
        except KeyError:
            raise ConfigError(f"access matrix has no table {name!r}") from None


# ---------------------------------------------------------------- parsing
class _Parser:
    def __init__(self, where: str, roles: tuple[str, ...]) -> None:
        self.where = where
        self.roles = roles

    def fail(self, msg: str) -> ConfigError:
        return ConfigError(f"{self.where}: {msg}")

    def pred(self, raw: Any, at: str) -> Pred:
        if isinstance(raw, str):
            simple: dict[str, Pred] = {"all": All(), "none": Nothing(), "self": Self()}
            if raw not in simple:
                raise self.fail(f"{at}: unknown predicate {raw!r} (all, none, self or a table)")
            return simple[raw]
        if not isinstance(raw, dict) or not raw:
            raise self.fail(f"{at}: a predicate is a string or a non-empty table")
        parts: list[Pred] = []
        for k, v in raw.items():
            sub = f"{at}.{k}"
            if k in ("own", "assigned", "role_listed"):
                if not isinstance(v, str):
                    raise self.fail(f"{sub}: expects a column name")
                parts.append({"own": Own, "assigned": Assigned, "role_listed": RoleListed}[k](v))
            elif k in ("where", "where_not"):
                if not isinstance(v, dict) or not v:
                    raise self.fail(f"{sub}: expects {{column = value or [values]}}")
                for col, val in v.items():
                    vals = tuple(val) if isinstance(val, list) else (val,)
                    parts.append(Where(col, vals, negate=k == "where_not"))
            elif k == "via":
                if not isinstance(v, dict) or not {"column", "table"} <= set(v):
                    raise self.fail(f"{sub}: expects {{column, table[, pred | command]}}")
                inner = self.pred(v["pred"], sub + ".pred") if "pred" in v else None
                cmd = str(v.get("command", "R"))
                if cmd not in COMMANDS or len(cmd) != 1:
                    raise self.fail(f"{sub}.command: one of {', '.join(COMMANDS)}")
                parts.append(Via(str(v["column"]), str(v["table"]), inner, cmd))
            elif k == "referenced_by":
                if not isinstance(v, dict) or not {"column", "table"} <= set(v):
                    raise self.fail(f"{sub}: expects {{table, column[, pred]}}")
                inner = self.pred(v.get("pred", "all"), sub + ".pred")
                parts.append(ReferencedBy(str(v["table"]), str(v["column"]), inner))
            elif k == "any":
                if not isinstance(v, list) or not v:
                    raise self.fail(f"{sub}: expects a list of predicates")
                parts.append(AnyOf(tuple(self.pred(p, f"{sub}[{i}]") for i, p in enumerate(v))))
            else:
                raise self.fail(f"{sub}: unknown predicate key {k!r}")
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def role_set(self, raw: Any, at: str) -> frozenset[str]:
        if raw == "*":
            return frozenset(self.roles)
        names = [raw] if isinstance(raw, str) else raw
        if not isinstance(names, list) or not names:
            raise self.fail(f"{at}: roles must be '*' or a list of role names")
        unknown = set(names) - set(self.roles)
        if unknown:
            raise self.fail(f"{at}: unknown role(s) {sorted(unknown)}; known: {list(self.roles)}")
        return frozenset(names)

    def rule(self, raw: Any, at: str) -> Rule:
        if not isinstance(raw, dict):
            raise self.fail(f"{at}: a rule is a table")
        unknown = set(raw) - {"roles", "commands", "pred", "columns"}
        if unknown:
            raise self.fail(f"{at}: unknown rule key(s) {sorted(unknown)}")
        cmds = str(raw.get("commands", ""))
        if not cmds or set(cmds) - set(COMMANDS):
            raise self.fail(f"{at}.commands: letters of {COMMANDS}, got {cmds!r}")
        cols = raw.get("columns")
        if cols is not None and not (
            isinstance(cols, list) and all(isinstance(c, str) for c in cols)
        ):
            raise self.fail(f"{at}.columns: a list of column names")
        return Rule(
            self.role_set(raw.get("roles"), f"{at}.roles"),
            frozenset(cmds),
            self.pred(raw.get("pred", "all"), f"{at}.pred"),
            frozenset(cols) if cols is not None else None,
        )


def _merge_like(base: tuple[Rule, ...], local: list[Rule]) -> tuple[Rule, ...]:
    """Merge: inherited rules minus the (role, command) pairs the local rules name, plus those."""
    covered = {(r, c) for rule in local for r in rule.roles for c in rule.commands}
    kept: list[Rule] = []
    for rule in base:
        pairs = {(r, c) for r in rule.roles for c in rule.commands}
        left = pairs - covered
        if left == pairs:
            kept.append(rule)
            continue
        for role in sorted({r for r, _ in left}):
            cmds = frozenset(c for r, c in left if r == role)
            kept.append(Rule(frozenset({role}), cmds, rule.pred, rule.columns))
    return (*kept, *local)


def parse_matrix(data: Mapping[str, Any], where: str = "access.toml") -> AccessMatrix:
    """Validate and build the matrix from parsed TOML."""
    roles = tuple(data.get("roles", ()))
    if not roles:
        raise ConfigError(f"{where}: 'roles' (the app roles) is required")
    p = _Parser(where, roles)
    a = data.get("actors")
    if not isinstance(a, dict):
        raise p.fail("[actors] (table, key, role, active, home) is required")
    try:
        actors = ActorSource(a["table"], a.get("key", "id"), a["role"], a["active"], a["home"])
    except KeyError as exc:
        raise p.fail(f"[actors] lacks {exc}") from None
    s = data.get("scope", {})
    reach = dict(s.get("reach", {"*": "home"}))
    for role, kind in reach.items():
        if kind not in REACH_KINDS:
            raise p.fail(f"scope.reach.{role}: one of {REACH_KINDS}")
    g = s.get("grants")
    grants = Grants(g["table"], g["user"], g["scope"]) if g else None
    if grants is None and "home+grants" in reach.values():
        raise p.fail("scope.reach uses home+grants but [scope.grants] is missing")
    scope_col = str(s.get("column", "warehouse_id"))

    raw_tables = data.get("tables", {})
    if not isinstance(raw_tables, dict) or not raw_tables:
        raise p.fail("[tables.<name>] entries are required")
    tables: dict[str, TableRules] = {}

    def build(name: str, seen: tuple[str, ...] = ()) -> TableRules:
        if name in tables:
            return tables[name]
        if name in seen:
            raise p.fail(f"tables.{name}: 'like' cycle {' -> '.join((*seen, name))}")
        t = raw_tables.get(name)
        if not isinstance(t, dict):
            raise p.fail(f"tables.{name}: referenced but not defined")
        unknown = set(t) - {
            "schema",
            "key",
            "scope_column",
            "rules",
            "like",
            "append_only",
            "self_protected",
            "audited",
        }
        if unknown:
            raise p.fail(f"tables.{name}: unknown key(s) {sorted(unknown)}")
        local = [p.rule(r, f"tables.{name}.rules[{i}]") for i, r in enumerate(t.get("rules", []))]
        rules = (
            _merge_like(build(t["like"], (*seen, name)).rules, local)
            if "like" in t
            else tuple(local)
        )
        tables[name] = TableRules(
            name=name,
            schema=str(t.get("schema", "public")),
            key=str(t.get("key", "id")),
            scope_column=str(t.get("scope_column", scope_col)),
            rules=rules,
            append_only=bool(t.get("append_only", False)),
            self_protected=frozenset(t.get("self_protected", ())),
            audited=bool(t.get("audited", True)),
        )
        return tables[name]

    for name in raw_tables:
        build(name)
    _check_references(p, tables)

    machines: dict[str, StateMachine] = {}
    for i, m in enumerate(data.get("state_machines", [])):
        try:
            trans = {str(k): frozenset(map(str, v)) for k, v in m["transitions"].items()}
            machines[m["table"]] = StateMachine(
                m["table"], m["column"], trans, frozenset(m.get("sqlstates", ["42501"]))
            )
        except (KeyError, AttributeError) as exc:
            raise p.fail(f"state_machines[{i}]: needs table, column, transitions ({exc})") from None
    d = data.get("denial", {})
    au = data.get("audit")
    audit = None
    if au:
        try:
            audit = Audit(
                au["table"],
                au["actor"],
                au["scope"],
                au["table_name"],
                au["record"],
                au["action"],
                au["old"],
                au["new"],
            )
        except KeyError as exc:
            raise p.fail(f"[audit] lacks {exc}") from None
    return AccessMatrix(
        roles=roles,
        actors=actors,
        scope_column=scope_col,
        reach=reach,
        grants=grants,
        tables=tables,
        state_machines=machines,
        denial_sqlstates=frozenset(d.get("sqlstates", ["42501"])),
        reference_sqlstates=frozenset(d.get("reference_sqlstates", ["23503", "23514"])),
        audit=audit,
        raw=data,
    )


def _check_references(p: _Parser, tables: Mapping[str, TableRules]) -> None:
    def walk(pred: Pred, at: str) -> None:
        if isinstance(pred, Via | ReferencedBy) and pred.table not in tables:
            raise p.fail(f"{at}: predicate names table {pred.table!r} not in the matrix")
        for child in _children(pred):
            walk(child, at)

    for t in tables.values():
        for r in t.rules:
            walk(r.pred, f"tables.{t.name}")


def _children(pred: Pred) -> tuple[Pred, ...]:
    if isinstance(pred, And | AnyOf):
        return pred.parts
    if isinstance(pred, Via) and pred.pred is not None:
        return (pred.pred,)
    if isinstance(pred, ReferencedBy):
        return (pred.pred,)
    return ()


def load_matrix(path: Path) -> AccessMatrix:
    """Read and validate an ``access.toml``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: malformed TOML: {exc}") from None
    m = parse_matrix(data, str(path))
    return AccessMatrix(**{**m.__dict__, "source": path})
