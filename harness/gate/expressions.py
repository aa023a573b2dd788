"""Boolean structure of policy and CHECK expressions, as far as it can be decided soundly.

Whether one expression admits more rows than another is undecidable in general. Two things
are decidable from the structure PostgreSQL prints (``pg_get_expr``, parsed by pglast): the
top-level disjuncts of ``a OR b`` (an OR admits every row any disjunct admits) and the
top-level conjuncts of ``a AND b`` (an AND admits only rows every conjunct admits). Anything
else is compared whole, by PostgreSQL's own canonical spelling; a changed expression that
these rules cannot place is reported as undecided, never as safe.
"""

from __future__ import annotations

from functools import lru_cache

from pglast import ast, enums, parse_sql
from pglast.parser import ParseError
from pglast.stream import RawStream

TRUE = "true"
FALSE = "false"


@lru_cache(maxsize=4096)
def _parse(expr: str) -> ast.Node | None:
    try:
        stmt = parse_sql(f"SELECT {expr}")[0].stmt
    except ParseError:
        return None
    if not isinstance(stmt, ast.SelectStmt) or not stmt.targetList:
        return None
    value: ast.Node = stmt.targetList[0].val
    return value


def _flatten(node: ast.Node, op: enums.BoolExprType) -> list[ast.Node]:
    if isinstance(node, ast.BoolExpr) and node.boolop == op:
        return [leaf for arg in node.args or () for leaf in _flatten(arg, op)]
    return [node]


def _canonical(node: ast.Node) -> str:
    if isinstance(node, ast.A_Const) and isinstance(node.val, ast.Boolean):
        return TRUE if node.val.boolval else FALSE
    if isinstance(node, ast.TypeCast) and isinstance(node.arg, ast.A_Const):
        inner = _canonical(node.arg)
        if inner in (TRUE, FALSE):
            return inner
    return str(RawStream()(node))


def _parts(expr: str, op: enums.BoolExprType) -> frozenset[str]:
    node = _parse(expr)
    if node is None:
        return frozenset({expr.strip()})
    return frozenset(_canonical(n) for n in _flatten(node, op))


def disjuncts(expr: str) -> frozenset[str]:
    """Return the top-level ``OR`` operands of ``expr`` (itself when it is no OR), canonical."""
    return _parts(expr, enums.BoolExprType.OR_EXPR)


def conjuncts(expr: str) -> frozenset[str]:
    """Return the top-level ``AND`` operands of ``expr`` (itself when no AND), canonical."""
    return _parts(expr, enums.BoolExprType.AND_EXPR)


def canonical(expr: str) -> str:
    """``expr`` spelled one way (so that equal expressions compare equal)."""
    node = _parse(expr)
    return expr.strip() if node is None else _canonical(node)


def implies_one_of(expr: str, others: frozenset[str]) -> bool:
    """Whether ``expr`` certainly admits no row outside one of ``others`` (canonical strings).

    True when ``expr`` is one of them, or one of its conjuncts is (``a AND x`` implies ``a``),
    or it is ``false``.
    """
    c = canonical(expr)
    return c == FALSE or c in others or bool(conjuncts(expr) & others)
