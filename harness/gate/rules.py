"""Our own migration rules (MIG201..MIG206), on pglast's parse tree of the new migrations.

They cover what squawk does not say, or says without naming it a security or data risk:
RLS switched off, policies dropped, grants widened, destructive and data-dependent changes.
A table is *existing* when the new migrations did not create it themselves (it holds rows
in production); changes to tables created in the same change set are harmless.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pglast import ast, enums, parse_sql
from pglast.parser import ParseError

from harness.registry import Finding

MIG_RLS_DISABLED = "MIG201"
MIG_POLICY_DROPPED = "MIG202"
MIG_GRANT_WIDENED = "MIG203"
MIG_DESTRUCTIVE = "MIG204"
MIG_DATA_DEPENDENT = "MIG205"
MIG_INDEX_NOT_CONCURRENT = "MIG206"
MIG_PARSE = "MIG200"

# Roles that make an object reachable from the API when granted; PUBLIC is added always.
DEFAULT_API_GRANTEES = ("anon", "authenticated")
# Unnamed CHECK constraints get these names from PostgreSQL (<table>_<column>_check, ...)
CHECK_NAME = re.compile(r"(_check\d*|_chk\d*)$|^chk_|^check_", re.IGNORECASE)

AT = enums.AlterTableType
CT = enums.ConstrType
OT = enums.ObjectType


@dataclass(frozen=True)
class Statement:
    """One top-level statement of a file with the line it starts on."""

    file: Path
    line: int
    node: ast.Node


def _first_token_offset(data: bytes, pos: int) -> int:
    """Skip whitespace and comments from ``pos``: pglast's stmt_location may point before them."""
    n = len(data)
    while pos < n:
        if data[pos : pos + 1].isspace():
            pos += 1
        elif data.startswith(b"--", pos):
            nl = data.find(b"\n", pos)
            pos = n if nl < 0 else nl + 1
        elif data.startswith(b"/*", pos):
            end = data.find(b"*/", pos + 2)
            pos = n if end < 0 else end + 2
        else:
            break
    return pos


def parse_file(path: Path) -> list[Statement]:
    """Statements of ``path`` with 1-based line numbers; raises pglast's ParseError."""
    text = path.read_text(encoding="utf-8")
    data = text.encode("utf-8")  # stmt_location counts bytes
    out = []
    for raw in parse_sql(text):
        if raw.stmt is None:
            continue
        start = _first_token_offset(data, raw.stmt_location or 0)
        out.append(Statement(path, data.count(b"\n", 0, start) + 1, raw.stmt))
    return out


def _qualified(rv: ast.RangeVar | None) -> str:
    if rv is None:
        return "?"
    return f"{rv.schemaname or 'public'}.{rv.relname}"


def _names(items: Iterable[ast.Node] | None) -> str:
    return ".".join(str(getattr(i, "sval", i)) for i in items or ())


@dataclass
class SchemaFacts:
    """What earlier statements established.

    Tables created by the new migrations, and the kinds of named constraints (``'c'`` check,
    ``'u'`` unique, ...) from every migration read so far.
    """

    created_tables: set[str] = field(default_factory=set)
    created_functions: set[str] = field(default_factory=set)
    constraint_kinds: dict[str, str] = field(default_factory=dict)  # "table.name" -> kind

    def learn(self, node: ast.Node, *, new: bool) -> None:
        """Record what ``node`` creates; ``new`` when it belongs to the change under review."""
        if isinstance(node, ast.CreateStmt | ast.CreateTableAsStmt):
            if isinstance(node, ast.CreateStmt):
                rv = node.relation
            else:
                rv = node.into.rel if node.into is not None else None
            table = _qualified(rv)
            if new:
                self.created_tables.add(table)
            if isinstance(node, ast.CreateStmt):
                self._learn_create(table, node)
        elif isinstance(node, ast.CreateFunctionStmt) and new:
            self.created_functions.add(_names(node.funcname).split(".")[-1])
        elif isinstance(node, ast.AlterTableStmt):
            table = _qualified(node.relation)
            for cmd in node.cmds or ():
                if cmd.subtype == AT.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
                    self._remember(table, cmd.def_.conname, cmd.def_.contype)

    def _learn_create(self, table: str, node: ast.CreateStmt) -> None:
        rel = table.split(".")[-1]
        unnamed_checks = 0
        for elt in node.tableElts or ():
            if isinstance(elt, ast.ColumnDef):
                for con in elt.constraints or ():
                    name = con.conname or (
                        f"{rel}_{elt.colname}_check" if con.contype == CT.CONSTR_CHECK else None
                    )
                    self._remember(table, name, con.contype)
            elif isinstance(elt, ast.Constraint):
                name = elt.conname
                if name is None and elt.contype == CT.CONSTR_CHECK:
                    name = f"{rel}_check" + (str(unnamed_checks) if unnamed_checks else "")
                    unnamed_checks += 1
                self._remember(table, name, elt.contype)

    def _remember(self, table: str, name: str | None, contype: object) -> None:
        kinds = {
            CT.CONSTR_CHECK: "c",
            CT.CONSTR_UNIQUE: "u",
            CT.CONSTR_PRIMARY: "p",
            CT.CONSTR_FOREIGN: "f",
            CT.CONSTR_EXCLUSION: "x",
        }
        if name and contype in kinds:
            self.constraint_kinds[f"{table}.{name}"] = kinds[contype]  # type: ignore[index]

    def existing(self, table: str) -> bool:
        """Tell whether ``table`` predates the change (so it holds production rows)."""
        return table not in self.created_tables

    def is_check(self, table: str, name: str) -> bool:
        """Tell whether constraint ``name`` is a CHECK (known kind, else by PostgreSQL's naming)."""
        kind = self.constraint_kinds.get(f"{table}.{name}")
        return kind == "c" if kind is not None else bool(CHECK_NAME.search(name))


@dataclass(frozen=True)
class RuleHit:
    """One rule violation before it becomes a finding."""

    check_id: str
    stmt: Statement
    obj: str
    message: str
    rule: str


def _alter_table(st: Statement, node: ast.AlterTableStmt, facts: SchemaFacts) -> Iterator[RuleHit]:
    table = _qualified(node.relation)
    existing = facts.existing(table)
    for cmd in node.cmds or ():
        sub = cmd.subtype
        if sub == AT.AT_DisableRowSecurity:
            yield RuleHit(
                MIG_RLS_DISABLED,
                st,
                table,
                f"row level security disabled on {table}",
                "disable-rls",
            )
        elif sub == AT.AT_NoForceRowSecurity:
            yield RuleHit(
                MIG_RLS_DISABLED,
                st,
                table,
                f"row level security no longer forced on {table} (owner bypasses it)",
                "no-force-rls",
            )
        elif sub == AT.AT_DropColumn and existing:
            yield RuleHit(
                MIG_DESTRUCTIVE,
                st,
                f"{table}.{cmd.name}",
                f"column {table}.{cmd.name} dropped: its data is lost",
                "drop-column",
            )
        elif sub == AT.AT_DropConstraint and cmd.name and facts.is_check(table, cmd.name):
            yield RuleHit(
                MIG_DESTRUCTIVE,
                st,
                f"{table}.{cmd.name}",
                f"CHECK constraint {cmd.name} on {table} dropped: the invariant it "
                "protected is no longer enforced",
                "drop-check-constraint",
            )
        elif not existing:
            continue
        elif sub == AT.AT_SetNotNull:
            yield RuleHit(
                MIG_DATA_DEPENDENT,
                st,
                f"{table}.{cmd.name}",
                f"SET NOT NULL on {table}.{cmd.name} fails if any row holds NULL",
                "set-not-null",
            )
        elif sub == AT.AT_AlterColumnType:
            yield RuleHit(
                MIG_DATA_DEPENDENT,
                st,
                f"{table}.{cmd.name}",
                f"type of {table}.{cmd.name} changed: rewrites the table and fails "
                "on values that do not convert",
                "alter-column-type",
            )
        elif sub == AT.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
            col = cmd.def_
            cons = {c.contype for c in col.constraints or ()}
            not_null = col.is_not_null or CT.CONSTR_NOTNULL in cons or CT.CONSTR_PRIMARY in cons
            has_default = bool(cons & {CT.CONSTR_DEFAULT, CT.CONSTR_IDENTITY, CT.CONSTR_GENERATED})
            if not_null and not has_default:
                yield RuleHit(
                    MIG_DATA_DEPENDENT,
                    st,
                    f"{table}.{col.colname}",
                    f"NOT NULL column {table}.{col.colname} added without a default: "
                    "fails on a table with rows",
                    "add-not-null-column-without-default",
                )
        elif (
            sub == AT.AT_AddConstraint
            and isinstance(cmd.def_, ast.Constraint)
            and cmd.def_.contype in (CT.CONSTR_UNIQUE, CT.CONSTR_PRIMARY, CT.CONSTR_EXCLUSION)
        ):
            yield RuleHit(
                MIG_DATA_DEPENDENT,
                st,
                f"{table}.{cmd.def_.conname or '?'}",
                f"unique constraint added to existing table {table}: fails on duplicate rows",
                "unique-on-existing-table",
            )


def _grant(
    st: Statement,
    g: ast.GrantStmt,
    facts: SchemaFacts,
    api: tuple[str, ...],
    default_privileges: bool,
) -> Iterator[RuleHit]:
    if not g.is_grant:
        return
    grantees = []
    for r in g.grantees or ():
        if r.roletype == enums.RoleSpecType.ROLESPEC_PUBLIC:
            grantees.append("PUBLIC")
        elif r.rolename in api:
            grantees.append(r.rolename)
    if not grantees:
        return
    privs = ", ".join(p.priv_name for p in g.privileges or ()) or "ALL"
    who = ", ".join(grantees)
    if default_privileges:
        yield RuleHit(
            MIG_GRANT_WIDENED,
            st,
            "default privileges",
            f"default privileges grant {privs} to {who} on every future object",
            "alter-default-privileges-grant",
        )
        return
    if g.targtype == enums.GrantTargetType.ACL_TARGET_ALL_IN_SCHEMA:
        schemas = _names(g.objects)
        yield RuleHit(
            MIG_GRANT_WIDENED,
            st,
            f"all in schema {schemas}",
            f"{privs} granted to {who} on every object in schema {schemas}",
            "grant-all-in-schema",
        )
        return
    for obj in g.objects or ():
        # granting on an object the same change set creates is part of creating it; the
        # security suites judge the resulting grants. Widening an existing object is news.
        if isinstance(obj, ast.RangeVar):
            name = _qualified(obj)
            if not facts.existing(name):
                continue
        elif isinstance(obj, ast.ObjectWithArgs):
            name = _names(obj.objname)
            if name.split(".")[-1] in facts.created_functions:
                continue
        else:
            name = _names([obj]) if hasattr(obj, "sval") else str(obj)
        yield RuleHit(MIG_GRANT_WIDENED, st, name, f"{privs} on {name} granted to {who}", "grant")


def _drop(st: Statement, node: ast.DropStmt, facts: SchemaFacts) -> Iterator[RuleHit]:
    kind = node.removeType
    for obj in node.objects or ():
        parts = [str(getattr(p, "sval", p)) for p in (obj if isinstance(obj, tuple) else [obj])]
        if kind == OT.OBJECT_POLICY:
            table = ".".join(parts[:-1])
            table = table if "." in table else f"public.{table}"
            yield RuleHit(
                MIG_POLICY_DROPPED,
                st,
                f"{table}.{parts[-1]}",
                f"policy {parts[-1]} on {table} dropped: check the access it "
                "granted or denied is still right",
                "drop-policy",
            )
        elif kind == OT.OBJECT_SCHEMA:
            yield RuleHit(
                MIG_DESTRUCTIVE, st, parts[-1], f"schema {parts[-1]} dropped", "drop-schema"
            )
        elif kind == OT.OBJECT_TABLE:
            table = ".".join(parts) if len(parts) > 1 else f"public.{parts[0]}"
            if facts.existing(table):
                yield RuleHit(
                    MIG_DESTRUCTIVE,
                    st,
                    table,
                    f"table {table} dropped: its data is lost",
                    "drop-table",
                )


def check_statement(st: Statement, facts: SchemaFacts, api: tuple[str, ...]) -> Iterator[RuleHit]:
    """Yield the rule violations of one statement, given what earlier statements established."""
    node = st.node
    if isinstance(node, ast.AlterTableStmt):
        yield from _alter_table(st, node, facts)
    elif isinstance(node, ast.DropStmt):
        yield from _drop(st, node, facts)
    elif isinstance(node, ast.TruncateStmt):
        for rv in node.relations or ():
            yield RuleHit(
                MIG_DESTRUCTIVE, st, _qualified(rv), f"table {_qualified(rv)} truncated", "truncate"
            )
    elif isinstance(node, ast.GrantStmt):
        yield from _grant(st, node, facts, api, default_privileges=False)
    elif isinstance(node, ast.AlterDefaultPrivilegesStmt) and node.action is not None:
        yield from _grant(st, node.action, facts, api, default_privileges=True)
    elif isinstance(node, ast.IndexStmt) and facts.existing(_qualified(node.relation)):
        table = _qualified(node.relation)
        if node.unique:
            yield RuleHit(
                MIG_DATA_DEPENDENT,
                st,
                f"{table}.{node.idxname or '?'}",
                f"unique index on existing table {table}: fails on duplicate rows",
                "unique-on-existing-table",
            )
        if not node.concurrent:
            yield RuleHit(
                MIG_INDEX_NOT_CONCURRENT,
                st,
                f"{table}.{node.idxname or '?'}",
                f"index on existing table {table} built without CONCURRENTLY blocks "
                "writes while it builds",
                "create-index-not-concurrently",
            )


def lint_migrations(
    base_files: Iterable[Path],
    new_files: Iterable[Path],
    display: dict[Path, str],
    *,
    api_grantees: tuple[str, ...] = DEFAULT_API_GRANTEES,
) -> list[Finding]:
    """Lint ``new_files`` with MIG201..MIG206; ``base_files`` only teach constraint kinds.

    A file pglast cannot parse yields one MIG200 finding (squawk and the replay will say more).
    """
    facts = SchemaFacts()
    for path in base_files:
        try:
            for st in parse_file(path):
                facts.learn(st.node, new=False)
        except ParseError:
            continue  # base migrations already passed review; the replay reports real errors
    out: list[Finding] = []
    for path in new_files:
        shown = display.get(path, str(path))
        try:
            stmts = parse_file(path)
        except ParseError as exc:
            out.append(
                Finding(
                    MIG_PARSE,
                    shown,
                    f"pglast cannot parse {shown}: {exc}",
                    details={"file": shown, "line": 1},
                )
            )
            continue
        for st in stmts:
            for hit in check_statement(st, facts, api_grantees):
                out.append(
                    Finding(
                        hit.check_id,
                        hit.obj,
                        f"{shown}:{st.line}: {hit.message}",
                        details={"file": shown, "line": st.line, "rule": hit.rule},
                    )
                )
            facts.learn(st.node, new=True)
    return out
