"""What got weaker between the base catalog and the head catalog (MIG410-MIG418).

Each rule compares objects that exist on both sides; a new table, function or policy on a new
table is judged by the security and integrity suites, and objects of a dropped table or on a
dropped column go with them (MIG204 reports the drop). Bounded range partitions are compared
one by one where both sides have them, and their findings are stated once for the table they
partition (their number depends on the day the schemas were built).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace

from harness.gate.catalog_model import (
    PUBLIC,
    AclItem,
    CatalogModel,
    Constraint,
    Index,
    Table,
)
from harness.gate.expressions import canonical, conjuncts
from harness.gate.policy_change import COMMANDS, EVERY_ROLE, UNDECIDED, WIDER, policy_changes
from harness.registry import Finding, Severity

MIG_RLS_OFF = "MIG410"
MIG_POLICY_WIDER = "MIG411"
MIG_PRIVILEGE_WIDER = "MIG412"
MIG_CONSTRAINT_LOST = "MIG413"
MIG_FK_LOST = "MIG414"
MIG_INDEX_LOST = "MIG415"
MIG_TRIGGER_LOST = "MIG416"
MIG_FUNCTION_RIGHTS = "MIG417"
MIG_UNDECIDED = "MIG418"
MIG_ACCESS_LOST = "MIG419"
WEAKENING_CHECKS = (
    MIG_RLS_OFF,
    MIG_POLICY_WIDER,
    MIG_PRIVILEGE_WIDER,
    MIG_CONSTRAINT_LOST,
    MIG_FK_LOST,
    MIG_INDEX_LOST,
    MIG_TRIGGER_LOST,
    MIG_FUNCTION_RIGHTS,
    MIG_UNDECIDED,
    MIG_ACCESS_LOST,
)

TABLE_KINDS = ("r", "p", "f")
KIND_NAMES = {"p": "primary key", "u": "unique constraint", "c": "CHECK constraint",
              "x": "exclusion constraint", "f": "foreign key"}
# ALTER DEFAULT PRIVILEGES without an entry: what PostgreSQL grants anyway (docs: Privileges)
HARDWIRED_DEFAULTS = {"functions": frozenset({(PUBLIC, "EXECUTE", False)}),
                      "types": frozenset({(PUBLIC, "USAGE", False)})}


def _finding(check_id: str, obj: str, message: str, table: str | None = None,
             details: Mapping[str, object] | None = None, severity: Severity | None = None,
             **more: object) -> Finding:
    return Finding(check_id, obj, message, severity=severity,
                   details={**(details or {}), **more, **({"table": table} if table else {})})


def _both(base: CatalogModel, head: CatalogModel, kinds: tuple[str, ...]) -> Iterator[Table]:
    for name, h in sorted(head.tables.items()):
        b = base.tables.get(name)
        if b is not None and b.kind in kinds and h.kind in kinds:
            yield b


# -- MIG410 -----------------------------------------------------------------------------------

def rls_findings(base: CatalogModel, head: CatalogModel) -> Iterator[Finding]:
    """RLS disabled or no longer forced on a table; a view that stopped being security_invoker."""
    for b in _both(base, head, TABLE_KINDS):
        h = head.tables[b.name]
        if b.rls and not h.rls:
            yield _finding(MIG_RLS_OFF, b.name, f"row level security turned off on {b.name}: "
                           "every role with a grant now reads and writes every row",
                           b.name, change="disabled")
        elif b.force_rls and not h.force_rls:
            yield _finding(MIG_RLS_OFF, b.name, f"row level security no longer forced on "
                           f"{b.name}: its owner (and SECURITY DEFINER functions it owns) "
                           "bypass the policies", b.name, change="no force")
    for b in _both(base, head, ("v",)):
        h = head.tables[b.name]
        if _invoker(b.options) and not _invoker(h.options):
            yield _finding(MIG_RLS_OFF, b.name, f"view {b.name} no longer has security_invoker: "
                           "it reads its tables with its owner's rights, past their policies",
                           b.name, change="security_invoker dropped")


def _invoker(options: tuple[str, ...]) -> bool:
    return any(o.lower() in ("security_invoker=true", "security_invoker=on",
                             "security_invoker=1") for o in options)


# -- MIG411 / MIG418 (policies) ----------------------------------------------------------------

def _roles(roles: Iterable[str]) -> str:
    return ", ".join("every role (public)" if r == EVERY_ROLE else r for r in sorted(roles))


def policy_findings(base: CatalogModel, head: CatalogModel) -> Iterator[Finding]:
    """Policies that admit more (decided), or changed in a way that cannot be decided."""
    for b in _both(base, head, TABLE_KINDS):
        if not (b.rls and head.tables[b.name].rls):
            continue  # RLS off on either side: MIG410 or nothing to widen
        bp = [p for (t, _), p in base.policies.items() if t == b.name]
        hp = [p for (t, _), p in head.policies.items() if t == b.name]
        for ch in policy_changes(bp, hp):
            p = ch.policy
            kind = "permissive" if p.permissive else "restrictive"
            cmds = ", ".join(c for c in COMMANDS if c in ch.commands)
            what = f"{cmds} for {_roles(ch.roles)}"
            was = "; ".join(f"{c}: {e}" for c, e in sorted(ch.before.items()))
            now = "; ".join(f"{c}: {e}" for c, e in sorted(ch.after.items()))
            details = {"policy": p.name, "permissive": p.permissive, "roles": sorted(ch.roles),
                       "commands": sorted(ch.commands), "before": ch.before, "after": ch.after}
            obj = f"{b.name}.{p.name}"
            if ch.outcome == WIDER:
                yield _finding(MIG_POLICY_WIDER, obj, f"{kind} policy {p.name} on {b.name} admits "
                               f"more ({'; '.join(sorted(ch.reasons))}): {what}; "
                               f"before {was}; now {now}", b.name, details)
            elif ch.outcome == UNDECIDED:
                yield _finding(MIG_UNDECIDED, obj, f"{kind} policy {p.name} on {b.name} changed "
                               f"for {what}: before {was}; now {now}. Whether it admits more "
                               "cannot be decided from the expressions; review it",
                               b.name, details)
            else:
                yield _finding(MIG_ACCESS_LOST, obj, f"policy {p.name} on {b.name}: "
                               f"{'; '.join(sorted(ch.reasons))}; {what} no longer reach the rows "
                               f"it admitted ({was}) and no other policy admits them",
                               b.name, details)


# -- MIG412 -------------------------------------------------------------------------------------

def _exists_in(m: CatalogModel, kind: str, name: str) -> bool:
    if kind == "table":
        return name in m.tables
    if kind == "column":
        table, _, col = name.rpartition(".")
        return table in m.tables and col in m.tables[table].columns
    if kind == "function":
        return name in m.functions
    if kind == "schema":
        return any(k == ("schema", name) for k in m.acl) or any(
            t.split(".", 1)[0] == name for t in m.tables
        )
    return True  # default privileges: an absent entry grants the hard-wired defaults


def _base_items(base: CatalogModel, kind: str, name: str) -> frozenset[AclItem]:
    items = base.acl.get((kind, name))
    if items is not None:
        return items
    if kind == "default privileges" and " in every schema " in name:
        return HARDWIRED_DEFAULTS.get(name.rsplit(" on ", 1)[-1], frozenset())
    return frozenset()


def privilege_findings(
    base: CatalogModel, head: CatalogModel, client_roles: tuple[str, ...]
) -> Iterator[Finding]:
    """Privileges a role holds in head on an object it did not hold them on in base."""
    for (kind, name), items in sorted(head.acl.items()):
        if not _exists_in(base, kind, name):
            continue
        before = _base_items(base, kind, name)
        table_level = head.acl.get(("table", name.rpartition(".")[0]), frozenset())
        gained: dict[str, list[str]] = {}
        for grantee, priv, grantable in sorted(items):
            if (grantee, priv, True) in before or (not grantable and (grantee, priv, False)
                                                   in before):
                continue
            if kind == "column" and any(g == grantee and p == priv for g, p, _ in table_level):
                continue  # the table-level grant already gives it
            gained.setdefault(grantee, []).append(priv + (" WITH GRANT OPTION" if grantable
                                                          else ""))
        for grantee, privs in gained.items():
            api = grantee == PUBLIC or grantee in client_roles
            table = name.rpartition(".")[0] if kind == "column" else name
            yield _finding(
                MIG_PRIVILEGE_WIDER, name if kind in ("table", "column", "function")
                else f"{kind} {name}",
                f"{grantee} gained {', '.join(privs)} on {kind} {name}"
                + (" (reachable through the API)" if api else ""),
                table if kind in ("table", "column") else None,
                severity=None if api else Severity.MEDIUM,
                kind=kind, object_name=name, grantee=grantee, privileges=privs,
            )


# -- MIG413 / MIG414 ----------------------------------------------------------------------------

def _check_expr(definition: str) -> str:
    body = re.sub(r"\s+NOT VALID$", "", definition.strip())
    m = re.match(r"^CHECK \((.*)\)$", body, re.DOTALL)
    return m.group(1) if m else body


def _unique_sets(m: CatalogModel, table: str) -> list[tuple[set[str], bool]]:
    """Column sets head enforces uniqueness on (constraints and plain unique indexes)."""
    out = [(set(c.columns), c.validated) for (t, _), c in m.constraints.items()
           if t == table and c.kind in ("p", "u")]
    out += [(set(i.keys), True) for (t, _), i in m.indexes.items()
            if t == table and i.unique and i.predicate is None and not i.backs_constraint]
    return out


def _implied(c: Constraint, head: CatalogModel) -> tuple[bool, bool]:
    """(implied by some head constraint, and by a validated one)."""
    same = [h for (t, _), h in head.constraints.items() if t == c.table]
    if c.kind in ("p", "u"):
        hits = [v for cols, v in _unique_sets(head, c.table) if cols <= set(c.columns)]
    elif c.kind == "f":
        hits = [h.validated for h in same if h.kind == "f" and h.columns == c.columns
                and h.ref_table == c.ref_table and h.ref_columns == c.ref_columns
                and (c.match != "f" or h.match == "f")]
    elif c.kind == "c":
        want = canonical(_check_expr(c.definition))
        hits = [h.validated for h in same if h.kind == "c"
                and want in conjuncts(_check_expr(h.definition)) | {canonical(_check_expr(
                    h.definition))}]
    else:
        hits = [h.validated for h in same if h.kind == c.kind
                and _check_expr(h.definition) == _check_expr(c.definition)]
    return bool(hits), any(hits)


def constraint_findings(base: CatalogModel, head: CatalogModel) -> Iterator[Finding]:
    """Constraints (MIG413) and foreign keys (MIG414) lost or no longer validated."""
    for (table, name), c in sorted(base.constraints.items()):
        h_table = head.tables.get(table)
        if h_table is None or not set(c.columns) <= set(h_table.columns):
            continue  # dropped with its table or column (MIG204 reports the drop)
        if c.kind == "f" and c.ref_table not in head.tables:
            continue
        check_id = MIG_FK_LOST if c.kind == "f" else MIG_CONSTRAINT_LOST
        implied, validated = _implied(c, head)
        label = KIND_NAMES.get(c.kind, "constraint")
        obj = f"{table}.{name}"
        details = {"constraint": name, "kind": label, "definition": c.definition}
        if implied and (validated or not c.validated):
            continue
        if implied:
            yield _finding(check_id, obj, f"{label} {name} on {table} is no longer validated "
                           f"(NOT VALID): rows that break it may exist ({c.definition})",
                           table, details)
            continue
        changed = head.constraints.get((table, name))
        if c.kind == "c" and changed is not None and changed.kind == "c":
            yield _finding(MIG_UNDECIDED, obj, f"CHECK constraint {name} on {table} changed: "
                           f"before {c.definition}; now {changed.definition}. Whether it admits "
                           "more rows cannot be decided; review it", table,
                           details, after=changed.definition)
            continue
        yield _finding(check_id, obj, f"{label} {name} on {table} is gone: {c.definition} "
                       "is no longer enforced", table, details)
    for b in _both(base, head, TABLE_KINDS):
        h = head.tables[b.name]
        for col, (_typ, notnull) in sorted(b.columns.items()):
            if notnull and col in h.columns and not h.columns[col][1]:
                yield _finding(MIG_CONSTRAINT_LOST, f"{b.name}.{col}",
                               f"column {b.name}.{col} is no longer NOT NULL", b.name,
                               constraint="not null", kind="not null")
    for (table, name), i in sorted(base.indexes.items()):
        if not i.unique or i.backs_constraint or i.predicate is not None:
            continue
        if not _survives(i, head) or any(
            cols <= set(i.keys) for cols, _ in _unique_sets(head, table)
        ):
            continue
        yield _finding(MIG_CONSTRAINT_LOST, f"{table}.{name}", f"unique index {name} on {table} "
                       f"is gone: uniqueness of ({', '.join(i.keys)}) is no longer enforced",
                       table, constraint=name, kind="unique index", definition=i.definition)


def _survives(i: Index, head: CatalogModel) -> bool:
    h_table = head.tables.get(i.table)
    return h_table is not None and set(i.columns) <= set(h_table.columns)


# -- MIG415 -------------------------------------------------------------------------------------

def index_findings(base: CatalogModel, head: CatalogModel) -> Iterator[Finding]:
    """Indexes gone with nothing in head that leads with the same keys."""
    for (table, name), i in sorted(base.indexes.items()):
        if i.backs_constraint or i.unique or not _survives(i, head):
            continue
        covered = any(
            t == table and h.method == i.method and h.keys[: len(i.keys)] == i.keys
            and (h.predicate is None or h.predicate == i.predicate)
            for (t, _), h in head.indexes.items()
        )
        if not covered:
            yield _finding(MIG_INDEX_LOST, f"{table}.{name}", f"index {name} on {table} is gone "
                           f"and no other index leads with ({', '.join(i.keys)}): queries and "
                           "foreign-key checks that used it now scan", table,
                           index=name, definition=i.definition)


# -- MIG416 -------------------------------------------------------------------------------------

def trigger_findings(base: CatalogModel, head: CatalogModel) -> Iterator[Finding]:
    """Triggers gone, disabled, firing on fewer events, or (undecided) running another function."""
    for (table, name), t in sorted(base.triggers.items()):
        if table not in head.tables:
            continue
        obj = f"{table}.{name}"
        h = head.triggers.get((table, name))
        if h is None:
            renamed = any(
                tt == table and x.definition.replace(x.name, t.name, 1) == t.definition
                and x.enabled != "D" for (tt, _), x in head.triggers.items()
            )
            if not renamed:
                yield _finding(MIG_TRIGGER_LOST, obj, f"trigger {name} on {table} is gone: "
                               f"{t.function}() no longer runs on "
                               f"{', '.join(sorted(t.events))}", table, trigger=name,
                               definition=t.definition)
            continue
        if t.enabled != "D" and h.enabled == "D":
            yield _finding(MIG_TRIGGER_LOST, obj, f"trigger {name} on {table} is disabled",
                           table, trigger=name, definition=t.definition)
        elif h.events < t.events:
            yield _finding(MIG_TRIGGER_LOST, obj, f"trigger {name} on {table} no longer fires on "
                           f"{', '.join(sorted(t.events - h.events))}", table, trigger=name,
                           definition=h.definition)
        elif h.definition != t.definition and t.enabled != "D":
            yield _finding(MIG_UNDECIDED, obj, f"trigger {name} on {table} changed: before "
                           f"{t.definition}; now {h.definition}. Review what it still enforces",
                           table, trigger=name, definition=h.definition)


# -- MIG417 -------------------------------------------------------------------------------------

def function_findings(base: CatalogModel, head: CatalogModel) -> Iterator[Finding]:
    """Functions that now run with their owner's rights, or lost their pinned search_path."""
    for sig, b in sorted(base.functions.items()):
        h = head.functions.get(sig)
        if h is None:
            continue
        if h.security_definer and not b.security_definer:
            yield _finding(MIG_FUNCTION_RIGHTS, sig, f"function {sig} is now SECURITY DEFINER: "
                           "it runs with its owner's rights (past RLS) for every caller",
                           change="security definer")
        elif h.security_definer and b.pins_search_path and not h.pins_search_path:
            yield _finding(MIG_FUNCTION_RIGHTS, sig, f"SECURITY DEFINER function {sig} no longer "
                           "sets its search_path: a caller's objects can shadow the ones it uses",
                           change="search_path dropped")


# -- all of them --------------------------------------------------------------------------------

def _per_partitioned_table(findings: Iterable[Finding], leaves: dict[str, str]) -> list[Finding]:
    """State a finding about bounded range partitions once for the table they partition."""
    out: dict[tuple[str, str, str], Finding] = {}
    for f in findings:
        table = f.details.get("table")
        root = leaves.get(str(table)) if table else None
        if root is not None and isinstance(table, str):
            name = f"each range partition of {root}"
            f = replace(f, object=f.object.replace(table, f"{root} (range partitions)"),
                        message=f.message.replace(table, name),
                        details={**f.details, "table": root, "partitions": True})
        out.setdefault((f.check_id, f.object, f.message), f)
    return list(out.values())


def weakening_findings(
    base: CatalogModel, head: CatalogModel, *, client_roles: tuple[str, ...] = ()
) -> list[Finding]:
    """Every MIG410-MIG418 finding of the change from ``base`` to ``head``."""
    found = [
        *rls_findings(base, head),
        *policy_findings(base, head),
        *privilege_findings(base, head, client_roles),
        *constraint_findings(base, head),
        *index_findings(base, head),
        *trigger_findings(base, head),
        *function_findings(base, head),
    ]
    return _per_partitioned_table(found, {**base.date_leaves, **head.date_leaves})
