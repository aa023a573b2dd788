"""The layout of a schema directory.

``bootstrap/`` (vanilla PostgreSQL only), ``migrations/`` (numbered, forward-only), ``seed/``
(demo data), ``tests/`` (pgTAP files) and ``dbharness/`` (the schema's plug-in data for the
harness: access matrix, query catalog, ...). Only ``migrations/`` is required.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from harness.errors import ConfigError

MIGRATION_NAME = re.compile(r"^(\d{4,})_[A-Za-z0-9_\-]+\.sql$")


@dataclass(frozen=True)
class SqlFile:
    """One SQL file with its checksum (what the migration ledger records)."""

    path: Path

    @property
    def name(self) -> str:
        """The file name, e.g. ``0001_init.sql``."""
        return self.path.name

    @property
    def text(self) -> str:
        """The file's SQL text."""
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        """The sha256 of the file's bytes, hex."""
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class SchemaDir:
    """A schema directory on disk."""

    root: Path

    @classmethod
    def open(cls, path: str | Path) -> SchemaDir:
        """Open and validate a schema directory; a usage error when it is not one."""
        root = Path(path)
        if not root.is_dir():
            raise ConfigError(f"schema directory not found: {root}")
        if not (root / "migrations").is_dir():
            raise ConfigError(
                f"{root} has no migrations/ directory",
                hint="a schema directory holds migrations/NNNN_<what>.sql (and optionally "
                "bootstrap/, seed/, dbharness/)",
            )
        sd = cls(root)
        _ = sd.migrations  # validate names early
        return sd

    def _sql(self, sub: str) -> list[SqlFile]:
        d = self.root / sub
        return [SqlFile(p) for p in sorted(d.glob("*.sql"))] if d.is_dir() else []

    @property
    def bootstrap(self) -> list[SqlFile]:
        """The bootstrap files (vanilla PostgreSQL stand-ins for Supabase), in name order."""
        return self._sql("bootstrap")

    @property
    def migrations(self) -> list[SqlFile]:
        """The migrations in name order; a misnamed file is a usage error."""
        files = self._sql("migrations")
        for f in files:
            if not MIGRATION_NAME.match(f.name):
                raise ConfigError(
                    f"migration file name not of the form NNNN_<what>.sql: {f.path}",
                )
        return files

    @property
    def seed(self) -> list[SqlFile]:
        """The seed data files, in name order."""
        return self._sql("seed")

    @property
    def tests(self) -> list[SqlFile]:
        """SQL test files (pgTAP) under ``tests/``, recursively, in path order."""
        d = self.root / "tests"
        return [SqlFile(p) for p in sorted(d.rglob("*.sql"))] if d.is_dir() else []

    def plugin(self, name: str) -> Path | None:
        """Path of plug-in data ``dbharness/<name>`` (e.g. ``access.toml``) if the schema has it."""
        p = self.root / "dbharness" / name
        return p if p.exists() else None
