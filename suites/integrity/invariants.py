"""Data invariants and the constraints that guard them, from ``dbharness/invariants.toml``.

INT010 A data invariant is violated (a named query that must return no rows returned some).
INT011 A constraint or trigger an invariant relies on is missing (or the trigger is disabled).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import psycopg
from psycopg.rows import dict_row

from harness.context import CheckContext
from harness.datagen import dataset_info
from harness.errors import ConfigError
from harness.registry import REGISTRY, Finding, Severity, check
from suites.integrity.plugin_data import MAX_EXAMPLES, entries, jsonable, load
from suites.security.scope import lit

SUITE = FAMILY = "integrity"
NEED = "invariants"
ROW_CAP = 1000  # rows of a violated invariant fetched; a finding says "1000+" beyond
STATEMENT_TIMEOUT = "60s"  # an invariant is a scan; on a generated dataset it may take seconds

CONSTRAINT_KINDS = {
    "check": "c",
    "foreign_key": "f",
    "primary_key": "p",
    "unique": "u",
    "exclusion": "x",
}

# Qualified names: the checks read the catalog with an empty search_path.
CONSTRAINTS = """
    select k.conname as name, k.contype as kind, pg_get_constraintdef(k.oid) as definition,
           k.convalidated as validated
    from pg_constraint k
    where k.conrelid = to_regclass(%s)
"""
TRIGGERS = """
    select t.tgname as name, t.tgenabled as enabled,
           p.oid::regproc::text as function
    from pg_trigger t join pg_proc p on p.oid = t.tgfoid
    where t.tgrelid = to_regclass(%s) and not t.tgisinternal
"""


@dataclass(frozen=True)
class Invariant:
    """A named query that must return no rows."""

    name: str
    description: str
    sql: str


def invariants(data: dict[str, Any]) -> list[Invariant]:
    """Return the ``[[invariant]]`` entries of invariants.toml."""
    items = entries(data, "invariant", "dbharness/invariants.toml", ("name", "sql"))
    return [Invariant(str(i["name"]), str(i.get("description", "")), str(i["sql"])) for i in items]


def invariant_map(ctx: CheckContext) -> dict[str, Invariant]:
    """Return the schema's invariants by name (empty when it has no invariants.toml)."""
    if ctx.schema.plugin(f"{NEED}.toml") is None:
        return {}
    return {inv.name: inv for inv in invariants(load(ctx, NEED))}


def violations(
    conn: psycopg.Connection[Any], inv: Invariant, limit: int = MAX_EXAMPLES
) -> tuple[int, list[dict[str, Any]]]:
    """Run ``inv`` and return (rows counted up to a cap, the first ``limit`` rows as JSON)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(inv.sql.encode())
        rows = cur.fetchmany(ROW_CAP)  # the count is "at least" beyond this
    return len(rows), [jsonable(r) for r in rows[:limit]]


def _datasets(ctx: CheckContext) -> list[tuple[str, str]]:
    """Name and DSN of every database to judge: the scratch one, and a generated dataset."""
    found = [("scratch database", ctx.dsn)]
    opts = ctx.config.options.get("integrity", {})
    scale = opts.get("invariants_dataset") if isinstance(opts, dict) else None
    with ctx.connect() as conn:
        info = dataset_info(conn)
    if info is not None:
        found[0] = (f"generated dataset ({info.scale}, seed {info.seed})", ctx.dsn)
    elif scale:
        # Shared with the performance suite: generated once per run, scale and seed.
        from suites.performance.dataset import dataset_dsn

        found.append((f"generated dataset ({scale}, seed {ctx.seed})", dataset_dsn(ctx, scale)))
    return found


@check(
    "INT010",
    title="Data invariant violated",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="Constraints and triggers are the schema's claims; the data is the proof. Each "
    "invariant of dbharness/invariants.toml (stock never negative, ledger sum equals on hand, "
    "timestamps consistent with the status, tenant consistency, ...) is a query that returns "
    "the rows breaking it, run as the superuser on the seed data and on a generated dataset "
    '(option integrity.invariants_dataset = "ci").',
    remedy="Find the write path that produced the rows (the examples name them), guard it with a "
    "constraint or trigger (INT011), and repair the data in a migration.",
    needs=(NEED,),
)
def data_invariants(ctx: CheckContext) -> Iterator[Finding]:
    """Yield one finding per invariant that returns rows, per database judged."""
    chk = REGISTRY.get("INT010")
    invs = invariants(load(ctx, NEED))
    for label, dsn in _datasets(ctx):
        ctx.progress(f"INT010: {len(invs)} invariants on the {label}")
        with ctx.connect(dsn) as conn:
            conn.execute(f"set statement_timeout = '{STATEMENT_TIMEOUT}'")
            for inv in invs:
                count, examples = violations(conn, inv)
                if not count:
                    continue
                more = "+" if count >= ROW_CAP else ""
                yield chk.finding(
                    inv.name,
                    f"invariant {inv.name} violated by {count}{more} row(s) of the {label}"
                    + (f": {inv.description}" if inv.description else ""),
                    repro_sql=inv.sql.strip() + ";",
                    details={"database": label, "rows": count, "examples": examples},
                )


def _squash(text: str) -> str:
    """Normalise a constraint definition: no whitespace, no parentheses, lower case."""
    return re.sub(r"[\s()]", "", text).lower()


class Gap(NamedTuple):
    """A required constraint or trigger that is missing, invalid or disabled."""

    object: str
    message: str
    repro_sql: str
    details: dict[str, Any]


def _suffix(item: dict[str, Any]) -> str:
    return f" ({item['why']})" if item.get("why") else ""


def constraint_gaps(conn: psycopg.Connection[Any], items: list[dict[str, Any]]) -> Iterator[Gap]:
    """Yield the ``[[constraint]]`` entries the database lacks (or has NOT VALID)."""
    for item in items:
        table, kind = str(item["table"]), str(item["kind"])
        if kind not in CONSTRAINT_KINDS:
            raise ConfigError(
                f"dbharness/invariants.toml: constraint on {table} has kind {kind!r}",
                hint=f"one of {', '.join(CONSTRAINT_KINDS)}",
            )
        name, definition = item.get("name"), item.get("definition")
        if not name and not definition:
            raise ConfigError(
                f"dbharness/invariants.toml: constraint on {table} needs a name or a definition"
            )
        with conn.cursor(row_factory=dict_row) as cur:
            rows = cur.execute(CONSTRAINTS, (table,)).fetchall()
        match = [
            r
            for r in rows
            if r["kind"] == CONSTRAINT_KINDS[kind]
            and (not name or r["name"] == name)
            and (not definition or _squash(str(definition)) in _squash(r["definition"]))
        ]
        label = str(name or definition)
        obj = f"{table}.{name}" if name else f"{table} {kind} {definition}"
        repro = (
            "select conname, convalidated, pg_get_constraintdef(oid) from pg_constraint "
            f"where conrelid = {lit(table)}::regclass;"
        )
        details = {"table": table, "kind": kind, "name": name, "definition": definition}
        if not match:
            msg = f"{kind} constraint {label} on {table} is missing{_suffix(item)}"
            yield Gap(obj, msg, repro, details)
        elif not any(r["validated"] for r in match):
            msg = f"{kind} constraint {label} on {table} is NOT VALID: existing rows are unchecked"
            yield Gap(obj, msg, repro, {**details, "constraint": match[0]["name"]})


def trigger_gaps(conn: psycopg.Connection[Any], items: list[dict[str, Any]]) -> Iterator[Gap]:
    """Yield the ``[[trigger]]`` entries the database lacks or has disabled."""
    for item in items:
        table, function = str(item["table"]), str(item["function"])
        with conn.cursor(row_factory=dict_row) as cur:
            rows = cur.execute(TRIGGERS, (table,)).fetchall()
        match = [r for r in rows if r["function"] == function]
        obj = f"{table} trigger {function}"
        repro = (
            "select tgname, tgenabled, tgfoid::regproc from pg_trigger "
            f"where tgrelid = {lit(table)}::regclass and not tgisinternal;"
        )
        details: dict[str, Any] = {"table": table, "function": function}
        if not match:
            msg = f"no trigger on {table} executes {function}{_suffix(item)}"
            yield Gap(obj, msg, repro, details)
        elif all(r["enabled"] == "D" for r in match):
            names = ", ".join(r["name"] for r in match)
            msg = f"trigger {names} on {table} ({function}) is disabled{_suffix(item)}"
            yield Gap(obj, msg, repro, {**details, "triggers": names})


@check(
    "INT011",
    title="Constraint or trigger guarding an invariant is missing",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="An invariant holding in today's data proves little if nothing stops tomorrow's "
    "write from breaking it. dbharness/invariants.toml names the CHECK, UNIQUE and FOREIGN KEY "
    "constraints and the triggers (status machine, ledger) the invariants rely on; a migration "
    "dropping, disabling or adding one NOT VALID is caught here.",
    remedy="Restore the constraint (ALTER TABLE ... ADD CONSTRAINT ... then VALIDATE CONSTRAINT) "
    "or re-enable / re-create the trigger in a new migration.",
    needs=(NEED,),
)
def guarding_constraints(ctx: CheckContext) -> Iterator[Finding]:
    """Yield one finding per required constraint or trigger that is absent, invalid or off."""
    chk = REGISTRY.get("INT011")
    data = load(ctx, NEED)
    where = "dbharness/invariants.toml"
    constraints = entries(data, "constraint", where, ("table", "kind"))
    triggers = entries(data, "trigger", where, ("table", "function"))
    with ctx.connect() as conn:
        conn.execute("set search_path = ''")  # fully qualified names in every definition
        for gap in (*constraint_gaps(conn, constraints), *trigger_gaps(conn, triggers)):
            yield chk.finding(gap.object, gap.message, repro_sql=gap.repro_sql, details=gap.details)
