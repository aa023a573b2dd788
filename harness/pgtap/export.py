"""The access matrix written as pgTAP files, for CI that has only pg_prove or the Supabase CLI.

One file per actor: one active seed profile per app role (the first by id), plus anon and
service_role. Per table the file asserts how many seed rows the actor reads, then for update,
delete and insert one case the matrix allows and one it denies, on real seed rows. Expectations
come from the matrix (the oracle); the database is used only to pick cases that test access: a
candidate whose write an integrity rule refuses (a unique key, a trigger, a foreign key; what the
RLS suites call inconclusive) is passed over for the next row.

A test names rows by key, so only rows the seed makes the same way every time it loads may be
named: the seed is loaded twice, and a row whose key (and every uuid it holds) differs between the
two loads, such as one keyed by ``gen_random_uuid()``, is never picked.

The files are plain SQL: ``begin; select plan(n); ... select * from finish(); rollback;``. Every
statement runs inside a function that sets the role and the JWT claims the way PostgREST does and
undoes the statement, so every test starts from the seed and the role never leaks.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from harness.access.matrix import AccessMatrix
from harness.access.oracle import Expectation, Kind, Oracle, Principal
from harness.access.probe import COMMAND_VERBS, ActorSpec, Case, expectation, judge, statement
from harness.impersonate import Actor
from harness.strategies import MAINTAINED, Model, open_model

ATTEMPTS = 8  # candidate rows tried per (actor, table, command, allowed/denied) slot
EDIT_SUFFIX = " (edited by a test)"
_KEY_NAMESPACE = uuid.UUID("3a4b1c2d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
_SAFE = re.compile(r"[^a-z0-9_]+")


@dataclass(frozen=True)
class ExportCase:
    """One assertion of an exported file."""

    table: str
    description: str
    sql: str  # the statement the actor runs
    expected: str  # 'allowed' / 'denied', or a row count for reads
    read: bool = False


@dataclass
class ActorFile:
    """The cases of one actor, and how the file names it."""

    label: str  # app role, anon or service_role
    who: str  # a sentence naming the profile
    role: str  # database role
    claims: str  # request.jwt.claims, JSON text
    cases: list[ExportCase] = field(default_factory=list)

    @property
    def filename(self) -> str:
        """``access_<label>.test.sql``."""
        return f"access_{_SAFE.sub('_', self.label.lower())}.test.sql"


def _claims(actor: Actor) -> str:
    """Return the actor's claims without times: the files must not depend on the clock."""
    claims = actor.claims(now=0) or {}
    kept = {k: v for k, v in claims.items() if k not in ("iat", "exp", "amr")}
    return json.dumps(kept, separators=(",", ":"), sort_keys=True)


def actors(matrix: AccessMatrix, model: Model) -> list[ActorSpec]:
    """One active profile per app role (the lowest id), then anon and service_role."""
    a = matrix.actors
    rows = sorted(model.snapshot.table(a.table), key=lambda r: str(r[a.key]))
    chosen: list[ActorSpec] = []
    for role in matrix.roles:
        row = next((r for r in rows if r[a.role] == role and r.get(a.active)), None)
        if row is not None:
            uid = row[a.key]
            email = row.get("email")
            chosen.append(ActorSpec(Actor.user(uid, email), Principal(Kind.USER, uid, role), role))
    chosen.append(ActorSpec(Actor.anon(), Principal(Kind.ANON, label="anon"), "anon"))
    chosen.append(ActorSpec(Actor.service_role(), Principal(Kind.SERVICE, label="service_role"),
                            "service_role"))
    return chosen


def _who(matrix: AccessMatrix, model: Model, spec: ActorSpec) -> str:
    if spec.principal.kind is not Kind.USER:
        return f"a caller with the {spec.role_label} key"
    row = model.snapshot.get(matrix.actors.table, spec.principal.sub) or {}
    return (f"profile {spec.principal.sub} ({row.get('email') or 'no e-mail'}, "
            f"{matrix.actors.home} {row.get(matrix.actors.home)})")


class Exporter:
    """Builds the cases of every actor against one database holding the seed data."""

    def __init__(
        self, conn: psycopg.Connection[Any], matrix: AccessMatrix, again: psycopg.Connection[Any]
    ) -> None:
        self.conn = conn
        self.m = matrix
        self.model = open_model(conn, matrix)
        self.oracle = Oracle(matrix, self.model.snapshot)
        self._again = open_model(again, matrix)
        self._stable = self._stable_keys(self._again)
        self._fresh = 0
        self.disagreements: list[str] = []  # matrix cases the database answers otherwise

    def _stable_keys(self, other: Model) -> dict[str, set[Any]]:
        """Per table, the keys of rows the second load of the seed made the same way."""
        out: dict[str, set[Any]] = {}
        for table in self.model.tables:
            t = self.m.table(table)
            uuids = [c.name for c in self.model.metas[table].columns.values()
                     if c.type in ("uuid", "uuid[]")]
            out[table] = {
                r[t.key] for r in self.model.snapshot.table(table)
                if (twin := other.snapshot.get(table, r[t.key])) is not None
                and all(twin.get(c) == r.get(c) for c in uuids)
            }
        return out

    def files(self) -> list[ActorFile]:
        """Return one :class:`ActorFile` per actor, its cases in table order."""
        out = []
        for spec in actors(self.m, self.model):
            f = ActorFile(spec.role_label, _who(self.m, self.model, spec), spec.actor.db_role,
                          _claims(spec.actor))
            for table in self.model.tables:
                for case, _agrees in self._table_cases(spec, table):
                    f.cases.append(case)
            out.append(f)
        return out

    # -- cases ------------------------------------------------------------------------------

    def _rows(self, table: str, *, stable: bool = False) -> list[dict[str, Any]]:
        key = self.m.table(table).key
        rows = self.model.snapshot.table(table)
        if stable:
            rows = [r for r in rows if r[key] in self._stable.get(table, set())]
        return sorted(rows, key=lambda r: str(r[key]))

    def _table_cases(self, spec: ActorSpec, table: str) -> Iterator[tuple[ExportCase, bool]]:
        t = self.m.table(table)
        rows = self._rows(table)
        readable = sum(self.oracle.can_select(spec.principal, table, r).allowed for r in rows)
        yield ExportCase(
            table,
            f"{spec.role_label} reads {readable} of the {len(rows)} seed rows of {t.qualified}",
            f"select count(*) from {_ident(t.schema, table)}",
            str(readable),
            read=True,
        ), True
        for command in "UDI":
            for allowed in (True, False):
                found = self._find(spec, table, command, allowed)
                if found is not None:
                    yield found

    def _candidates(self, spec: ActorSpec, table: str, command: str) -> Iterator[Case]:
        t = self.m.table(table)
        rows = self._rows(table, stable=True)
        if command == "D":
            for r in rows:
                yield Case(spec, table, "D", r[t.key])
        elif command == "U":
            for col in self._edit_columns(table):
                for r in rows:
                    if isinstance(r.get(col), str):
                        yield Case(spec, table, "U", r[t.key], {col: r[col] + EDIT_SUFFIX})
        else:
            for r in rows:
                new = self._insert_row(table, r)
                if new is not None:
                    yield Case(spec, table, "I", None, new)

    def _edit_columns(self, table: str) -> list[str]:
        """Free-text columns a user writes (not keys, not unique, not bookkeeping)."""
        meta = self.model.metas[table]
        t = self.m.table(table)
        unique = {c for u in meta.unique for c in u}
        return [c.name for c in meta.writable()
                if c.is_text and c.name not in unique and c.name != t.key
                and c.name not in MAINTAINED and not c.enum_labels]

    def _insert_row(self, table: str, row: dict[str, Any]) -> dict[str, Any] | None:
        """Copy ``row`` with a new key and fresh unique values."""
        meta = self.model.metas[table]
        t = self.m.table(table)
        twin = self._again.snapshot.get(table, row[t.key]) or {}
        new: dict[str, Any] = {}
        for k, v in row.items():
            col = meta.columns.get(k)
            if col is None or col.generated or k in MAINTAINED:
                continue
            if twin.get(k) != v:  # made by the clock (now() + ...): the file must not carry it
                if not (col.nullable or col.has_default):
                    return None
                continue
            new[k] = v
        self._fresh += 1
        if meta.columns[t.key].type == "uuid":
            new[t.key] = uuid.uuid5(_KEY_NAMESPACE, f"{table}:{self._fresh}")
        elif not meta.columns[t.key].has_default:
            return None
        else:
            new.pop(t.key, None)
        for uniq in meta.unique:
            if t.key in uniq:
                continue
            for c in uniq:
                col = meta.columns[c]
                if col.is_text:
                    new[c] = f"dbh-export-{self._fresh:05d}"
                elif col.nullable and c != t.scope_column:
                    new[c] = None
        return new

    def _find(
        self, spec: ActorSpec, table: str, command: str, allowed: bool
    ) -> tuple[ExportCase, bool] | None:
        """Find a conclusive candidate the matrix allows (or denies), and whether the DB agrees.

        One the database already answers the same way is preferred: the file is meant to catch
        a change. When every candidate tried disagrees, the first is exported anyway, and fails:
        the matrix says what must hold.
        """
        tried = 0
        first_disagreement: ExportCase | None = None
        seen = ""
        for case in self._candidates(spec, table, command):
            exp = self._expect(case)
            if exp is None or exp.allowed != allowed or not _access_only(exp.denial_sqlstates,
                                                                          self.m):
                continue
            if tried >= ATTEMPTS:
                break
            tried += 1
            verdict = judge(self.conn, self.oracle, self.model.metas, case)
            if verdict.judgement == "inconclusive":
                continue
            exported = self._export_case(spec, case, allowed)
            if verdict.judgement == "agree":
                return exported, True
            if first_disagreement is None:
                first_disagreement = exported
                seen = verdict.observed.describe()
        if first_disagreement is None:
            return None
        self.disagreements.append(f"{first_disagreement.description} (the database: {seen})")
        return first_disagreement, False

    def _export_case(self, spec: ActorSpec, case: Case, allowed: bool) -> ExportCase:
        table, command = case.table, case.command
        key = self.m.table(table).key
        text = statement(self.conn, self.model.metas[table], key, case)
        what = (f"row {case.key}" if command != "I"
                else f"a row like {key} {case.values.get(key, '(new)')}")
        cols = f" ({', '.join(case.values)})" if command == "U" else ""
        may = "may" if allowed else "may not"
        return ExportCase(
            table,
            f"{spec.role_label} {may} {COMMAND_VERBS[command]} {what} of "
            f"{self.m.table(table).qualified}{cols}",
            text,
            "allowed" if allowed else "denied",
        )

    def _expect(self, case: Case) -> Expectation | None:
        try:
            return expectation(self.oracle, case)
        except LookupError:
            return None


def _access_only(denials: frozenset[str], matrix: AccessMatrix) -> bool:
    """Only cases whose refusal is an access refusal (no state machine, no cross-tenant move)."""
    return denials <= matrix.denial_sqlstates


def _ident(schema: str, name: str) -> str:
    return sql.Identifier(schema, name).as_string(None)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _dollar(text: str) -> str:
    tag = "$dbh$"
    n = 0
    while tag in text:
        n += 1
        tag = f"$dbh{n}$"
    return f"{tag}{text}{tag}"


HEADER = """\
-- Generated by `dbharness export pgtap` from {source}: what {label} may read, update,
-- delete and insert, acting as {who}, on the seed rows. Do not edit; export again.
-- Plain pgTAP: runs under pg_prove and `supabase test db`. Every statement runs as PostgREST
-- runs a request (role and JWT claims local to the transaction) and is undone, so each test
-- starts from the seed.
"""

FUNCTIONS = """\
-- How many rows the actor reads (or an error), the statement undone.
create function pg_temp.dbh_rows(query text) returns text language plpgsql as $f$
declare
  n bigint;
begin
  begin
    perform set_config('role', {role}, true), set_config('request.jwt.claims', {claims}, true);
    execute query into n;
    raise sqlstate 'DBH00';
  exception
    when sqlstate 'DBH00' then null;
    when insufficient_privilege then n := 0;
    when others then return 'error ' || sqlstate || ': ' || sqlerrm;
  end;
  return n::text;
end
$f$;

-- Whether the actor's write goes through: 'allowed' (rows changed), 'denied' (no row changed,
-- or refused with {denials}), or the error; the write undone.
create function pg_temp.dbh_try(statement text) returns text language plpgsql as $f$
declare
  n bigint;
begin
  begin
    perform set_config('role', {role}, true), set_config('request.jwt.claims', {claims}, true);
    execute statement;
    get diagnostics n = row_count;
    raise sqlstate 'DBH00';
  exception
    when sqlstate 'DBH00' then null;
    when {denial_conditions} then n := 0;
    when others then return 'error ' || sqlstate || ': ' || sqlerrm;
  end;
  return case when n > 0 then 'allowed' else 'denied' end;
end
$f$;
"""


def render(f: ActorFile, matrix: AccessMatrix, source: str) -> str:
    """Return the text of one actor's pgTAP file."""
    denials = sorted(matrix.denial_sqlstates)
    out = [
        HEADER.format(source=source, label=f.label, who=f.who),
        "begin;",
        "create extension if not exists pgtap;",
        f"select plan({len(f.cases)});",
        "",
        FUNCTIONS.format(
            role=_literal(f.role),
            claims=_literal(f.claims),
            denials="/".join(denials),
            denial_conditions=" or ".join(f"sqlstate '{s}'" for s in denials),
        ),
    ]
    table = None
    for c in f.cases:
        if c.table != table:
            table = c.table
            out.append(f"-- {matrix.table(table).qualified}")
        fn = "pg_temp.dbh_rows" if c.read else "pg_temp.dbh_try"
        out.append(f"select is({fn}({_dollar(c.sql)}), {_literal(c.expected)},\n"
                   f"  {_literal(c.description)});")
    out += ["", "select * from finish();", "rollback;", ""]
    return "\n".join(out)


@dataclass(frozen=True)
class Written:
    """What an export wrote."""

    files: tuple[Path, ...]
    tests: int
    disagreements: tuple[str, ...]  # exported cases that fail on this database already


def export_pgtap(
    conn: psycopg.Connection[Any],
    again: psycopg.Connection[Any],
    matrix: AccessMatrix,
    out_dir: Path,
    source: str,
) -> Written:
    """Write one pgTAP file per actor into ``out_dir``; old exported files there are replaced.

    ``conn`` and ``again`` are two databases the schema and its seed were loaded into separately.
    """
    exporter = Exporter(conn, matrix, again)
    files = exporter.files()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for old in out_dir.glob("access_*.test.sql"):
        old.unlink()
    for f in files:
        path = out_dir / f.filename
        path.write_text(render(f, matrix, source), encoding="utf-8")
        written.append(path)
    return Written(tuple(written), sum(len(f.cases) for f in files),
                   tuple(exporter.disagreements))

