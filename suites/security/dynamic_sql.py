"""PRV006: dynamic SQL built by concatenating a function's arguments (SQL injection).

Bodies are parsed with pglast's PL/pgSQL parser; every EXECUTE, RETURN QUERY EXECUTE, OPEN ...
FOR EXECUTE and FOR ... IN EXECUTE is inspected. Taint starts at the text-like arguments and
flows through assignments (``q := 'select ' || arg; execute q``); quote_ident/quote_literal/
quote_nullable and format() without %s clean a value; USING parameters are never in the text.
When pglast cannot parse a body, a regular expression on the source is the fallback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pglast
from pglast import parser as pg_parser

from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, Severity, check
from suites.security.scope import FUNC_NAME, USER_FUNCTION, fetch, func_repro

SANITIZERS = frozenset({"quote_ident", "quote_literal", "quote_nullable"})
CONCATENATORS = frozenset({"concat", "concat_ws"})
# Argument types that cannot carry SQL text (type categories: numeric, boolean, date/time,
# timespan; plus uuid, whose category is "user").
SAFE_CATEGORIES = frozenset("NBDT")
SAFE_TYPES = frozenset({"uuid"})
DYNAMIC_STATEMENTS = {
    "PLpgSQL_stmt_dynexecute": "query",
    "PLpgSQL_stmt_dynfors": "query",
    "PLpgSQL_stmt_return_query": "dynquery",
    "PLpgSQL_stmt_open": "dynquery",
}

FUNCTIONS = f"""
    select {FUNC_NAME} as fn, p.oid::regprocedure::text as sig, p.prosrc as src,
           pg_get_functiondef(p.oid) as def, p.proargnames as argnames,
           p.proargmodes::text[] as argmodes,
           array(select t.typcategory::text || ':' || t.typname
                 from unnest(p.proargtypes::oid[]) with ordinality a(oid, ord)
                 join pg_type t on t.oid = a.oid order by a.ord) as argtypes
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    join pg_language l on l.oid = p.prolang
    where l.lanname = 'plpgsql' and p.prokind in ('f', 'p') and {USER_FUNCTION}
    order by 1
"""


@dataclass(frozen=True)
class Injection:
    """One dynamic statement that executes argument-derived text."""

    line: int | None
    names: tuple[str, ...]


def tainted_arguments(row: dict[str, Any]) -> set[str]:
    """Names (and $n positions) of the input arguments that can carry SQL text."""
    names: list[str] = row["argnames"] or []
    modes: list[str] | None = row["argmodes"]
    if modes is not None:
        names = [n for n, m in zip(names, modes, strict=False) if m in ("i", "b", "v")]
    out: set[str] = set()
    for i, typ in enumerate(row["argtypes"] or [], start=1):
        category, _, typname = typ.partition(":")
        if category in SAFE_CATEGORIES or typname in SAFE_TYPES:
            continue
        out.add(f"${i}")
        if i <= len(names) and names[i - 1]:
            out.add(names[i - 1].lower())
    return out


def _refs(node: Any, tainted: set[str], joined: bool) -> list[str]:
    """Tainted names spliced into text inside ``node`` (an expression's parse tree as JSON)."""
    if isinstance(node, list):
        return [n for item in node for n in _refs(item, tainted, joined)]
    if not isinstance(node, dict):
        return []
    if "ColumnRef" in node:
        fields = node["ColumnRef"].get("fields", [])
        name = fields[-1].get("String", {}).get("sval", "").lower() if fields else ""
        return [name] if joined and name in tainted else []
    if "ParamRef" in node:
        name = f"${node['ParamRef'].get('number')}"
        return [name] if joined and name in tainted else []
    if "A_Expr" in node:
        expr = node["A_Expr"]
        ops = [n.get("String", {}).get("sval") for n in expr.get("name", [])]
        inner = joined or "||" in ops
        return _refs([expr.get("lexpr"), expr.get("rexpr")], tainted, inner)
    if "FuncCall" in node:
        call = node["FuncCall"]
        fname = call["funcname"][-1].get("String", {}).get("sval", "").lower()
        args = call.get("args", [])
        if fname in SANITIZERS:
            return []
        if fname == "format":
            fmt = args[0].get("A_Const", {}).get("sval", {}).get("sval") if args else None
            # format() with only %I/%L quotes every value; %s splices it verbatim.
            if isinstance(fmt, str) and "%s" not in fmt:
                return []
            return _refs(args[1:], tainted, True)
        return _refs(args, tainted, joined or fname in CONCATENATORS)
    return [n for value in node.values() for n in _refs(value, tainted, joined)]


def spliced(expr: str, tainted: set[str]) -> tuple[list[str], bool]:
    """(tainted names spliced into ``expr``, whether ``expr`` is a bare tainted name)."""
    tree = json.loads(pg_parser.parse_sql_json(f"select {expr}"))
    target = tree["stmts"][0]["stmt"]["SelectStmt"]["targetList"][0]["ResTarget"]["val"]
    bare = _refs(target, tainted, True) if ("ColumnRef" in target or "ParamRef" in target) else []
    return sorted(set(_refs(target, tainted, False))), bool(bare)


def _statements(node: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, list):
        for item in node:
            yield from _statements(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key.startswith("PLpgSQL_stmt_") and isinstance(value, dict):
                yield key, value
            yield from _statements(value)


def _query(expr: dict[str, Any] | None) -> str | None:
    return expr.get("PLpgSQL_expr", {}).get("query") if expr else None


def injections(definition: str, arguments: set[str]) -> list[Injection]:
    """Dynamic statements of a CREATE FUNCTION whose text is built from ``arguments``."""
    func = pglast.parse_plpgsql(definition)[0]["PLpgSQL_function"]
    datums = [next(iter(d.values())).get("refname", "") for d in func.get("datums", [])]
    stmts = list(_statements(func.get("action")))
    tainted = set(arguments)
    changed = True
    while changed:  # propagate through assignments until nothing new is tainted
        changed = False
        for kind, stmt in stmts:
            if kind != "PLpgSQL_stmt_assign":
                continue
            target = datums[stmt["varno"]].lower()
            text = _query(stmt.get("expr")) or ""
            value = re.split(r":=|=", text, maxsplit=1)[-1]
            names, bare = spliced(value, tainted)
            if (names or bare) and target not in tainted:
                tainted.add(target)
                changed = True
    found = []
    for kind, stmt in stmts:
        query = _query(stmt.get(DYNAMIC_STATEMENTS.get(kind, "")))
        if query is None:
            continue
        names, bare = spliced(query, tainted)
        if names or bare:
            found.append(Injection(stmt.get("lineno"), tuple(names) or (query.strip(),)))
    return found


# Fallback: EXECUTE ... || <argument> on one statement, with no quoting function on it.
def regex_injections(source: str, arguments: set[str]) -> list[Injection]:
    """Rough line-based detection when the body does not parse."""
    found = []
    for lineno, line in enumerate(source.splitlines(), start=1):
        if not re.search(r"\bexecute\b", line, re.IGNORECASE) or "||" not in line:
            continue
        hits = tuple(
            a
            for a in sorted(arguments)
            if re.search(rf"\|\|\s*{re.escape(a)}\b|\b{re.escape(a)}\s*\|\|", line, re.IGNORECASE)
        )
        if hits:
            found.append(Injection(lineno, hits))
    return found


@check(
    "PRV006",
    title="Dynamic SQL concatenated from function arguments",
    severity=Severity.CRITICAL,
    family="privileges",
    suite="security",
    rationale="EXECUTE of text spliced together from an argument runs whatever SQL the caller "
    "puts in it; through PostgREST /rpc that caller is any API client.",
    remedy="Pass values with EXECUTE ... USING, and identifiers with format('%I', ...) or "
    "quote_ident(); never splice an argument into the statement text.",
)
def dynamic_sql_injection(ctx: CheckContext) -> Iterator[Finding]:
    """Flag plpgsql functions that execute text spliced from their arguments."""
    chk = REGISTRY.get("PRV006")
    for row in fetch(ctx, FUNCTIONS):
        arguments = tainted_arguments(row)
        if not arguments:
            continue
        try:
            found = injections(row["def"], arguments)
            how = "pglast"
        except (pg_parser.ParseError, KeyError, IndexError, ValueError, TypeError):
            found = regex_injections(row["src"], arguments)
            how = "regex"
        for inj in found:
            at = f" (body line {inj.line})" if inj.line else ""
            yield chk.finding(
                row["fn"],
                f"{row['fn']} executes SQL text built from {', '.join(inj.names)}{at}",
                repro_sql=func_repro(row["sig"], "prosrc"),
                details={"line": inj.line, "arguments": list(inj.names), "parser": how},
            )
