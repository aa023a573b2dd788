"""Range partitions created by date: described, never listed.

A range-partitioned table gains bounded partitions as time passes (a maintenance job,
pg_partman, a function a migration calls with ``now()``), so *which* bounded partitions exist
depends on the day the schema was built, like rows do. What the schema says about them does
not: the parent's partition key, its DEFAULT partition, and what each bounded partition carries
besides what it inherits from the parent (its schema, RLS flags, its own policies, grants,
indexes, triggers, CHECK constraints, column defaults or privileges that differ).

So the checked-in dump and the catalog snapshots leave out every bounded partition of a
range-partitioned table (and everything below it) and describe them instead as *kinds*: each
distinct profile once, with no name, bound or count. A partition that carries an object the
others lack is a kind of its own, so a partition-specific object still shows. DEFAULT
partitions and list or hash partitions are listed as usual: they do not come and go by date.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import psycopg

PLACEHOLDER = "<partition>"
_IDENTITY = re.compile(r" identity [ad]\b")
SUB_PLACEHOLDER = "<sub-partition>"

# Every partition with its parent's strategy; a DEFAULT partition has the bound text DEFAULT.
_PARTITIONS = """
    select c.oid, i.inhparent as parent, pt.partstrat::text as strategy,
           pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT' as is_default,
           n.nspname, c.relname, pn.nspname as parent_nspname, p.relname as parent_relname
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_inherits i on i.inhrelid = c.oid
    join pg_class p on p.oid = i.inhparent
    join pg_namespace pn on pn.oid = p.relnamespace
    join pg_partitioned_table pt on pt.partrelid = i.inhparent
    where c.relispartition and c.relkind in ('r', 'p', 'f')
"""


def qualified(nspname: str, relname: str) -> str:
    """``schema.name`` quoted as ``format('%I.%I')`` quotes it (the snapshots' spelling)."""
    return f"{_ident(nspname)}.{_ident(relname)}"


_PLAIN_IDENT = re.compile(r"^[a-z_][a-z0-9_$]*$")


def _ident(name: str) -> str:
    # quote_ident's rule, minus keywords (which no partition generator produces unquoted)
    return name if _PLAIN_IDENT.match(name) else '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class DateLeaf:
    """A partition left out of listings: a bounded range partition or something below one."""

    oid: int
    nspname: str
    relname: str
    parent: int  # direct parent (the one its columns and constraints are inherited from)
    group_root: int  # the range-partitioned table whose kinds of partitions it belongs to
    top: int  # the bounded range partition it is (or is below)

    @property
    def name(self) -> str:
        """Its qualified name."""
        return qualified(self.nspname, self.relname)


@dataclass
class DateLeaves:
    """The date-created partitions of a database, and the tables they belong to."""

    leaves: dict[int, DateLeaf] = field(default_factory=dict)
    roots: dict[int, str] = field(default_factory=dict)  # group root oid -> qualified name
    names: dict[int, str] = field(default_factory=dict)  # every partitioned parent oid -> name

    def __contains__(self, oid: object) -> bool:
        return oid in self.leaves

    def __bool__(self) -> bool:
        return bool(self.leaves)

    def tops(self) -> list[DateLeaf]:
        """Return the bounded range partitions themselves (not what lies below them)."""
        return [leaf for leaf in self.leaves.values() if leaf.top == leaf.oid]


def find_date_leaves(conn: psycopg.Connection[Any]) -> DateLeaves:
    """Find every bounded partition of a range-partitioned table, and every partition below one."""
    rows = conn.execute(_PARTITIONS).fetchall()
    out = DateLeaves()
    by_oid = {r[0]: r for r in rows}
    for _oid, parent, _s, _d, _n, _r, pnsp, prel in rows:
        out.names[parent] = qualified(pnsp, prel)

    def top_of(oid: int) -> int | None:
        # the highest ancestor-or-self that is a bounded partition of a range-partitioned table
        found = None
        cur: int | None = oid
        while cur is not None and cur in by_oid:
            _o, parent, strategy, is_default, *_ = by_oid[cur]
            if strategy == "r" and not is_default:
                found = cur
            cur = parent
        return found

    for oid, parent, _s, _d, nspname, relname, _pn, _pr in rows:
        top = top_of(oid)
        if top is None:
            continue
        root = by_oid[top][1]
        out.leaves[oid] = DateLeaf(oid, nspname, relname, parent, root, top)
        out.roots[root] = out.names[root]
    return out


@dataclass(frozen=True)
class Entry:
    """One catalog object of a snapshot: its kind, name, definition and the relation it is on."""

    kind: str
    name: str
    definition: str
    relid: int | None = None
    inherited: bool = False  # inherited from the parent (a partition's attached index, ...)


def _normalize(text: str, leaf: DateLeaf, placeholder: str) -> str:
    # the qualified spelling first, then the bare name (index and constraint names embed it)
    return text.replace(leaf.name, placeholder).replace(leaf.relname, placeholder)


def _own_lines(
    leaf: DateLeaf,
    entries: Iterable[Entry],
    parent_columns: Mapping[str, str],
    placeholder: str,
) -> set[str]:
    lines = {f"schema {leaf.nspname}"}
    for e in entries:
        if e.inherited:
            continue
        if e.kind == "column":
            column = e.name.rsplit(".", 1)[-1]
            parent = _IDENTITY.sub("", parent_columns.get(column, ""))
            if parent == _IDENTITY.sub("", e.definition):
                continue  # the parent's column (a partition never carries its identity)
        line = f"{e.kind} {_normalize(e.name, leaf, placeholder)}"
        if e.definition:
            line += ": " + _normalize(e.definition, leaf, placeholder)
        lines.add(line)
    return lines


Kind = tuple[str, ...]  # the sorted lines of one profile


def kinds_of_partitions(leaves: DateLeaves, entries: Iterable[Entry]) -> dict[str, list[Kind]]:
    """Group root name -> its kinds of bounded partitions (distinct profiles), sorted.

    ``entries`` are the snapshot's objects; those on a leaf (``relid``) make its profile, and
    a column counts only where it differs from the parent's column of the same name.
    """
    by_rel: dict[int, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.relid is not None:
            by_rel[e.relid].append(e)

    def columns_of(oid: int) -> dict[str, str]:
        return {
            e.name.rsplit(".", 1)[-1]: e.definition
            for e in by_rel.get(oid, ())
            if e.kind == "column"
        }

    profiles: dict[int, set[str]] = {}
    for leaf in leaves.tops():
        profiles[leaf.oid] = _own_lines(leaf, by_rel.get(leaf.oid, ()), columns_of(leaf.parent),
                                        PLACEHOLDER)
    for leaf in leaves.leaves.values():
        if leaf.top == leaf.oid:
            continue
        # what lies below a bounded partition is part of that partition's kind
        sub = _own_lines(leaf, by_rel.get(leaf.oid, ()), columns_of(leaf.parent), SUB_PLACEHOLDER)
        top = leaves.leaves[leaf.top]
        profiles[leaf.top] |= {
            "sub-partition " + _normalize(line, top, PLACEHOLDER) for line in sub
        }
    kinds: dict[str, set[Kind]] = defaultdict(set)
    for top_oid, lines in profiles.items():
        root = leaves.roots[leaves.leaves[top_oid].group_root]
        kinds[root].add(tuple(sorted(lines)))
    return {root: sorted(k) for root, k in sorted(kinds.items())}


def describe_for_dump(kinds: Mapping[str, list[Kind]]) -> str:
    """Write the dump section standing in for the bounded partitions (SQL comments only)."""
    out: list[str] = []
    for root, profiles in kinds.items():
        nsp, _, rel = root.partition(".")
        out += [
            "--",
            f"-- Name: {rel}; Type: RANGE PARTITIONS; Schema: {nsp}; Owner: -",
            "--",
            f"-- The bounded partitions of {root} exist by date, so they are described, not",
            "-- listed: each one is of one of these kinds (what it has besides what it inherits).",
        ]
        for i, profile in enumerate(profiles, 1):
            out.append(f"-- kind {i}:")
            out += [f"--   {line}" for line in profile]
        out.append("")
    return "\n".join(out)
