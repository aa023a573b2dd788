"""Generating a dataset into a database and recording that it is there."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import psycopg

from harness.datagen.bulk import loader_session
from harness.datagen.plugin import Progress, load_plugin
from harness.errors import HarnessError
from harness.schema_dir import SchemaDir

MARKER = "dbharness_meta.datagen"
_MARKER_DDL = (
    "create schema if not exists dbharness_meta",
    f"""create table if not exists {MARKER} (
        scale text not null,
        seed bigint not null,
        plugin_sha256 text not null,
        seconds double precision not null,
        facts jsonb not null default '{{}}',
        generated_at timestamptz not null default now()
    )""",
)


@dataclass(frozen=True)
class DatasetInfo:
    """What a database holds: which scale and seed, made by which generator, in how long."""

    scale: str
    seed: int
    plugin_sha256: str
    seconds: float
    facts: Mapping[str, Any] = field(default_factory=dict)


def dataset_info(conn: psycopg.Connection[Any]) -> DatasetInfo | None:
    """Return the dataset recorded in the database behind ``conn``, or None if there is none."""
    row = conn.execute("select to_regclass(%s) is not null", (MARKER,)).fetchone()
    if not row or not row[0]:
        return None
    row = conn.execute(
        f"select scale, seed, plugin_sha256, seconds, facts from {MARKER}"
        " order by generated_at desc limit 1"
    ).fetchone()
    return DatasetInfo(row[0], row[1], row[2], row[3], row[4]) if row else None


def generate_dataset(
    dsn: str,
    schema: SchemaDir,
    scale: str,
    seed: int,
    progress: Progress = lambda _m: None,
) -> DatasetInfo:
    """Fill the database at ``dsn`` (schema applied, no dataset yet) with the plug-in's data.

    Runs the plug-in in a loader session (see :mod:`harness.datagen.bulk`), then records the
    scale, seed, generator checksum and duration in ``dbharness_meta.datagen``.
    """
    plugin = load_plugin(schema)
    plugin.check_scale(scale)
    with psycopg.connect(dsn, autocommit=True) as conn:
        if not conn.execute("select rolsuper from pg_roles where rolname = current_user"
                            ).fetchone()[0]:  # type: ignore[index]
            raise HarnessError(
                "data generation needs a superuser connection (session_replication_role)",
                hint="connect as the server's superuser, e.g. user=postgres",
            )
        existing = dataset_info(conn)
        if existing is not None:
            raise HarnessError(
                f"database already holds a generated dataset ({existing.scale}, seed "
                f"{existing.seed}); generate into a fresh clone of the schema template"
            )
        start = time.perf_counter()
        with loader_session(conn):
            facts = dict(plugin.generate(conn, scale, seed, progress))
        seconds = time.perf_counter() - start
        for ddl in _MARKER_DDL:
            conn.execute(ddl)
        conn.execute(
            f"insert into {MARKER} (scale, seed, plugin_sha256, seconds, facts)"
            " values (%s, %s, %s, %s, %s::jsonb)",
            (scale, seed, plugin.checksum, seconds, json.dumps(facts, default=str)),
        )
    return DatasetInfo(scale, seed, plugin.checksum, seconds, facts)
