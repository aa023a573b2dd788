"""The layout of a schema directory, in either of two forms.

The harness's own: ``bootstrap/`` (vanilla PostgreSQL only), ``migrations/`` (numbered,
forward-only), ``seed/`` (demo data), ``tests/`` (pgTAP files) and ``dbharness/`` (the schema's
plug-in data for the harness: access matrix, query catalog, ...). Only ``migrations/`` is required.

The Supabase CLI's: a project folder holding ``supabase/`` (or that folder itself) with
``config.toml``, ``migrations/<14-digit timestamp>_<name>.sql``, ``seed.sql`` (or the files
``[db.seed] sql_paths`` names) and ``tests/**/*.sql`` (pgTAP). Migrations run in timestamp order,
the seed files as seed data, the tests as the pgTAP suite; ``dbharness/`` may sit beside them.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import ConfigError

MIGRATION_NAME = re.compile(r"^(\d{4,})_[A-Za-z0-9_\-]+\.sql$")
# `supabase migration new` names files <UTC timestamp to the second>_<name>.sql.
SUPABASE_MIGRATION_NAME = re.compile(r"^(\d{14})_[A-Za-z0-9_.\-]+\.sql$")
SUPABASE_DIR = "supabase"
SUPABASE_CONFIG = "config.toml"
DEFAULT_SCHEMA = Path("schema")  # the config's default: tried before a Supabase project here
HARNESS, SUPABASE = "dbharness", "supabase"  # the two layouts
_LAYOUT_HINT = (
    "a schema directory holds migrations/NNNN_<what>.sql (and optionally bootstrap/, seed/, "
    "dbharness/); a Supabase project holds supabase/config.toml and "
    "supabase/migrations/<timestamp>_<what>.sql (`supabase init`)"
)


def supabase_root(path: Path) -> Path | None:
    """Return the ``supabase/`` folder of a Supabase CLI project at ``path``, if it is one."""
    for candidate in (path / SUPABASE_DIR, path):
        if (candidate / SUPABASE_CONFIG).is_file() and (
            candidate.name == SUPABASE_DIR or (candidate / "migrations").is_dir()
        ):
            return candidate
    return None


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
    layout: str = HARNESS

    @classmethod
    def open(cls, path: str | Path) -> SchemaDir:
        """Open and validate a schema directory; a usage error when it is not one.

        ``path`` may also be a Supabase CLI project (or its ``supabase/`` folder). The default
        ``schema`` falls back to a Supabase project in the working directory when it is missing.
        """
        root = Path(path)
        if not root.is_dir() and root == DEFAULT_SCHEMA and supabase_root(Path.cwd()):
            root = Path(".")
        if not root.is_dir():
            raise ConfigError(
                f"schema directory not found: {root}",
                hint="pass --schema DIR (or set schema in dbharness.toml); " + _LAYOUT_HINT,
            )
        supa = supabase_root(root)
        if supa is not None:
            if not (supa / "migrations").is_dir():
                raise ConfigError(
                    f"the Supabase project {supa} has no migrations/ directory",
                    hint="create the first one with `supabase migration new <name>`",
                )
            sd = cls(supa, SUPABASE)
        elif not (root / "migrations").is_dir():
            raise ConfigError(f"{root} has no migrations/ directory", hint=_LAYOUT_HINT)
        else:
            sd = cls(root)
        _ = sd.migrations  # validate names early
        return sd

    @property
    def is_supabase(self) -> bool:
        """Whether this is a Supabase CLI project's ``supabase/`` folder."""
        return self.layout == SUPABASE

    def supabase_config(self) -> dict[str, Any]:
        """Return the Supabase project's ``config.toml`` (empty for the harness's own layout)."""
        path = self.root / SUPABASE_CONFIG
        if not self.is_supabase or not path.is_file():
            return {}
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from None

    def _sql(self, sub: str) -> list[SqlFile]:
        d = self.root / sub
        return [SqlFile(p) for p in sorted(d.glob("*.sql"))] if d.is_dir() else []

    @property
    def bootstrap(self) -> list[SqlFile]:
        """The bootstrap files (vanilla PostgreSQL stand-ins for Supabase), in name order."""
        return [] if self.is_supabase else self._sql("bootstrap")

    @property
    def migrations(self) -> list[SqlFile]:
        """The migrations in name (for Supabase: timestamp) order; a misnamed file is an error."""
        files = self._sql("migrations")
        pattern, form = (
            (SUPABASE_MIGRATION_NAME, "<14-digit timestamp>_<what>.sql")
            if self.is_supabase else (MIGRATION_NAME, "NNNN_<what>.sql")
        )
        for f in files:
            if not pattern.match(f.name):
                raise ConfigError(
                    f"migration file name not of the form {form}: {f.path}",
                    hint="`supabase migration new <name>` names them" if self.is_supabase
                    else None,
                )
        return files

    @property
    def seed(self) -> list[SqlFile]:
        """The seed data files, in name order (Supabase: ``[db.seed] sql_paths``, else seed.sql)."""
        if not self.is_supabase:
            return self._sql("seed")
        seed = self.supabase_config().get("db", {}).get("seed", {})
        if seed.get("enabled", True) is False:
            return []
        patterns = seed.get("sql_paths", ["./seed.sql"])
        found: list[SqlFile] = []
        for pattern in patterns if isinstance(patterns, list) else [patterns]:
            # the CLI resolves them against supabase/ and loads each glob's matches in name order
            for p in sorted(self.root.glob(str(pattern).removeprefix("./"))):
                if p.is_file() and SqlFile(p) not in found:
                    found.append(SqlFile(p))
        return found

    @property
    def tests(self) -> list[SqlFile]:
        """SQL test files (pgTAP) under ``tests/``, recursively, in path order."""
        d = self.root / "tests"
        return [SqlFile(p) for p in sorted(d.rglob("*.sql"))] if d.is_dir() else []

    def plugin(self, name: str) -> Path | None:
        """Path of plug-in data ``dbharness/<name>`` (e.g. ``access.toml``) if the schema has it."""
        p = self.root / "dbharness" / name
        return p if p.exists() else None
