"""Record the effective access of a schema directory on a fresh build (shared by two commands).

``dbharness access record`` writes what this returns; ``dbharness gate`` records the base and
the head with it and compares them (ACC001, ACC002).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

from harness.access.drift import ACC_CHANGED, ACC_STALE, AccessDrift
from harness.access.effective import DEFAULT_FILE, AccessRecord, load
from harness.access.matrix import load_matrix
from harness.access.personas import choose_personas, existing_roles, tenancy_of
from harness.access.record import record_access
from harness.config import HarnessConfig
from harness.errors import SchemaApplyError
from harness.gate.gitrev import GitRepo, checkout_schema_at, schema_identical
from harness.gate.scratch import scratch_database
from harness.platform import profile
from harness.schema_dir import SchemaDir

Progress = Callable[[str], None]


def snapshot_path(schema: SchemaDir) -> Path:
    """Return where a schema keeps its committed access snapshot."""
    return schema.root / "dbharness" / DEFAULT_FILE


def record_schema(
    admin_dsn: str, schema: SchemaDir, config: HarnessConfig, progress: Progress
) -> AccessRecord:
    """Build ``schema`` (with its seed data) in a scratch database and record its access.

    Raises :class:`SchemaApplyError` when the schema does not apply.
    """
    from harness.migrate import apply_schema

    matrix_file = schema.plugin("access.toml")
    matrix = load_matrix(matrix_file) if matrix_file else None
    with scratch_database(admin_dsn, "access") as dsn:
        progress(f"building {schema.root.name}/ on platform {config.platform} "
                 "(base, bootstrap, migrations, seed)")
        apply_schema(dsn, schema, bootstrap=True, seed=config.load_seed_data,
                     platform=profile(config.platform))
        with psycopg.connect(dsn, autocommit=True) as conn:
            notes: list[str] = []
            personas = choose_personas(conn, matrix, notes)
            roles = existing_roles(conn, list(config.api_roles))
            return record_access(conn, personas, config.exposed_schemas, roles=roles,
                                 tenancy=tenancy_of(conn, matrix), notes=notes,
                                 progress=progress)


def _timed(drift: AccessDrift, step: str, fn: Callable[[], AccessRecord]) -> AccessRecord:
    t0 = time.perf_counter()
    try:
        return fn()
    finally:
        drift.timings[step] = time.perf_counter() - t0


def gate_drift(
    config: HarnessConfig, admin_dsn: str, base_sha: str, has_base: bool, progress: Progress
) -> AccessDrift:
    """Record head and base (once when the schema directory did not change); read the file."""
    schema = SchemaDir.open(config.schema)
    repo = GitRepo.containing(schema.root)
    drift = AccessDrift()
    committed = snapshot_path(schema)
    if committed.is_file():
        drift.committed = load(committed)
        drift.committed_path = repo.relpath(committed)
    else:
        drift.skipped[ACC_STALE] = (
            f"no committed access snapshot ({DEFAULT_FILE}); `dbharness access record` "
            "writes one")
    try:
        drift.head = _timed(drift, "access_head",
                            lambda: record_schema(admin_dsn, schema, config, progress))
    except SchemaApplyError:
        why = "the head schema does not apply (MIG010 names the statement)"
        drift.skipped.update({ACC_CHANGED: why, ACC_STALE: why})
        return drift
    if not has_base:
        drift.skipped[ACC_CHANGED] = "no base schema: every migration is new"
        return drift
    if schema_identical(repo, base_sha, schema.root):
        drift.base = drift.head  # same inputs, same access
        return drift
    with tempfile.TemporaryDirectory(prefix="dbharness-access-") as tmp:
        base = SchemaDir.open(checkout_schema_at(repo, base_sha, schema.root, Path(tmp)))
        try:
            drift.base = _timed(drift, "access_base",
                                lambda: record_schema(admin_dsn, base, config, progress))
        except SchemaApplyError as exc:
            drift.skipped[ACC_CHANGED] = (
                f"the base revision's schema does not apply ({exc.file}: {exc.error})")
    return drift
