"""Observe the effective access of every persona on every exposed relation and function.

Each probe is one PostgREST-style transaction (:func:`harness.impersonate.impersonate`), always
rolled back:

- select: how many rows the persona sees, against the superuser's count (and its own rows,
  where a policy compares an owner column with ``auth.uid()``);
- insert: a copy of a row (the first the persona sees, else the first there is) with a fresh
  key and the persona as owner; nothing copied when the relation is empty (``untested``);
- update: ``set c = c`` on every row the persona may update (``c`` a column it may update);
  the rows touched are the ones whose ``xmin`` is the probe's own transaction;
- delete: every row it may delete, counted by the rows left.

Functions are judged by privilege only (schema USAGE and EXECUTE per API role): calling
arbitrary functions could have effects outside the transaction (sequences, notifications).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from harness.access.effective import AccessRecord
from harness.access.exposed import FUNCTIONS, Column, Relation, exposed_relations
from harness.access.personas import Persona, Tenancy
from harness.impersonate import impersonate

PROBE_TIMEOUT = "30s"  # a probe slower than this is a broken policy, not a slow one
INSERT_KEY_NAMESPACE = uuid.UUID("d1c3c7f6-4a43-4f0e-8a8e-3b0f6a0c2e11")
_TEXT_TYPES = ("text", "character varying", "citext")
_INT_TYPES = ("integer", "bigint", "smallint")
def _count(cur: psycopg.Cursor[Any], query: sql.Composed) -> int:
    row = cur.execute(query).fetchone()
    return int(row[0]) if row else 0


def _own(rel: Relation, persona: Persona) -> sql.Composable:
    """Return a predicate: the row is the persona's (false for the API keys or no owner column)."""
    if persona.user_id is None or not rel.owners:
        return sql.SQL("false")
    uid = sql.Literal(str(persona.user_id))
    return sql.SQL("({})").format(sql.SQL(" or ").join(
        sql.SQL("{}::text = {}").format(sql.Identifier(c), uid) for c in rel.owners))


def classify(seen: int, own_seen: int, total: int, own_total: int, owners: bool) -> str:
    """Name the amount of rows reached, relative to the superuser's ``total``."""
    if total == 0:
        return "some" if seen else "empty"  # a caller-dependent view can show rows to one
    if seen == 0:
        return "none"
    if seen >= total:
        return "all"
    if owners and own_total and own_seen == seen == own_total:
        return "own"
    return "some"


def refusal(exc: psycopg.Error) -> str:
    """Name an error: a missing privilege, a policy, or another error by SQLSTATE."""
    state = exc.sqlstate or "?????"
    if state == "42501":
        msg = (exc.diag.message_primary or "").lower()
        return "denied (policy)" if "row-level security" in msg else "denied (grant)"
    return f"error {state}"


@dataclass
class _Counts:
    total: int
    own_total: int
    tenants: dict[Any, int]  # superuser's rows per tenant id (text)


class Recorder:
    """Probes one database (a throwaway build: the sign-ups are committed in it)."""

    def __init__(self, conn: psycopg.Connection[Any], tenancy: Tenancy | None = None) -> None:
        self.conn = conn
        self.tenancy = tenancy

    def _tenant(self, rel: Relation) -> sql.Identifier | None:
        t = self.tenancy
        if t is None:
            return None
        if rel.label == t.table and len(rel.key) == 1:  # the tenants themselves
            return sql.Identifier(rel.key[0])
        return sql.Identifier(t.column) if t.column in {c.name for c in rel.columns} else None

    def _tenants(self, cur: psycopg.Cursor[Any], rel: Relation, where: sql.Composable) -> list[Any]:
        """Return the tenant ids of the rows matching ``where`` (as the cursor's role)."""
        col = self._tenant(rel)
        assert col is not None
        q = sql.SQL("select distinct {}::text from {} where {} is not null and {}").format(
            col, rel.ident, col, where)
        return [r[0] for r in cur.execute(q).fetchall()]

    def _named(self, outcome: str, tenants: list[Any] | None) -> str:
        """Add which tenants "some" rows belong to (cross-tenant reach shows as a new one)."""
        if outcome != "some" or tenants is None or self.tenancy is None:
            return outcome
        return f"some ({self.tenancy.label(tenants)})"

    def per_tenant(self, rel: Relation) -> dict[Any, int]:
        """Return the superuser's row count per tenant (empty without a tenant column)."""
        col = self._tenant(rel)
        if col is None:
            return {}
        q = sql.SQL("select {}::text, count(*) from {} where {} is not null group by 1").format(
            col, rel.ident, col)
        return {r[0]: int(r[1]) for r in self.conn.execute(q).fetchall()}

    def _as(self, persona: Persona) -> Any:
        return impersonate(self.conn, persona.actor)

    def _start(self, cur: psycopg.Cursor[Any]) -> None:
        cur.execute(sql.SQL("set local statement_timeout = {}").format(
            sql.Literal(PROBE_TIMEOUT)))

    def counts(self, rel: Relation, persona: Persona) -> _Counts:
        """Return the superuser's row count and how many of them are the persona's."""
        q = sql.SQL("select count(*), count(*) filter (where {}) from {}").format(
            _own(rel, persona), rel.ident)
        row = self.conn.execute(q).fetchone()
        assert row is not None
        return _Counts(int(row[0]), int(row[1]), self.per_tenant(rel))

    def select(self, rel: Relation, p: Persona, n: _Counts) -> tuple[str, dict[str, str] | None]:
        """Return the select outcome and the row an insert would copy (as text values)."""
        own = _own(rel, p)
        try:
            with self._as(p) as cur:
                self._start(cur)
                row = cur.execute(sql.SQL("select count(*), count(*) filter (where {}) from {}")
                                  .format(own, rel.ident)).fetchone()
                seen, own_seen = (int(row[0]), int(row[1])) if row else (0, 0)
                sample = self._sample(cur, rel, own) if seen else None
                outcome = classify(seen, own_seen, n.total, n.own_total, bool(rel.owners))
                tenants = (self._tenants(cur, rel, sql.SQL("true"))
                           if outcome == "some" and self._tenant(rel) else None)
        except psycopg.Error as exc:
            return refusal(exc), None
        return self._named(outcome, tenants), sample

    def _sample(self, cur: psycopg.Cursor[Any], rel: Relation,
                own: sql.Composable) -> dict[str, str] | None:
        cols = [c for c in rel.columns if c.writable]
        if not cols:
            return None
        order = (sql.SQL(", ").join(map(sql.Identifier, rel.key)) if rel.key
                 else sql.SQL("t::text"))
        q = sql.SQL("select {} from {} t order by case when {} then 0 else 1 end, {} limit 1"
        ).format(
            sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c.name)) for c in cols),
            rel.ident, own, order)
        row = cur.execute(q).fetchone()
        return None if row is None else {c.name: v for c, v in zip(cols, row, strict=True)}

    def first_row(self, rel: Relation) -> dict[str, str] | None:
        """Return the first row as the superuser sees it (the insert's fallback source)."""
        with self.conn.transaction(), self.conn.cursor() as cur:
            sample = self._sample(cur, rel, sql.SQL("false"))
        return sample

    def insert(self, rel: Relation, p: Persona, source: dict[str, str] | None) -> str:
        """Insert a copy of ``source`` with fresh keys and the persona as owner."""
        if not rel.can("insert"):
            return "untested (not insertable)"
        if source is None:
            return "untested (no row to copy)"
        fresh = {*rel.key, *rel.unique}
        names: list[str] = []
        values: list[sql.Composable] = []
        for c in rel.columns:
            if not c.writable or (c.name in fresh and c.has_default):
                continue
            value: sql.Composable | None = sql.Literal(source.get(c.name))
            if c.name in rel.owners and p.user_id is not None:
                value = sql.Literal(str(p.user_id))
            elif c.name in fresh:
                value = self._fresh(rel, c, source.get(c.name))
                if value is None:
                    return f"untested (no fresh value for key column {c.name})"
            names.append(c.name)
            values.append(sql.SQL("{}::{}").format(value, sql.SQL(c.type)))
        q = sql.SQL("insert into {} ({}) values ({})").format(
            rel.ident, sql.SQL(", ").join(map(sql.Identifier, names)), sql.SQL(", ").join(values))
        try:
            with self._as(p) as cur:
                self._start(cur)
                cur.execute(q)
        except (psycopg.errors.UniqueViolation, psycopg.errors.ForeignKeyViolation) as exc:
            # Unique keys and references are checked after privileges, BEFORE triggers, the
            # policies' WITH CHECK and CHECK constraints: all of those let the row in; only a
            # value the probe made up (a composite key, a fresh id that is also a reference)
            # did not fit.
            why = "duplicate key" if exc.sqlstate == "23505" else "missing reference"
            return f"allowed ({why})"
        except psycopg.Error as exc:
            return refusal(exc)
        return "allowed"

    def _fresh(self, rel: Relation, c: Column, old: str | None) -> sql.Composable | None:
        if c.type == "uuid":
            return sql.Literal(str(uuid.uuid5(INSERT_KEY_NAMESPACE, f"{rel.label}.{c.name}")))
        if c.type in _INT_TYPES:
            q = sql.SQL("select coalesce(max({}), 0) + 1 from {}").format(
                sql.Identifier(c.name), rel.ident)
            row = self.conn.execute(q).fetchone()
            return sql.Literal(str(row[0] if row else 1))
        if c.type in _TEXT_TYPES or c.type.startswith("character varying("):
            return sql.Literal(f"access-probe-{old or ''}")
        return None

    def update(self, rel: Relation, p: Persona, n: _Counts) -> str:
        """Run ``update ... set c = c`` on all the persona may update; name how much it reached."""
        if not rel.can("update"):
            return "untested (not updatable)"
        cols = [c.name for c in rel.columns if c.writable]
        if not cols:
            return "untested (no writable column)"
        target = next((c for c in cols if self._may(p, rel, c, "UPDATE")), cols[0])
        col = sql.Identifier(target)
        q = sql.SQL("update {} set {} = {}").format(rel.ident, col, col)
        return self._write(rel, p, n, q, touched=sql.SQL(
            "select count(*) filter (where {}) from {} where xmin = pg_current_xact_id()::xid"))

    def delete(self, rel: Relation, p: Persona, n: _Counts) -> str:
        """Delete all the persona may delete; name how much it reached."""
        if not rel.can("delete"):
            return "untested (not deletable)"
        q = sql.SQL("delete from {}").format(rel.ident)
        return self._write(rel, p, n, q, touched=None)

    def _write(self, rel: Relation, p: Persona, n: _Counts, q: sql.Composable,
               touched: sql.SQL | None) -> str:
        own = _own(rel, p)
        try:
            with self._as(p) as cur:
                self._start(cur)
                cur.execute(q)
                count = cur.rowcount
                # back to the harness's own role, inside the same (rolled back) transaction
                cur.execute("reset role")
                by_xmin = touched is not None and rel.kind in ("r", "p")
                if touched is not None and by_xmin:
                    own_hit = _count(cur, touched.format(own, rel.ident))
                else:
                    left = sql.SQL("select count(*) filter (where {}) from {}")
                    own_hit = n.own_total - _count(cur, left.format(own, rel.ident))
                outcome = classify(count, own_hit, n.total, n.own_total, bool(rel.owners))
                tenants: list[Any] | None = None
                if outcome == "some" and self._tenant(rel) is not None:
                    if by_xmin:
                        tenants = self._tenants(cur, rel, sql.SQL(
                            "xmin = pg_current_xact_id()::xid"))
                    elif touched is None:  # a delete: the tenants that have fewer rows now
                        tenants = [t for t, c in n.tenants.items()
                                   if c > self._count_of(cur, rel, t)]
        except psycopg.Error as exc:
            return refusal(exc)
        return self._named(outcome, tenants)

    def _count_of(self, cur: psycopg.Cursor[Any], rel: Relation, tenant: Any) -> int:
        col = self._tenant(rel)
        q = sql.SQL("select count(*) from {} where {}::text = {}").format(
            rel.ident, col, sql.Literal(tenant))
        return _count(cur, q)

    def _may(self, p: Persona, rel: Relation, column: str, priv: str) -> bool:
        row = self.conn.execute(
            "select has_column_privilege(%s, %s::regclass, %s, %s)",
            (p.actor.db_role, rel.label, column, priv)).fetchone()
        return bool(row and row[0])

    def functions(self, schemas: Sequence[str], roles: Sequence[str]) -> dict[str, dict[str, str]]:
        """Return, per exposed function, whether each API role may execute it."""
        out: dict[str, dict[str, str]] = {}
        for sig, oid, nsp in self.conn.execute(FUNCTIONS, (list(schemas),)).fetchall():
            out[sig] = {}
            for role in roles:
                row = self.conn.execute(
                    "select has_schema_privilege(%s, %s, 'USAGE')"
                    " and has_function_privilege(%s, %s::oid, 'EXECUTE')",
                    (role, nsp, role, oid)).fetchone()
                out[sig][role] = "allowed" if row and row[0] else "denied (grant)"
        return out


def record_access(
    conn: psycopg.Connection[Any],
    personas: Sequence[Persona],
    schemas: Sequence[str],
    *,
    roles: Sequence[str],
    tenancy: Tenancy | None = None,
    notes: Sequence[str] = (),
    progress: Callable[[str], None] = lambda _: None,
) -> AccessRecord:
    """Probe every relation of ``schemas`` with every command as every persona.

    ``conn``: the harness's superuser connection to a throwaway build, in autocommit mode.
    """
    rec = AccessRecord(tuple(schemas), {p.name: p.about for p in personas}, notes=list(notes))
    rec_ = Recorder(conn, tenancy)
    rels = exposed_relations(conn, schemas)
    progress(f"{len(personas)} personas, {len(rels)} relations in {', '.join(schemas)}")
    for i, rel in enumerate(rels, start=1):
        progress(f"[{i}/{len(rels)}] {rel.label}")
        fallback = rec_.first_row(rel)
        by: dict[str, dict[str, str]] = {}
        for p in personas:
            n = rec_.counts(rel, p)
            sel, sample = rec_.select(rel, p, n)
            by[p.name] = {
                "select": sel,
                "insert": rec_.insert(rel, p, sample or fallback),
                "update": rec_.update(rel, p, n),
                "delete": rec_.delete(rel, p, n),
            }
        rec.relations[rel.label] = by
    rec.functions = rec_.functions(schemas, roles)
    progress(f"{len(rec.functions)} functions")
    return rec
