"""The schema's query catalog (``dbharness/queries.toml``): what the application runs, as data."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import ConfigError

CLASSES = ("simple", "complex")
CATALOG_FILE = "queries.toml"


@dataclass(frozen=True)
class Settings:
    """Budgets and thresholds that apply to every query unless the query says otherwise."""

    budget_ms: dict[str, float]
    max_buffers: dict[str, int]
    seq_scan_max_rows: int = 10_000
    rls_overhead_limit: float = 2.0
    # Policies cost a few fixed initplans per statement (scope, role); on a sub-millisecond
    # query that alone exceeds 2x. A ratio only counts once the extra time is this material.
    rls_overhead_floor_ms: float = 1.0
    growth_limit: float = 2.0
    # A page's time at two scales is compared once the extra time is material: sub-millisecond
    # medians differ by a factor two on a busy machine.
    growth_floor_ms: float = 1.0


@dataclass(frozen=True)
class Query:
    """One catalog entry: a statement, who runs it, how to pick its parameters, what to expect."""

    name: str
    title: str
    cls: str
    roles: tuple[str, ...]
    params: str
    sql: str
    requires: str | None = None
    fallback_sql: str | None = None
    expect_indexes: tuple[str, ...] = ()
    expect_any_index: tuple[str, ...] = ()
    max_buffers: int | None = None
    growth: bool = False


@dataclass(frozen=True)
class Catalog:
    """Settings, the selector of a real user per role, and the queries."""

    path: Path
    settings: Settings
    actors: dict[str, str]
    queries: tuple[Query, ...]

    def budget_ms(self, q: Query) -> float:
        """Return the latency budget of ``q`` (by its class)."""
        return self.settings.budget_ms[q.cls]

    def buffer_budget(self, q: Query) -> int:
        """Return the shared-buffer budget of ``q`` (its own, else its class's)."""
        return q.max_buffers if q.max_buffers is not None else self.settings.max_buffers[q.cls]


def _strs(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


_QUERY_KEYS = {"name", "title", "class", "roles", "params", "sql", "requires", "fallback_sql",
               "expect_indexes", "expect_any_index", "max_buffers", "growth"}


def _query(item: dict[str, Any], actors: dict[str, str], where: str) -> Query:
    unknown = set(item) - _QUERY_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("name", "class", "roles", "sql"):
        if key not in item:
            raise ConfigError(f"{where}: missing {key!r}")
    if item["class"] not in CLASSES:
        raise ConfigError(f"{where}: class must be one of {', '.join(CLASSES)}")
    roles = _strs(item["roles"], f"{where}.roles")
    missing = [r for r in roles if r not in actors]
    if missing:
        raise ConfigError(f"{where}: roles {missing} have no selector in [actors]")
    return Query(
        name=str(item["name"]),
        title=str(item.get("title", item["name"])),
        cls=str(item["class"]),
        roles=roles,
        params=str(item.get("params", "select 1 as one")),
        sql=str(item["sql"]).strip(),
        requires=item.get("requires"),
        fallback_sql=str(item["fallback_sql"]).strip() if "fallback_sql" in item else None,
        expect_indexes=_strs(item.get("expect_indexes", []), f"{where}.expect_indexes"),
        expect_any_index=_strs(item.get("expect_any_index", []), f"{where}.expect_any_index"),
        max_buffers=int(item["max_buffers"]) if "max_buffers" in item else None,
        growth=bool(item.get("growth", False)),
    )


def load_catalog(path: Path) -> Catalog:
    """Read and validate ``queries.toml``; a usage error names the entry at fault."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: malformed TOML: {exc}") from None
    s = data.get("settings", {})
    settings = Settings(
        budget_ms={k: float(v) for k, v in s.get("budget_ms", {}).items()},
        max_buffers={k: int(v) for k, v in s.get("max_buffers", {}).items()},
        seq_scan_max_rows=int(s.get("seq_scan_max_rows", 10_000)),
        rls_overhead_limit=float(s.get("rls_overhead_limit", 2.0)),
        rls_overhead_floor_ms=float(s.get("rls_overhead_floor_ms", 1.0)),
        growth_limit=float(s.get("growth_limit", 2.0)),
        growth_floor_ms=float(s.get("growth_floor_ms", 1.0)),
    )
    for table in ("budget_ms", "max_buffers"):
        if set(getattr(settings, table)) != set(CLASSES):
            raise ConfigError(f"{path}: settings.{table} needs exactly {', '.join(CLASSES)}")
    actors = {str(k): str(v) for k, v in data.get("actors", {}).items()}
    queries = tuple(
        _query(item, actors, f"{path}: queries[{i}]")
        for i, item in enumerate(data.get("queries", []))
    )
    names = [q.name for q in queries]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"{path}: duplicate query names {dupes}")
    return Catalog(path, settings, actors, queries)
