"""Where in the schema's SQL each object was created or last altered.

Findings name database objects (``public.parts``, ``public.f(uuid)``, ``public.t.policy``);
reviewers and code scanning want a file and a line. The index reads bootstrap and migration
files with pglast (the real PostgreSQL parser) once per run and maps every object a statement
creates or alters to that statement; a later statement on the same object wins. Objects made by
dynamic SQL cannot be located this way and fall back to the schema folder.
"""

from __future__ import annotations

import re
from functools import cached_property

from pglast import ast, parse_sql
from pglast.parser import ParseError

from harness.migrate import split_statements
from harness.schema_dir import SchemaDir

Location = tuple[str, int | None]
_ARGS = re.compile(r"\(.*\)$")


def _qualify(schema: str | None, name: str | None) -> str:
    return f"{schema or 'public'}.{name}".lower()


def _rv(rv: ast.RangeVar | None) -> str | None:
    return _qualify(rv.schemaname, rv.relname) if rv is not None else None


def _dotted(items: object) -> str:
    parts = [str(getattr(i, "sval", i)) for i in (items or ())]  # type: ignore[attr-defined]
    return ".".join(parts) if len(parts) > 1 else _qualify(None, parts[0] if parts else "?")


def objects_of(node: ast.Node) -> list[str]:
    """Name the objects one statement creates or alters (lower case, schema-qualified)."""
    names: list[str | None] = []
    if isinstance(node, ast.CreateStmt):
        table = _rv(node.relation)
        names.append(table)
        names += [
            f"{table}.{e.colname}".lower()
            for e in node.tableElts or ()
            if isinstance(e, ast.ColumnDef)
        ]
    elif isinstance(node, ast.AlterTableStmt):
        table = _rv(node.relation)
        names.append(table)
        for cmd in node.cmds or ():
            if isinstance(cmd.def_, ast.ColumnDef):
                names.append(f"{table}.{cmd.def_.colname}".lower())
            elif cmd.name:
                names.append(f"{table}.{cmd.name}".lower())
    elif isinstance(node, ast.CreatePolicyStmt | ast.AlterPolicyStmt):
        table = _rv(node.table)
        names += [table, f"{table}.{node.policy_name}".lower()]
    elif isinstance(node, ast.CreateTrigStmt):
        table = _rv(node.relation)
        names += [table, f"{table}.{node.trigname}".lower()]
    elif isinstance(node, ast.IndexStmt):
        table = _rv(node.relation)
        names.append(table)
        if node.idxname and node.relation is not None:
            names.append(_qualify(node.relation.schemaname, node.idxname))
    elif isinstance(node, ast.CreateFunctionStmt):
        names.append(_dotted(node.funcname))
    elif isinstance(node, ast.AlterFunctionStmt) and node.func is not None:
        names.append(_dotted(node.func.objname))
    elif isinstance(node, ast.ViewStmt):
        names.append(_rv(node.view))
    elif isinstance(node, ast.CreateTableAsStmt) and node.into is not None:
        names.append(_rv(node.into.rel))
    elif isinstance(node, ast.CreateSeqStmt):
        names.append(_rv(node.sequence))
    elif isinstance(node, ast.CompositeTypeStmt):
        names.append(_rv(node.typevar))
    elif isinstance(node, ast.CreateEnumStmt | ast.CreateDomainStmt):
        names.append(_dotted(node.typeName if isinstance(node, ast.CreateEnumStmt)
                             else node.domainname))
    elif isinstance(node, ast.CreateSchemaStmt):
        names.append((node.schemaname or "").lower())
    elif isinstance(node, ast.GrantStmt):
        for obj in node.objects or ():
            if isinstance(obj, ast.RangeVar):
                names.append(_rv(obj))
            elif isinstance(obj, ast.ObjectWithArgs):
                names.append(_dotted(obj.objname))
    return [n for n in names if n]


class ObjectLocator:
    """Object name -> (file, line) of the statement that created or last altered it."""

    def __init__(self, schema: SchemaDir) -> None:
        self.schema = schema

    @cached_property
    def _index(self) -> dict[str, tuple[str, int]]:
        index: dict[str, tuple[str, int]] = {}
        for file in [*self.schema.bootstrap, *self.schema.migrations]:
            for stmt in split_statements(file.text):
                try:
                    parsed = parse_sql(stmt.text)
                except ParseError:
                    continue  # the apply step reports what does not parse
                for raw in parsed:
                    if raw.stmt is not None:
                        for name in objects_of(raw.stmt):
                            index[name] = (str(file.path), stmt.line)
        return index

    @property
    def fallback(self) -> Location:
        """The schema folder: where a finding points when its object is not in any file."""
        return (str(self.schema.root), None)

    def locate(self, obj: str) -> Location:
        """Return the file and line for ``obj``, trying it, then ever shorter dotted prefixes."""
        name = _ARGS.sub("", re.split(r"[\s/:]", obj.strip(), maxsplit=1)[0]).lower()
        parts = name.split(".")
        if len(parts) == 1:
            parts = ["public", *parts]
        for n in range(len(parts), 1, -1):
            hit = self._index.get(".".join(parts[:n]))
            if hit is not None:
                return hit
        return self.fallback

