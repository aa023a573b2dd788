"""API011: error bodies name the client's own table and field, never internal objects.

PostgREST returns the database error as JSON (``code``, ``message``, ``details``, ``hint``). A
trigger that writes an internal table, or a constraint of another table, turns a client's
mistake into a message about objects it cannot see: useless to the client, and a map of the
internals for an attacker.

The probes: for every exposed table an app role may insert into (or update), as a user of that
role, POST an empty object, POST an existing row of its warehouse with each required column left
out in turn, and PATCH each required column to null. Every error must be a 4xx whose text names
no relation but the one written, no constraint of another table and nothing in a schema the API
does not expose.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from psycopg import sql
from psycopg.rows import dict_row

from harness.access.matrix import AccessMatrix
from harness.api_client import ROLLBACK, ApiClient, ApiResponse
from harness.context import CheckContext
from harness.impersonate import Actor
from harness.registry import REGISTRY, Finding, Severity, check
from suites.api.common import SUITE, api_client, note, role_actors
from suites.security.rls_matrix import load_access

FAMILY = "api"
PREFER = f"{ROLLBACK}, return=minimal"
_RELATION = re.compile(r'relation "([^"]+)"')
_CONSTRAINT = re.compile(r'constraint "([^"]+)"')
_QUALIFIED = re.compile(r'\b([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\b')


@dataclass(frozen=True)
class Catalog:
    """Names an error may leak: schemas, relations and constraints by owner table."""

    exposed: frozenset[str]
    hidden_schemas: frozenset[str]
    relations: frozenset[str]
    constraints: dict[str, str]  # constraint name -> its table


def read_catalog(ctx: CheckContext) -> Catalog:
    """Read the names of every user schema, relation and constraint."""
    exposed = frozenset(ctx.config.api.schemas)
    with ctx.connect() as conn:
        schemas = {r[0] for r in conn.execute(
            "select nspname from pg_namespace where nspname not like 'pg\\_%'"
            " and nspname <> 'information_schema'").fetchall()}
        rels = {r[0] for r in conn.execute(
            "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            " where n.nspname = any(%s) and c.relkind in ('r', 'p', 'v', 'm', 'f')",
            (sorted(schemas),)).fetchall()}
        cons = dict(conn.execute(
            "select c.conname, t.relname from pg_constraint c join pg_class t"
            " on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace"
            " where n.nspname = any(%s)", (sorted(schemas),)).fetchall())
    return Catalog(exposed, frozenset(schemas - exposed), frozenset(rels), cons)


def leaks(cat: Catalog, table: str, resp: ApiResponse) -> list[str]:
    """Say what the error body names that the client writing ``table`` should not see."""
    if not isinstance(resp.body, dict):
        return []
    text = " ".join(str(resp.body.get(k) or "") for k in ("message", "details", "hint"))
    out: list[str] = []
    for rel in _RELATION.findall(text):
        if rel != table:
            out.append(f'relation "{rel}"')
    for con in _CONSTRAINT.findall(text):
        owner = cat.constraints.get(con)
        if owner is not None and owner != table:
            out.append(f'constraint "{con}" of table {owner}')
    for schema, name in _QUALIFIED.findall(text):
        if schema in cat.hidden_schemas:
            out.append(f"{schema}.{name}")
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Column:
    """What a probe needs to know of a column."""

    name: str
    required: bool  # NOT NULL, no default, not generated


def columns(conn: Any, schema: str, table: str) -> list[Column]:
    """Return the writable columns of ``schema.table``."""
    rows = conn.execute(
        "select a.attname, a.attnotnull and not a.atthasdef and a.attidentity = ''"
        " from pg_attribute a where a.attrelid = %s::regclass and a.attnum > 0"
        " and not a.attisdropped and a.attgenerated = '' and a.attidentity <> 'a'"
        " order by a.attnum", (f"{schema}.{table}",)).fetchall()
    return [Column(str(n), bool(r)) for n, r in rows]


def sample_row(conn: Any, schema: str, table: str, scope: str, home: Any) -> dict[str, Any] | None:
    """Return a row of the table in the actor's home warehouse (any row when none is there)."""
    q = sql.SQL("select * from {} order by ({} = %s) desc nulls last limit 1").format(
        sql.Identifier(schema, table), sql.Identifier(scope))
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(q, (home,)).fetchone()
    return dict(row) if row else None


@dataclass(frozen=True)
class Probe:
    """One provoking request and the table it writes."""

    table: str
    role: str
    actor: Actor
    method: str
    path: str
    body: dict[str, Any]
    what: str


def probes(ctx: CheckContext, matrix: AccessMatrix) -> Iterator[Probe]:
    """Yield the requests that should fail with a useful error."""
    actors = role_actors(ctx, matrix)
    a = matrix.actors
    with ctx.connect() as conn:
        homes = dict(conn.execute(sql.SQL("select {}, {} from {}").format(
            sql.Identifier(a.key), sql.Identifier(a.home), sql.Identifier("public", a.table)
        )).fetchall())
        for name, t in sorted(matrix.tables.items()):
            if t.schema not in ctx.config.api.schemas:
                continue
            cols = columns(conn, t.schema, name)
            required = [c.name for c in cols if c.required]
            writable = {c.name for c in cols}
            for command in "IU":
                roles = sorted({r for rule in t.rules if command in rule.commands
                                for r in rule.roles} & set(actors))
                for role in roles:
                    actor = actors[role]
                    row = sample_row(conn, t.schema, name, t.scope_column,
                                     homes.get(actor.user_id))
                    if command == "I":
                        yield Probe(name, role, actor, "POST", f"/{name}", {}, "an empty object")
                        if row is None:
                            continue
                        base = {k: v for k, v in row.items() if k in writable and k != t.key}
                        for col in required:
                            body = {k: v for k, v in base.items() if k != col}
                            yield Probe(name, role, actor, "POST", f"/{name}", body,
                                        f"a row without {col}")
                    elif row is not None:
                        key = urllib.parse.quote(str(row[t.key]))
                        for col in required:
                            yield Probe(name, role, actor, "PATCH",
                                        f"/{name}?{t.key}=eq.{key}", {col: None},
                                        f"{col} set to null")


def send(client: ApiClient, p: Probe) -> ApiResponse:
    """Send one probe (rolled back)."""
    return client.request(p.method, p.path, actor=p.actor, body=p.body, prefer=PREFER)


@check(
    "API011",
    title="API error bodies name the client's table and field, not internal objects",
    severity=Severity.MEDIUM,
    family=FAMILY,
    suite=SUITE,
    needs=("access",),
    rationale="A client that leaves out a required field must learn which one, of the table it "
    "wrote. An error about an internal table (a trigger's counter), a private function or "
    "another table's constraint tells the client nothing it can fix and tells an attacker how "
    "the internals are built. A 5xx for a client's mistake hides it from the client entirely.",
    remedy="Validate the client's fields before touching internal objects (in the BEFORE "
    "trigger: raise 23502/22023 naming the table's column), and raise errors with the "
    "client-facing field in the message or detail.",
)
def error_bodies(ctx: CheckContext) -> Iterator[Finding]:
    """Provoke write errors as each role and read what the bodies name."""
    matrix = load_access(ctx)
    client = api_client(ctx)
    cat = read_catalog(ctx)
    sent = errors = 0
    seen: set[tuple[str, str]] = set()
    for p in probes(ctx, matrix):
        resp = send(client, p)
        sent += 1
        if resp.ok:
            continue
        errors += 1
        problems = leaks(cat, p.table, resp)
        if resp.status >= 500:
            problems.append(f"HTTP {resp.status}")
        key = (p.table, ";".join(problems))
        if not problems or key in seen:
            continue
        seen.add(key)
        yield ERRORS.finding(
            f"public.{p.table}",
            f"{p.method} {p.path} with {p.what} as {p.role}: HTTP {resp.status} "
            f"{resp.code}: {resp.message!r} names {', '.join(problems)} instead of a field "
            f"of {p.table}",
            repro_sql=f"-- {resp.curl}",
            details={"curl": resp.curl, "status": resp.status, "body": resp.body,
                     "leaked": problems, "role": p.role},
        )
    note(ctx, error_probes=sent, error_responses=errors)


ERRORS = REGISTRY.get("API011")
