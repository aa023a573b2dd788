"""The server of a load run: the settings that decide what a commit costs, and statements.

The per-statement counters come from pg_stat_statements when the server has them.

A load figure means little without the settings beside it: with ``fsync`` or
``synchronous_commit`` off every write commits for free. The embedded server of ``dbharness
load`` therefore runs with durable commits unless the user asks otherwise (``--fast-commits``),
and loads pg_stat_statements when the server binaries ship it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from harness.embedded import DURABLE_SETTINGS, THROWAWAY_SETTINGS, find_bindir
from harness.errors import HarnessError

# The settings that decide what a transaction costs, in the order the report shows them.
SETTINGS_THAT_MATTER = (
    "server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_level",
    "wal_sync_method", "commit_delay", "shared_buffers", "work_mem", "max_connections", "jit",
    "shared_preload_libraries",
)
STATEMENTS_EXT = "pg_stat_statements"


def embedded_settings(durable: bool) -> dict[str, str]:
    """Return the settings for the embedded server of a load run.

    Durable commits unless ``durable`` is false; pg_stat_statements preloaded (tracking the
    statements of functions and triggers too) when the server binaries have it.
    """
    settings = dict(DURABLE_SETTINGS if durable else THROWAWAY_SETTINGS)
    try:
        libdir = find_bindir().parent / "lib"
    except HarnessError:
        return settings  # the embedded server will say what is missing when it starts
    if (libdir / f"{STATEMENTS_EXT}.so").exists():
        settings["shared_preload_libraries"] = STATEMENTS_EXT
        settings["pg_stat_statements.track"] = "all"
    return settings


def read_settings(conn: psycopg.Connection[Any]) -> dict[str, str]:
    """Return the :data:`SETTINGS_THAT_MATTER` as the server reports them (with units)."""
    rows = conn.execute(
        "select name, setting, unit from pg_settings where name = any(%s)",
        (list(SETTINGS_THAT_MATTER),),
    ).fetchall()
    found = {name: f"{_with_unit(setting, unit)}" for name, setting, unit in rows}
    version = conn.execute("select current_setting('server_version')").fetchone()
    found["server_version"] = str(version[0]) if version else "?"
    return {k: found[k] for k in SETTINGS_THAT_MATTER if k in found}


def _with_unit(setting: str, unit: str | None) -> str:
    if unit == "8kB" and setting.isdigit():
        mb = int(setting) * 8 / 1024
        return f"{mb:.0f}MB"
    return f"{setting}{unit or ''}" if unit and unit not in ("", None) else setting


def durable(settings: Mapping[str, str]) -> bool:
    """Whether every commit is flushed before it is acknowledged."""
    return settings.get("fsync") == "on" and settings.get("synchronous_commit") in (
        "on", "remote_write", "remote_apply")


def postmaster_pid(base_dir: Path | None) -> int | None:
    """Return the embedded server's postmaster pid (first line of postmaster.pid), if any."""
    if base_dir is None:
        return None
    try:
        return int((base_dir / "data" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


@dataclass(frozen=True)
class StatementStats:
    """One statement's counters from pg_stat_statements (a delta when subtracted)."""

    query: str
    toplevel: bool
    calls: int
    total_ms: float


def enable_statements(conn: psycopg.Connection[Any]) -> bool:
    """Create pg_stat_statements in this database when the server preloads it; tell if it did."""
    row = conn.execute("select current_setting('shared_preload_libraries')").fetchone()
    if row is None or STATEMENTS_EXT not in str(row[0]):
        return False
    try:
        conn.execute(f"create extension if not exists {STATEMENTS_EXT}")
    except psycopg.Error:
        return False  # not allowed here (not a superuser): the report goes without it
    return True


def statements(conn: psycopg.Connection[Any]) -> dict[tuple[int, bool], StatementStats]:
    """Counters of this database's statements, by (queryid, toplevel)."""
    rows = conn.execute(
        "select queryid, toplevel, query, calls, total_exec_time"
        f" from {STATEMENTS_EXT} s join pg_database d on d.oid = s.dbid"
        " where d.datname = current_database() and queryid is not null"
    ).fetchall()
    return {(int(q), bool(t)): StatementStats(text, bool(t), int(c), float(ms))
            for q, t, text, c, ms in rows}


def statement_delta(
    before: Mapping[tuple[int, bool], StatementStats],
    after: Mapping[tuple[int, bool], StatementStats],
) -> list[StatementStats]:
    """Return what ran between two snapshots, most time first."""
    out = []
    for key, a in after.items():
        b = before.get(key)
        calls = a.calls - (b.calls if b else 0)
        if calls > 0:
            out.append(StatementStats(a.query, a.toplevel, calls,
                                      a.total_ms - (b.total_ms if b else 0.0)))
    return sorted(out, key=lambda s: -s.total_ms)


def counters(dsn: str) -> dict[str, int]:
    """Return the database's commits, rollbacks and deadlocks so far (pg_stat_database)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(
            "select xact_commit, xact_rollback, deadlocks from pg_stat_database"
            " where datname = current_database()"
        ).fetchone()
    assert row is not None
    return {"xact_commit": row[0], "xact_rollback": row[1], "deadlocks": row[2]}
