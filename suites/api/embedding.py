"""API012: resource embedding reaches no row the role cannot read directly.

``GET /warehouses?select=id,parts(id)`` makes PostgREST join ``parts`` into the response. The
join runs as the caller, so RLS applies, unless the relationship goes through something that
does not: a ``security definer`` function used as a computed relationship, a view owned by a
privileged role. Anti-pattern: checking ``GET /parts`` alone. Best practice: for every role and
every relationship PostgREST offers (foreign keys both ways, computed relationships), the rows
embedded are a subset of what the same role reads with a plain ``GET``.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass

from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, Severity, check
from suites.api.common import SUITE, api_client, note, role_actors
from suites.api.reads import Reads, embedded_keys
from suites.security.rls_matrix import load_access

FAMILY = "api"

_FOREIGN_KEYS = """
select c.conname, ct.relname as child, pt.relname as parent
from pg_constraint c
join pg_class ct on ct.oid = c.conrelid join pg_namespace cn on cn.oid = ct.relnamespace
join pg_class pt on pt.oid = c.confrelid join pg_namespace pn on pn.oid = pt.relnamespace
where c.contype = 'f' and cn.nspname = any(%(s)s) and pn.nspname = any(%(s)s)
  and not ct.relispartition and not pt.relispartition
order by 2, 3, 1
"""

# Computed relationships: a function of one row of an exposed table returning rows of another.
_COMPUTED = """
select p.proname, at.relname as source, rt.relname as target
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
join pg_type a on a.oid = p.proargtypes[0] join pg_class at on at.oid = a.typrelid
join pg_type r on r.oid = p.prorettype join pg_class rt on rt.oid = r.typrelid
where n.nspname = any(%(s)s) and p.pronargs = 1
order by 1
"""


@dataclass(frozen=True)
class Relationship:
    """One way PostgREST can embed ``target`` rows into ``source`` rows."""

    source: str
    target: str
    embed: str  # the select item naming the relationship, e.g. parts!parts_vendor_fk
    label: str  # the response key the embedded rows appear under


def relationships(ctx: CheckContext, tables: set[str]) -> list[Relationship]:
    """Foreign keys (both directions) and computed relationships between exposed tables."""
    schemas = list(ctx.config.api.schemas)
    out: list[Relationship] = []
    with ctx.connect() as conn:
        for con, child, parent in conn.execute(_FOREIGN_KEYS, {"s": schemas}).fetchall():
            if child in tables and parent in tables:
                out.append(Relationship(parent, child, f"{child}!{con}", child))
                out.append(Relationship(child, parent, f"{parent}!{con}", parent))
        for fn, source, target in conn.execute(_COMPUTED, {"s": schemas}).fetchall():
            if source in tables and target in tables:
                out.append(Relationship(source, target, fn, fn))
    return out


@check(
    "API012",
    title="Resource embedding reaches no row the role cannot read",
    severity=Severity.CRITICAL,
    family=FAMILY,
    suite=SUITE,
    needs=("access",),
    rationale="Clients read related rows through embedding (select=*,children(*)). If a "
    "relationship is served by something that bypasses RLS (a security definer computed "
    "relationship, a definer view), embedding hands out rows that a plain GET of the same "
    "table hides: the policies are right and the data leaks anyway.",
    remedy="Make computed relationships SECURITY INVOKER (or re-check access inside them), give "
    "views security_invoker = true, and re-run the check.",
)
def embedding(ctx: CheckContext) -> Iterator[Finding]:
    """Compare embedded rows with direct reads, per role and relationship."""
    matrix = load_access(ctx)
    client = api_client(ctx)
    keys = {n: t.key for n, t in matrix.tables.items() if t.schema in ctx.config.api.schemas}
    rels = relationships(ctx, set(keys))
    reads = Reads(client)
    requests = 0
    reported: set[tuple[str, str]] = set()
    for label, actor in role_actors(ctx, matrix).items():
        for rel in rels:
            sk, tk = keys[rel.source], keys[rel.target]
            path = (f"/{rel.source}?select={sk},"
                    f"{urllib.parse.quote(rel.embed, safe='!')}({tk})")
            resp = client.request("GET", path, actor=actor)
            requests += 1
            if not resp.ok:
                continue
            readable = reads.keys(label, actor, rel.target, tk) or frozenset()
            extra = embedded_keys(resp.body, rel.label, tk) - readable
            if extra and (label, rel.embed) not in reported:
                reported.add((label, rel.embed))
                yield EMBEDDING.finding(
                    f"public.{rel.target}",
                    f"as {label}, embedding {rel.embed} into {rel.source} returns "
                    f"{len(extra)} {rel.target} row(s) that GET /{rel.target} does not "
                    f"(e.g. {tk} = {sorted(extra)[0]})",
                    repro_sql=f"-- {resp.curl}",
                    details={"role": label, "relationship": rel.embed, "source": rel.source,
                             "leaked": sorted(extra)[:20], "curl": resp.curl},
                )
    note(ctx, embed_relationships=len(rels), embed_requests=requests)


EMBEDDING = REGISTRY.get("API012")
