"""Which line of a pgTAP file made test number N.

TAP numbers tests, not lines. A plain pgTAP file emits one test per ``select <assertion>(...)``
statement, so counting those statements (parsed with pglast, the real PostgreSQL parser) maps a
number to its line. The mapping is used only when it accounts for exactly the tests the file
printed (before it stopped, if it did); otherwise (loops, ``runtests()``, a test function called
per row) the test's description is looked up in the file, and failing that only the file is
named: a wrong line is worse than none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg
from pglast import ast, parse_sql
from pglast.parser import ParseError

from harness.migrate import split_statements
from harness.pgtap.prove import TapFile

# pgTAP functions returning text that print no test line (or several: skip).
NOT_TESTS = frozenset(
    {"plan", "diag", "diag_test_name", "collect_tap", "display_oper", "os_name", "pg_version",
     "format_type_string", "pgtap_version"}
)
# The community helper that is itself an assertion (installed by the harness, see helpers.sql).
HELPER_TESTS = frozenset({"rls_enabled"})

_TEST_FUNCTIONS = """
select distinct p.proname::text
from pg_proc p
join pg_depend d on d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e'
join pg_extension e on e.oid = d.refobjid
where e.extname = 'pgtap' and p.prorettype = 'text'::regtype and not p.proretset
  and p.proname !~ '^_'
"""


def assertion_functions(conn: psycopg.Connection[Any]) -> frozenset[str]:
    """Return the names of the pgTAP functions that print one test each, read from the server."""
    names = {str(r[0]) for r in conn.execute(_TEST_FUNCTIONS).fetchall()}
    return frozenset((names - NOT_TESTS) | HELPER_TESTS | {"skip"})


def _call_name(node: object) -> str | None:
    if isinstance(node, ast.FuncCall) and node.funcname:
        return str(getattr(node.funcname[-1], "sval", "")).lower()
    return None


def _skip_count(call: ast.FuncCall) -> int | None:
    """``skip(why, n)`` / ``skip(n)`` print n lines; ``skip(why)`` one."""
    ints = [a.val.ival for a in call.args or () if isinstance(a, ast.A_Const)
            and isinstance(a.val, ast.Integer) and a.val.ival is not None]
    if not ints:
        return 1 if call.args else None
    return int(ints[-1])


def tests_emitted(sql: str, tests: frozenset[str]) -> int | None:
    """How many TAP lines one statement prints; None when that cannot be known from the text."""
    try:
        parsed = parse_sql(sql)
    except ParseError:
        return None
    total = 0
    for raw in parsed:
        stmt = raw.stmt
        if not isinstance(stmt, ast.SelectStmt):
            continue  # DDL, DML, SET, BEGIN ...: no test line
        calls = [
            t.val for t in stmt.targetList or ()
            if isinstance(t, ast.ResTarget) and _call_name(t.val) in tests
        ]
        from_calls = [
            f for f in stmt.fromClause or ()
            if isinstance(f, ast.RangeFunction) and _mentions_test(f, tests)
        ]
        if from_calls or (calls and stmt.fromClause):
            return None  # a set-returning runner or a test per row
        for call in calls:
            if isinstance(call, ast.FuncCall) and _call_name(call) == "skip":
                n = _skip_count(call)
                if n is None:
                    return None
                total += n
            else:
                total += 1
    return total


def _mentions_test(node: ast.RangeFunction, tests: frozenset[str]) -> bool:
    for item in node.functions or ():
        for part in item if isinstance(item, tuple | list) else (item,):
            name = _call_name(part)
            if name in tests or name in ("runtests", "finish", "do_tap", "check_test"):
                return name != "finish"
    return False


def statement_lines(text: str, tap: TapFile, tests: frozenset[str]) -> dict[int, int]:
    """Map test numbers to the line of the statement that printed them (only when certain)."""
    lines: list[int] = []
    stop = tap.errors[0].line if tap.errors else None
    for stmt in split_statements(text):
        if stop is not None and stmt.line > stop:
            break
        n = tests_emitted(stmt.text, tests)
        if n is None:
            return {}
        lines += [stmt.line] * n
    printed = [t.number for t in tap.tests]
    if len(lines) < len(printed) or (stop is None and len(lines) != len(printed)):
        return {}
    return {number: lines[number - 1] for number in printed if 0 < number <= len(lines)}


def description_line(text: str, description: str) -> int | None:
    """Return the line where ``description`` appears as a string literal, if exactly once."""
    if not description:
        return None
    literal = "'" + description.replace("'", "''") + "'"
    hits = _find_all(text, literal)
    if len(hits) != 1:
        return None
    return text.count("\n", 0, hits[0]) + 1


def _find_all(text: str, needle: str) -> list[int]:
    out, at = [], text.find(needle)
    while at != -1:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


def locate_tests(
    text: str, tap: TapFile, tests: frozenset[str], numbers: Iterable[int]
) -> dict[int, int]:
    """Return a line for each of ``numbers`` that can be located (see the module doc)."""
    by_count = statement_lines(text, tap, tests)
    described = {t.number: t.description for t in tap.tests}
    out: dict[int, int] = {}
    for n in numbers:
        line = by_count.get(n) or description_line(text, described.get(n, ""))
        if line is not None:
            out[n] = line
    return out

