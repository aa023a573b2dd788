"""Reading RLS policy expressions as syntax trees rather than as text.

``pg_policies.qual`` and ``with_check`` hold the server's own rendering of a policy's USING and
WITH CHECK expressions (``(owner = ( SELECT auth.uid() AS uid))``). Matching that text with
patterns breaks on every variant of parentheses, casts and sub-selects, so the expressions are
parsed with pglast (PostgreSQL's own parser) into plain dicts and walked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pglast

Node = dict[str, Any]

# Claims that carry the caller's user id, as auth.uid() reads them.
_SUB_SETTINGS = frozenset({"request.jwt.claim.sub"})
_CLAIMS_SETTINGS = frozenset({"request.jwt.claims", "request.jwt.claim"})


def parse(expression: str | None) -> Node | None:
    """Parse one boolean expression; None when empty or not parseable."""
    if not expression:
        return None
    try:
        stmt: Any = pglast.parse_sql(f"select 1 where {expression}")[0].stmt
    except pglast.parser.ParseError:
        return None
    where = stmt.whereClause
    return None if where is None else dict(where(depth=None, skip_none=True))


def walk(node: Any, *, into_queries: bool = True) -> Iterator[Node]:
    """Yield every node of the tree below and including ``node``, depth first.

    ``into_queries=False`` stays out of sub-selects that read a table (``exists (select ...
    from members ...)``): their columns belong to that table, not the policy's.
    """
    if isinstance(node, dict):
        if not into_queries and node.get("@") == "SelectStmt" and node.get("fromClause"):
            return
        if "@" in node:
            yield node
        for value in node.values():
            yield from walk(value, into_queries=into_queries)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from walk(item, into_queries=into_queries)


def names(node: Node, key: str) -> list[str]:
    """Return the String values of a name list (``funcname``, ``fields``, ``name``)."""
    return [str(n.get("sval", "")) for n in node.get(key, []) if n.get("@") == "String"]


def func_name(node: Node) -> str:
    """Return a FuncCall's name as written, lower case (``auth.uid``, ``current_setting``)."""
    return ".".join(names(node, "funcname")).lower()


def string_const(node: Node | None) -> str | None:
    """Return the text of a string constant (through casts), else None."""
    node = strip_casts(node)
    if node and node.get("@") == "A_Const":
        val = node.get("val", {})
        if val.get("@") == "String":
            return str(val.get("sval", ""))
    return None


def strip_casts(node: Node | None) -> Node | None:
    """Remove casts and single-value sub-selects around an expression."""
    while node is not None:
        kind = node.get("@")
        if kind == "TypeCast":
            node = node.get("arg")
        elif kind == "SubLink" and node.get("subLinkType", {}).get("name") == "EXPR_SUBLINK":
            targets = node.get("subselect", {}).get("targetList", [])
            sub = node.get("subselect", {})
            if len(targets) != 1 or sub.get("fromClause") or sub.get("whereClause"):
                return node
            node = targets[0].get("val")
        elif kind == "FuncCall" and func_name(node) == "coalesce" and node.get("args"):
            node = node["args"][0]
        elif kind == "A_Expr" and node.get("kind", {}).get("name") == "AEXPR_NULLIF":
            node = node.get("lexpr")
        else:
            return node
    return None


def column(node: Node | None) -> str | None:
    """Return the column a (possibly cast) column reference names, else None."""
    node = strip_casts(node)
    if node and node.get("@") == "ColumnRef":
        fields = names(node, "fields")
        return fields[-1] if fields else None
    return None


def is_current_user_id(node: Node | None) -> bool:
    """Whether ``node`` evaluates to the caller's user id (``auth.uid()`` and its spellings)."""
    node = strip_casts(node)
    if node is None:
        return False
    kind = node.get("@")
    if kind == "FuncCall":
        name = func_name(node)
        if name in ("auth.uid", "uid") and not node.get("args"):
            return True
        if name in ("current_setting", "pg_catalog.current_setting") and node.get("args"):
            return string_const(node["args"][0]) in _SUB_SETTINGS
        return False
    if kind == "A_Expr" and names(node, "name") in (["->>"], ["->"]):
        return string_const(node.get("rexpr")) == "sub" and _is_claims(node.get("lexpr"))
    return False


def _is_claims(node: Node | None) -> bool:
    node = strip_casts(node)
    if node is None or node.get("@") != "FuncCall":
        return False
    name = func_name(node)
    if name == "auth.jwt":
        return True
    return name in ("current_setting", "pg_catalog.current_setting") and bool(
        node.get("args") and string_const(node["args"][0]) in _CLAIMS_SETTINGS
    )


def equalities(tree: Node | None, *, into_queries: bool = True) -> Iterator[tuple[Node, Node]]:
    """Yield both sides of every ``=`` comparison in the tree (either order kept as written)."""
    for node in walk(tree, into_queries=into_queries):
        if (
            node.get("@") == "A_Expr"
            and node.get("kind", {}).get("name") == "AEXPR_OP"
            and names(node, "name") == ["="]
            and "lexpr" in node
            and "rexpr" in node
        ):
            yield node["lexpr"], node["rexpr"]


def owner_columns_of(tree: Node | None) -> set[str]:
    """Return the policy's own columns compared with the caller's user id (not in sub-selects)."""
    out: set[str] = set()
    for left, right in equalities(tree, into_queries=False):
        for col_side, uid_side in ((left, right), (right, left)):
            col = column(col_side)
            if col is not None and is_current_user_id(uid_side):
                out.add(col)
    return out


def columns_of(tree: Node | None) -> set[str]:
    """Return every column the expression reads (sub-selects included)."""
    return {c for n in walk(tree) if n.get("@") == "ColumnRef" for c in names(n, "fields")[-1:]}


def calls_of(tree: Node | None) -> set[str]:
    """Return the names of every function the expression calls."""
    return {func_name(n) for n in walk(tree) if n.get("@") == "FuncCall"}


def requires_owner(tree: Node | None, col: str) -> bool:
    """Whether the expression can only be true when ``col`` equals the caller's user id.

    True for the comparison itself and for an AND with such a conjunct; an OR needs it in
    every branch (``published or owner = auth.uid()`` admits rows of others).
    """
    if tree is None:
        return False
    if tree.get("@") == "BoolExpr":
        op = tree.get("boolop", {}).get("name")
        args = tree.get("args", [])
        if op == "AND_EXPR":
            return any(requires_owner(a, col) for a in args)
        if op == "OR_EXPR":
            return bool(args) and all(requires_owner(a, col) for a in args)
        return False
    return col in owner_columns_of(tree) and tree.get("@") == "A_Expr"
