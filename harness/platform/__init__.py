"""Platform profiles: what a hosting platform gives a database before the first migration runs.

A Supabase project's migrations take for granted roles, schemas and helpers that the platform
created (``anon``/``authenticated``/``service_role``, ``auth.users`` and ``auth.uid()``,
``storage.objects``, ``extensions``, the database's ``search_path``). A profile is that base,
written as idempotent SQL files the harness runs before the schema's own ``bootstrap/``, plus
the database settings the harness applies to every database it creates (a file cannot: the
harness resets the session after each file, and ``CREATE DATABASE ... TEMPLATE`` does not copy
``ALTER DATABASE ... SET``).

Profiles:

- ``supabase``: a project created since 30 May 2026. Tables, sequences and functions created in
  ``public`` are granted to no API role: each migration grants what the Data API may reach.
- ``supabase-2025``: the older grant model. Default privileges give the API roles everything the
  migrating role creates in ``public``, and RLS alone decides.
- ``none``: vanilla PostgreSQL; the schema's ``bootstrap/`` provides whatever it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from harness.config import PLATFORMS
from harness.errors import ConfigError
from harness.schema_dir import SqlFile

_HERE = Path(__file__).resolve().parent
SUPABASE_SQL = _HERE / "supabase"  # the base every Supabase profile starts from
SUPABASE_2025_SQL = _HERE / "supabase-2025"

API_ROLES = ("anon", "authenticated", "service_role")
# What a new project's database says before any migration: Supabase lists extensions after public
# so extension functions resolve unqualified.
SUPABASE_SEARCH_PATH = '"$user", public, extensions'
# Object kinds ALTER DEFAULT PRIVILEGES names, and the privileges "ALL" means for each.
ALL_PRIVILEGES: Mapping[str, tuple[str, ...]] = {
    "tables": ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"),
    "sequences": ("USAGE", "SELECT", "UPDATE"),
    "functions": ("EXECUTE",),
}
# Extensions Supabase installs in every project (schema extensions) that Debian's and the npm
# registry's PostgreSQL packages provide; the others (pg_graphql, pgjwt, supabase_vault,
# pgsodium, pg_net, ...) are not packaged for the harness's servers.
PROVIDED_EXTENSIONS = ("pgcrypto", "uuid-ossp", "pg_stat_statements")
NOT_PACKAGED_EXTENSIONS = (
    "pg_graphql", "pgjwt", "supabase_vault", "pgsodium", "pg_net", "pg_cron", "pgaudit",
    "wrappers", "pg_jsonschema", "index_advisor", "hypopg", "pgroonga", "timescaledb",
)


@dataclass(frozen=True)
class Profile:
    """One platform base: SQL files in order, database settings, and the grant model."""

    name: str
    summary: str
    folders: tuple[Path, ...] = ()
    settings: Mapping[str, str] = field(default_factory=dict)
    # (schema, object kind) -> roles the platform's default privileges grant ALL to.
    default_grants: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    @property
    def files(self) -> list[SqlFile]:
        """The SQL files of the base, in folder then name order."""
        return [SqlFile(p) for d in self.folders for p in sorted(d.glob("*.sql"))]

    @property
    def is_supabase(self) -> bool:
        """Whether the base reproduces a Supabase project (auth, storage, API roles)."""
        return bool(self.folders)

    def default_privileges(self, schema: str, kind: str, role: str) -> tuple[str, ...]:
        """Return what the platform's default privileges give ``role`` on a new ``kind``."""
        if role in self.default_grants.get((schema, kind), ()):
            return ALL_PRIVILEGES[kind]
        return ()

    def describe_defaults(self) -> str:
        """One line saying what the default privileges grant, for reports."""
        if not self.default_grants:
            return f"platform {self.name}: no default grants to the API roles"
        parts = [
            f"{kind} in {schema} to {', '.join(roles)}"
            for (schema, kind), roles in sorted(self.default_grants.items())
        ]
        return f"platform {self.name}: default privileges grant ALL on " + "; ".join(parts)


PROFILES: Mapping[str, Profile] = {
    "supabase": Profile(
        "supabase",
        "Supabase, grant model of projects created since 30 May 2026 (explicit GRANTs)",
        (SUPABASE_SQL,),
        {"search_path": SUPABASE_SEARCH_PATH},
    ),
    "supabase-2025": Profile(
        "supabase-2025",
        "Supabase, older grant model (public's tables, sequences, functions granted to the "
        "API roles by default)",
        (SUPABASE_SQL, SUPABASE_2025_SQL),
        {"search_path": SUPABASE_SEARCH_PATH},
        {("public", kind): API_ROLES for kind in ALL_PRIVILEGES},
    ),
    "none": Profile("none", "vanilla PostgreSQL: nothing before the schema's own bootstrap/"),
}
DEFAULT_PROFILE = "supabase"
assert tuple(PROFILES) == PLATFORMS, "harness.config.PLATFORMS names the profiles defined here"


def profile(name: str) -> Profile:
    """Return the profile called ``name``; an unknown name is a usage error listing the known."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ConfigError(
            f"unknown platform profile {name!r}",
            hint=f"known profiles: {', '.join(PROFILES)}",
        ) from None


def apply_settings(conn: psycopg.Connection[Any], prof: Profile, database: str) -> None:
    """Give ``database`` the profile's settings (new sessions there start with them)."""
    for key, value in prof.settings.items():
        conn.execute(
            sql.SQL("alter database {} set {} = {}").format(
                sql.Identifier(database), sql.Identifier(key), sql.SQL(value)
            )
        )


def missing_extension_hint(message: str, prof: Profile) -> str | None:
    """Explain a failed CREATE EXTENSION: which extension, and whether Supabase has it."""
    lowered = message.lower()
    if "extension" not in lowered:
        return None
    for name in NOT_PACKAGED_EXTENSIONS:
        if f'"{name}"' in lowered or f"/{name}.control" in lowered:
            return (
                f"extension {name} is available on hosted Supabase but not packaged for this "
                f"server (platform profile {prof.name} provides "
                f"{', '.join(PROVIDED_EXTENSIONS)}); the checks that depend on it cannot run here"
            )
    return None
