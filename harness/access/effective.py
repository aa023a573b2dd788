"""Effective access as data: who can do what on which relation, its file form, and its diff.

An outcome is one short word a reviewer reads without the SQL (see :data:`VOCABULARY`). The
file is TOML, one line per relation and persona, sorted, with no clock or random value in it:
recording the same schema twice gives the same bytes, so a change of access is a change of the
file, and reviewing the access of a change is reviewing a diff.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from harness.errors import ConfigError

FORMAT = 1
COMMANDS = ("select", "insert", "update", "delete")
EXECUTE = "execute"
DEFAULT_FILE = "access-snapshot.toml"  # under the schema's dbharness/ folder

# Outcome words and how much access each means; None: cannot be ordered (an error or untested).
VOCABULARY: Mapping[str, str] = {
    "all": "every row (select/update/delete), as many as the superuser sees",
    "some": "some rows but not all, and not exactly the persona's own; '(warehouse_id #1)': "
    "the tenants those rows belong to, by position in id order",
    "own": "exactly the rows whose owner column (compared with auth.uid()) is the persona",
    "empty": "allowed, but the relation has no rows to tell more",
    "none": "allowed to run, no row reached",
    "allowed": "the insert of a copied row (fresh key, owner = the persona) succeeded; "
    "'(duplicate key)' or '(missing reference)': only a value the probe made up was refused, "
    "after the privileges, triggers, policies and CHECKs let the row in",
    "denied (grant)": "no privilege (SQLSTATE 42501, permission denied)",
    "denied (policy)": "a row level security policy refused it (SQLSTATE 42501)",
    "error XXXXX": "another error, by SQLSTATE (a trigger, a constraint, a reference)",
    "untested": "could not be probed (reason follows): not evidence either way",
}
_RANKS = {"denied": 0, "none": 0, "empty": 1, "own": 2, "some": 3, "all": 4, "allowed": 4}
PERSONAS, RECORDING = "personas", "recording"  # the file's sections besides the outcomes
_TENANTS = re.compile(r"^some \((\w+) (.+)\)$")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def rank(outcome: str | None) -> int | None:
    """Return how much access ``outcome`` means (higher is more); None when not comparable."""
    if outcome is None:
        return None
    return _RANKS.get(outcome.split(" ", 1)[0])


def reached(outcome: str | None) -> frozenset[str] | None:
    """Return the tenants named in ``some (<column> #1, #2)``; None when none are named."""
    m = _TENANTS.match(outcome or "")
    if m is None:
        return None
    return frozenset(m.group(2).split(", "))


@dataclass
class AccessRecord:
    """The effective access of one database, as recorded."""

    schemas: tuple[str, ...]
    personas: dict[str, str]  # name -> who that is, for the reader
    relations: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    functions: dict[str, dict[str, str]] = field(default_factory=dict)  # signature -> role ->
    notes: list[str] = field(default_factory=list)  # what could not be done, said once

    def entries(self) -> dict[tuple[str, str, str], str]:
        """Return every outcome by (relation or function, persona or role, command)."""
        out: dict[tuple[str, str, str], str] = {}
        for rel, by in self.relations.items():
            for who, cmds in by.items():
                for cmd, outcome in cmds.items():
                    out[(rel, who, cmd)] = outcome
        for fn, roles in self.functions.items():
            for role, outcome in roles.items():
                out[(fn, role, EXECUTE)] = outcome
        return out

    def counts(self) -> dict[str, int]:
        """Return how much was recorded (personas, relations, functions, entries)."""
        return {"personas": len(self.personas), "relations": len(self.relations),
                "functions": len(self.functions), "entries": len(self.entries())}


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else json.dumps(name, ensure_ascii=False)


def _inline(values: Mapping[str, str], order: tuple[str, ...] | None = None) -> str:
    keys = [k for k in order if k in values] if order else sorted(values)
    return "{ " + ", ".join(f"{_key(k)} = {json.dumps(values[k])}" for k in keys) + " }"


def to_toml(rec: AccessRecord, *, made_by: str) -> str:
    """Render ``rec`` as the snapshot file (deterministic: sorted, no timestamps)."""
    lines = [
        "# Effective access: what each persona could do, observed on a fresh build of the schema",
        f"# (bootstrap, migrations, seed). Made by `{made_by}`; do not edit by hand:",
        "# re-record, review the diff, commit. `dbharness gate` compares the base and the head.",
        "# Outcomes:",
        *(f"#   {word}: {meaning}" for word, meaning in VOCABULARY.items()),
        "",
        "[recording]",
        f"format = {FORMAT}",
        "schemas = [" + ", ".join(json.dumps(s) for s in rec.schemas) + "]",
    ]
    if rec.notes:
        lines.append("notes = [")
        lines += [f"  {json.dumps(n, ensure_ascii=False)}," for n in sorted(rec.notes)]
        lines.append("]")
    lines += ["", "[personas]"]
    lines += [f"{_key(n)} = {json.dumps(a, ensure_ascii=False)}" for n, a in rec.personas.items()]
    order = list(rec.personas)
    for rel in sorted(rec.relations):
        lines += ["", f"[relations.{_key(rel)}]"]
        by = rec.relations[rel]
        for who in sorted(by, key=lambda w: (order.index(w) if w in order else len(order), w)):
            lines.append(f"{_key(who)} = {_inline(by[who], COMMANDS)}")
    if rec.functions:
        lines += ["", "[functions]"]
        lines += [f"{_key(fn)} = {_inline(rec.functions[fn])}" for fn in sorted(rec.functions)]
    return "\n".join(lines) + "\n"


def _table(data: Mapping[str, object], name: str, where: str) -> dict[str, object]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [{name}] must be a table")
    return value


def _strings(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f"{where} must be a table of strings")
    return {str(k): v for k, v in value.items()}


def parse(text: str, where: str) -> AccessRecord:
    """Read a snapshot file's text; a malformed one is a usage error naming ``where``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from None
    meta = _table(data, "recording", where)
    if meta.get("format") != FORMAT:
        raise ConfigError(
            f"{where}: not an access snapshot of format {FORMAT} ([recording] format = "
            f"{meta.get('format')!r})",
            hint="re-record it with `dbharness access record`",
        )
    schemas = meta.get("schemas", [])
    notes = meta.get("notes", [])
    if not isinstance(schemas, list) or not isinstance(notes, list):
        raise ConfigError(f"{where}: [recording] schemas and notes must be lists")
    rels = {
        rel: {who: _strings(cmds, f"{where}: relations.{rel}.{who}")
              for who, cmds in _table(_table(data, "relations", where), rel, where).items()}
        for rel in _table(data, "relations", where)
    }
    fns = {fn: _strings(roles, f"{where}: functions.{fn}")
           for fn, roles in _table(data, "functions", where).items()}
    return AccessRecord(
        schemas=tuple(map(str, schemas)),
        personas=_strings(_table(data, "personas", where), f"{where}: [personas]"),
        relations=rels, functions=fns, notes=[str(n) for n in notes],
    )


def load(path: Path) -> AccessRecord:
    """Read the snapshot file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read access snapshot {path}: {exc.strerror}") from None
    return parse(text, str(path))


@dataclass(frozen=True)
class Change:
    """One outcome that differs between two recordings."""

    target: str  # relation or function
    who: str  # persona, or API role for functions
    command: str
    before: str | None  # None: not recorded on that side (a new relation or function)
    after: str | None

    @property
    def direction(self) -> str:
        """Say ``gained``, ``lost`` or ``changed`` (same amount of access, other outcome)."""
        b, a = rank(self.before), rank(self.after)
        if self.before is None:
            b = 0
        if self.after is None:
            a = 0
        if a is not None and a == b:
            was, now = reached(self.before), reached(self.after)
            if was is not None and now is not None and was != now:
                return "gained" if now > was else "lost" if now < was else "changed"
        if a is None or b is None or a == b:
            return "changed"
        return "gained" if a > b else "lost"

    def describe(self) -> str:
        """Say who gained or lost which command on what, with both outcomes."""
        if self.target in (PERSONAS, RECORDING):  # not an outcome: what was recorded differs
            return (f"{self.target}: {self.who} was {self.before or 'absent'}, "
                    f"now {self.after or 'absent'}")
        what = self.command.upper()
        return (f"{self.who} {self.direction} {what} on {self.target}: "
                f"{self.before or 'not recorded'} -> {self.after or 'not recorded'}")


def diff(base: AccessRecord, head: AccessRecord) -> list[Change]:
    """Return the outcomes that differ between two recordings, in file order.

    Only personas both recordings have are compared (a persona the seed data no longer yields
    says nothing about access). A relation or function only in head counts when it grants
    something; one only in base is left out (dropping it is reported as a destructive change).
    """
    b, h = base.entries(), head.entries()
    both = set(base.personas) & set(head.personas)
    out = []
    for key in sorted(set(b) | set(h)):
        target, who, cmd = key
        if (cmd != EXECUTE and who not in both) or key not in h:
            continue
        before, after = b.get(key), h[key]
        if before == after or (before is None and not rank(after)):
            continue
        out.append(Change(target, who, cmd, before, after))
    return out


def differences(recorded: AccessRecord, observed: AccessRecord) -> list[Change]:
    """Return every entry, persona or schema list where ``recorded`` no longer holds."""
    a, b = recorded.entries(), observed.entries()
    out = [Change(t, w, c, a.get((t, w, c)), b.get((t, w, c)))
           for t, w, c in sorted(set(a) | set(b)) if a.get((t, w, c)) != b.get((t, w, c))]
    for name in sorted(set(recorded.personas) | set(observed.personas)):
        was, now = recorded.personas.get(name), observed.personas.get(name)
        if was != now:
            out.append(Change(PERSONAS, name, "", was, now))
    if recorded.schemas != observed.schemas:
        out.append(Change(RECORDING, "schemas", "", ", ".join(recorded.schemas),
                          ", ".join(observed.schemas)))
    return out


def summarize(changes: list[Change]) -> Iterator[str]:
    """Yield one line per change, gained first (what a reviewer must look at first)."""
    order = {"gained": 0, "lost": 1, "changed": 2}
    mark = {"gained": "+", "lost": "-", "changed": "~"}
    for c in sorted(changes, key=lambda c: (order[c.direction], c.target, c.who, c.command)):
        yield f"{mark[c.direction]} {c.describe()}"
