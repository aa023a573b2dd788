"""``dbharness migrate``: apply the schema to an existing database, as a deploy would.

Bootstrap files (vanilla PostgreSQL stand-ins for Supabase) re-run every time and are
idempotent; migrations run once each, recorded in the ledger, so a second run applies nothing.
"""

from __future__ import annotations

from pathlib import Path

import click
import psycopg

from harness.config import load_config
from harness.errors import ConnectionFailed
from harness.migrate import apply_schema
from harness.runner import redact_dsn
from harness.schema_dir import SchemaDir


@click.command("migrate")
@click.option(
    "--dsn", required=True, envvar="DATABASE_URL", help="Database to migrate (env DATABASE_URL)."
)
@click.option(
    "--schema",
    type=click.Path(path_type=Path, file_okay=False),
    help="Schema directory (default: from the config file, else ./schema).",
)
@click.option("--with-seed", is_flag=True, help="Also load seed/ (demo data; not ledgered).")
@click.option(
    "--no-bootstrap",
    is_flag=True,
    help="Skip bootstrap/ (on Supabase, which provides auth, storage and the API roles).",
)
def command(dsn: str, schema: Path | None, with_seed: bool, no_bootstrap: bool) -> None:
    """Apply bootstrap, new migrations (and seed data) to the database at DSN."""
    sd = SchemaDir.open(schema or load_config().schema)
    try:
        applied = apply_schema(dsn, sd, bootstrap=not no_bootstrap, seed=with_seed)
    except psycopg.OperationalError as exc:
        raise ConnectionFailed(
            f"cannot connect to {redact_dsn(dsn)}: {str(exc).strip()}",
            hint="check the DSN, and that the server is running and accepts connections",
        ) from None
    bootstrap = [a for a in applied if a.startswith("bootstrap/")]
    changes = [a for a in applied if not a.startswith("bootstrap/")]
    if bootstrap:
        click.secho(f"bootstrap re-applied ({len(bootstrap)} idempotent files)", dim=True)
    for name in changes:
        click.echo(f"applied {name}")
    if not changes:
        click.echo("nothing applied: the database is up to date")
