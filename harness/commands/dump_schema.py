"""``dbharness dump-schema``: write the normalized schema dump that the gate compares (MIG402)."""

from __future__ import annotations

from pathlib import Path

import click

from harness.cli_options import config_option, pg_option, platform_option, schema_option
from harness.config import load_config
from harness.gate.dump import DEFAULT_DUMP, pg_dump
from harness.gate.scratch import scratch_database
from harness.platform import Profile, profile
from harness.schema_dir import SchemaDir


def build_dump(admin_dsn: str, schema: SchemaDir, platform: Profile | None = None) -> str:
    """Apply ``schema`` (platform base, bootstrap, migrations) to a scratch database; dump it."""
    from harness.migrate import apply_schema

    with scratch_database(admin_dsn, "dump") as dsn:
        apply_schema(dsn, schema, bootstrap=True, seed=False, platform=platform)
        return pg_dump(dsn)


@click.command("dump-schema")
@schema_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the dump (default: <schema>/dump.sql).",
)
@click.option("--dsn", help="libpq DSN of a server for the scratch database.")
@pg_option
@platform_option
@config_option
def command(
    schema: Path | None,
    out: Path | None,
    dsn: str | None,
    postgres_version: int | None,
    platform: str | None,
    config_file: Path | None,
) -> int:
    """Write the schema-only dump (no owners, no version header) for review diffs."""
    from harness.server import open_server

    config = load_config(config_file).with_overrides(
        schema=schema, dsn=dsn, postgres_version=postgres_version, platform=platform
    )
    sd = SchemaDir.open(config.schema)
    target = out or sd.root / DEFAULT_DUMP
    with open_server(config) as server:
        text = build_dump(server.admin_dsn, sd, profile(config.platform))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target} ({text.count(chr(10))} lines)")
    return 0
