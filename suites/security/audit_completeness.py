"""SEC103: every allowed write by every role leaves exactly one correct audit row.

Anti-pattern: an audit trigger checked once, as the superuser. Best practice: for each audited
table, role and command, let the oracle find a write that role may do, do it as that role (rolled
back afterwards) and read the audit table as the superuser in the same transaction: exactly one
row for the record, with the right action, actor (``auth.uid()``), warehouse, and old/new values
- also when the actor cannot read the audit table.

A write the oracle allows can still fail for reasons of data (a unique key, a trigger) or touch
other than one row; such a candidate is skipped and the next one tried. ``ctx.stats`` counts
what was audited and skipped; below the floors (``options.SEC103``: the share of allowed
table x role x command combinations with an audited write, and a minimum number of writes) the
check reports itself instead of passing on what it did not check.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from harness.access.matrix import AccessMatrix, And, AnyOf, Assigned, Own, Pred, Via, Where
from harness.access.oracle import Oracle
from harness.access.probe import ActorSpec, Case, statement
from harness.context import CheckContext
from harness.errors import CheckSkipped as SkipCheck
from harness.impersonate import impersonate, repro_sql
from harness.registry import REGISTRY, Finding, Severity, check
from harness.strategies import MAINTAINED, Model, open_model
from suites.security.floors import Floor, below_floor
from suites.security.rls_matrix import load_access

SUITE, FAMILY = "security", "security"
TRIES = 6  # candidate writes per (table, role, command) before giving up on finding one
ACTIONS = {"I": "INSERT", "U": "UPDATE", "D": "DELETE"}
FLOORS = (
    Floor("min_audited_share", 0.85, "the share of table x role x command combinations the "
          "matrix allows for which a write was audited", share=True),
    Floor("min_writes_audited", 1, "the number of writes whose audit rows were checked"),
)


def _satisfy(pred: Pred, row: dict[str, Any], sub: Any) -> None:
    """Bend ``row`` towards ``pred`` (own/assigned columns = actor, where = first value)."""
    if isinstance(pred, Own):
        row[pred.column] = sub
    elif isinstance(pred, Assigned):
        row[pred.column] = [sub]
    elif isinstance(pred, Where) and not pred.negate:
        row[pred.column] = pred.values[0]
    elif isinstance(pred, And):
        for p in pred.parts:
            _satisfy(p, row, sub)
    elif isinstance(pred, AnyOf):
        _satisfy(pred.parts[0], row, sub)
    elif isinstance(pred, Via):
        pass  # the parent is whatever the template row points at


def _changes(model: Model, table: str, row: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One-column changes of ``row`` to try, most likely to pass the table's own checks first.

    Booleans flipped, then text columns set to another value seen in the column (a CHECK that
    lists the allowed words accepts it), then to fresh text. Keys and unique columns are left
    alone.
    """
    t = model.matrix.table(table)
    meta = model.metas[table]
    cols = [
        c
        for c in meta.writable()
        if c.name not in MAINTAINED and c.name != t.key
        and not any(c.name in u for u in meta.unique)
    ]
    for c in cols:
        if c.type == "boolean" and row.get(c.name) is not None:
            yield {c.name: not row[c.name]}
    for c in cols:
        if c.is_text:
            seen = (r.get(c.name) for r in model.snapshot.table(table))
            other = next((v for v in seen if v is not None and v != row.get(c.name)), None)
            if other is not None:
                yield {c.name: other}
    for c in cols:
        if c.is_text:
            yield {c.name: f"audit-{uuid.uuid4().hex[:8]}"}


def _candidates(
    model: Model, oracle: Oracle, spec: ActorSpec, table: str, cmd: str
) -> Iterator[Case]:
    t = model.matrix.table(table)
    meta = model.metas[table]
    role = oracle.role(spec.principal)
    rows = model.near(spec, table) + model.snapshot.table(table)
    n = 0
    for row in rows:
        if n >= TRIES:
            return
        if cmd == "D":
            if oracle.can_delete(spec.principal, table, row).allowed:
                n += 1
                yield Case(spec, table, "D", row[t.key])
        elif cmd == "U":
            for change in _changes(model, table, row):
                if oracle.can_update(spec.principal, table, row, {**row, **change}).allowed:
                    n += 1
                    yield Case(spec, table, "U", row[t.key], change)
                    break
        else:
            new = {
                k: v for k, v in row.items() if k in meta.columns and not meta.columns[k].generated
            }
            new[t.key] = uuid.uuid4()
            for u in meta.unique:
                for c in u:
                    if c != t.key and meta.columns[c].is_text:
                        new[c] = f"audit-{uuid.uuid4().hex[:8]}"
                    elif c not in (t.key, t.scope_column) and meta.columns[c].nullable:
                        new[c] = None
            for rule in t.rules_for(role or "", "I"):
                _satisfy(rule.pred, new, spec.principal.sub)
                if oracle.can_insert(spec.principal, table, new).allowed:
                    n += 1
                    yield Case(spec, table, "I", None, new)
                    break


def _audit_rows(
    cur: psycopg.Cursor[Any], m: AccessMatrix, table: str, key: Any
) -> list[dict[str, Any]]:
    a = m.audit
    assert a is not None
    q = sql.SQL(
        "select {act}::text as action, {actor} as actor, {scope} as scope,"
        " {old} as old, {new} as new"
        " from {t} where {tn} = %s and {rec} = %s and created_at = now()"
    ).format(
        act=sql.Identifier(a.action),
        actor=sql.Identifier(a.actor),
        scope=sql.Identifier(a.scope),
        old=sql.Identifier(a.old),
        new=sql.Identifier(a.new),
        t=sql.Identifier("public", a.table),
        tn=sql.Identifier(a.table_name),
        rec=sql.Identifier(a.record),
    )
    with cur.connection.cursor(row_factory=dict_row) as c2:
        return list(c2.execute(q, (table, key)).fetchall())


def _problems(
    rows: list[dict[str, Any]], case: Case, m: AccessMatrix, old: dict[str, Any] | None
) -> list[str]:
    t = m.table(case.table)
    if len(rows) != 1:
        return [f"{len(rows)} audit rows instead of 1"]
    r = rows[0]
    out = []
    if r["action"] != ACTIONS[case.command]:
        out.append(f"action {r['action']} instead of {ACTIONS[case.command]}")
    if r["actor"] != case.actor.principal.sub:
        out.append(f"actor {r['actor']} instead of {case.actor.principal.sub}")
    source = (old or {}) if case.command == "D" else {**(old or {}), **case.values}
    if str(r["scope"]) != str(source.get(t.scope_column)):
        out.append(f"warehouse {r['scope']} instead of {source.get(t.scope_column)}")
    key = str(case.key if case.command != "I" else case.values[t.key])
    if case.command in ("U", "D") and (r["old"] or {}).get(t.key) != key:
        out.append("old values missing or of another row")
    if case.command in ("I", "U") and (r["new"] or {}).get(t.key) != key:
        out.append("new values missing or of another row")
    if case.command == "U":
        for col, v in case.values.items():
            if (r["new"] or {}).get(col) != v:
                out.append(
                    f"new value of {col} is {json.dumps((r['new'] or {}).get(col))}, not {v!r}"
                )
            if old is not None and (r["old"] or {}).get(col) != old.get(col):
                out.append(f"old value of {col} not recorded")
    return out


@check(
    "SEC103",
    title="Every allowed write is audited once, with the right actor and values",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    needs=("access",),
    rationale="An audit trail that misses a table, a command or a role, or records the wrong "
    "actor or warehouse, fails exactly when it is needed; it must be complete for every write the "
    "access matrix allows.",
    remedy="Attach the audit trigger (AFTER INSERT OR UPDATE OR DELETE FOR EACH ROW) to the table "
    "and make it record auth.uid(), the row's warehouse and to_jsonb(old/new).",
)
def audit_complete(ctx: CheckContext) -> Iterator[Finding]:
    """Check one allowed write per audited table, role and command."""
    m = load_access(ctx)
    if m.audit is None:
        raise SkipCheck("the access matrix has no [audit] table")
    chk = REGISTRY.get("SEC103")
    with ctx.connect() as conn:
        model = open_model(conn, m)
        oracle = Oracle(m, model.snapshot)
        by_role: dict[str, ActorSpec] = {}
        for spec in model.actors:
            role = oracle.role(spec.principal)
            if role and spec.actor.kind == "user":
                by_role.setdefault(role, spec)
        combos: list[str] = []
        audited: set[str] = set()
        skipped: Counter[str] = Counter()
        for table in model.tables:
            t = m.table(table)
            if not t.audited:
                continue
            for role, spec in by_role.items():
                for cmd in "IUD":
                    combo = f"{table}/{role}/{ACTIONS[cmd]}"
                    for case in _candidates(model, oracle, spec, table, cmd):
                        if combo not in combos:
                            combos.append(combo)
                        old = model.snapshot.get(table, case.key) if case.key is not None else None
                        text = statement(conn, model.metas[table], t.key, case)
                        try:
                            with impersonate(conn, spec.actor) as cur:
                                cur.execute(text.encode())
                                if cur.rowcount != 1:
                                    skipped[f"{cur.rowcount} rows"] += 1
                                    continue
                                cur.execute("reset role")
                                key = case.key if cmd != "I" else case.values[t.key]
                                rows = _audit_rows(cur, m, table, key)
                        except psycopg.Error as exc:
                            # Refused for data reasons (SEC100 judges access): try the next one.
                            skipped[f"error {exc.sqlstate}"] += 1
                            continue
                        audited.add(combo)
                        problems = _problems(rows, case, m, old)
                        if problems:
                            yield chk.finding(
                                f"public.{table}",
                                f"{ACTIONS[cmd]} on {table} as {role}: {'; '.join(problems)}",
                                repro_sql=repro_sql(spec.actor, text),
                                details={
                                    "table": table,
                                    "actor_role": role,
                                    "command": ACTIONS[cmd],
                                    "problems": problems,
                                },
                            )
                        break
    unaudited = [c for c in combos if c not in audited]
    share = len(audited) / len(combos) if combos else 0.0
    ctx.stats.update(
        writes_audited=len(audited),
        combinations_allowed=len(combos),
        audited_share=round(share, 4),
        candidates_skipped=dict(sorted(skipped.items())),
        combinations_without_audited_write=unaudited,
    )
    ctx.progress(
        f"SEC103: {len(audited)} audited writes checked, for {len(audited)} of {len(combos)} "
        f"allowed table x role x command combinations; skipped: "
        + (", ".join(f"{k} {n}" for k, n in sorted(skipped.items())) or "none")
    )
    yield from below_floor(
        ctx, "SEC103", FLOORS,
        {"min_audited_share": share, "min_writes_audited": len(audited)},
        {"min_audited_share": "no audited write for " + ", ".join(unaudited[:10])
         + (" ..." if len(unaudited) > 10 else "") if unaudited else ""},
    )
