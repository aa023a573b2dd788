"""``dbharness init``: write a starter ``dbharness.toml`` for the project in the working directory.

It reads what the project already says about itself: a Supabase CLI project's ``config.toml``
gives the exposed schemas (``[api] schemas``) and the PostgreSQL major (``[db] major_version``);
a harness-layout ``schema/`` folder gives the schema path. Files that exist are left alone
unless ``--force``.
"""

from __future__ import annotations

from pathlib import Path

import click

from harness.errors import ConfigError
from harness.platform import DEFAULT_PROFILE
from harness.schema_dir import DEFAULT_SCHEMA, SchemaDir

CONFIG_NAME = "dbharness.toml"
# Schemas the Data API serves that the platform, not the project, fills.
_PLATFORM_API_SCHEMAS = ("graphql_public", "storage", "auth")


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


def starter_config(schema: SchemaDir, schema_arg: str) -> str:
    """Return a starter config for ``schema`` (named ``schema_arg`` in the file)."""
    supa = schema.supabase_config()
    api = supa.get("api", {})
    exposed = [s for s in api.get("schemas", ["public"]) if s not in _PLATFORM_API_SCHEMAS]
    major = supa.get("db", {}).get("major_version")
    lines = [
        "# dbharness configuration: `dbharness check` runs every suite on a throwaway copy of",
        "# the schema; `dbharness --help` lists the commands.",
        f'schema = "{schema_arg}"',
        "# What the database holds before the first migration: supabase (roles, auth, storage,",
        "# extensions; tables granted to no API role, as new projects since 2026),",
        "# supabase-2025 (the older default grants in public) or none (vanilla PostgreSQL).",
        f'platform = "{DEFAULT_PROFILE}"',
        "# Schemas the Data API exposes (from config.toml [api] schemas when there is one).",
        f"exposed_schemas = {_toml_list(exposed or ['public'])}",
        "# The lowest finding severity that fails a run (info findings never do).",
        'fail_on = "low"',
    ]
    if isinstance(major, int) and not isinstance(major, bool):
        lines += ["# The embedded server's major, as the hosted project's.",
                  f"postgres_version = {major}"]
    lines += [
        "",
        "# A finding that is intended: silence it with the reason a reviewer can judge.",
        "# [[suppressions]]",
        '# check = "PRV007"',
        '# object = "public.countries"',
        '# reason = "public lookup table, read by anonymous visitors on purpose"',
        "",
    ]
    return "\n".join(lines)


@click.command("init")
@click.option("--schema", "schema_arg", metavar="DIR",
              help="The schema folder or Supabase project (default: ./supabase, else ./schema).")
@click.option("--force", is_flag=True, help=f"Overwrite an existing {CONFIG_NAME}.")
def command(schema_arg: str | None, force: bool) -> None:
    """Write a starter dbharness.toml for the project here (existing files are left alone)."""
    here = Path.cwd()
    if schema_arg is None:
        schema_arg = "supabase" if (here / "supabase").is_dir() else str(DEFAULT_SCHEMA)
    try:
        schema = SchemaDir.open(here / schema_arg)
    except ConfigError as exc:
        raise ConfigError(
            f"no schema to configure here: {exc.message}",
            hint="run `dbharness init` at the root of a Supabase project (supabase/config.toml) "
            "or of a folder with schema/migrations/, or pass --schema DIR",
        ) from None
    target = here / CONFIG_NAME
    if target.exists() and not force:
        click.echo(f"{CONFIG_NAME} exists: left alone (--force to overwrite it)")
        return
    shown = schema.root.relative_to(here) if schema.root.is_relative_to(here) else schema.root
    target.write_text(starter_config(schema, str(shown)), encoding="utf-8")
    kind = "Supabase project" if schema.is_supabase else "schema folder"
    click.echo(f"wrote {CONFIG_NAME} for the {kind} {shown} "
               f"({len(schema.migrations)} migrations, {len(schema.seed)} seed files, "
               f"{len(schema.tests)} pgTAP files)")
    click.echo("next: dbharness check")
