"""``dbharness migrate``: apply the schema to an existing database, as a deploy would.

Bootstrap files (vanilla PostgreSQL stand-ins for Supabase) re-run every time and are
idempotent; migrations run once each, recorded in the ledger, so a second run applies nothing.
"""

from __future__ import annotations

from pathlib import Path

import click
import psycopg

from harness.cli_options import platform_option, schema_option
from harness.config import load_config
from harness.errors import ConnectionFailed, HarnessError, SchemaApplyError
from harness.migrate import apply_schema, record_seed, seed_ledger
from harness.platform import profile
from harness.runner import redact_dsn
from harness.schema_dir import SchemaDir


@click.command("migrate")
@click.option(
    "--dsn", required=True, envvar="DATABASE_URL", help="Database to migrate (env DATABASE_URL)."
)
@schema_option
@click.option("--with-seed", is_flag=True, help="Also load seed/ (demo data; not ledgered).")
@click.option(
    "--no-bootstrap",
    is_flag=True,
    help="Skip the platform base and bootstrap/ (on Supabase, which provides auth, storage and "
    "the API roles).",
)
@platform_option
def command(
    dsn: str, schema: Path | None, with_seed: bool, no_bootstrap: bool, platform: str | None
) -> None:
    """Apply bootstrap, new migrations (and seed data) to the database at DSN.

    The seed loads once per database: a second ``--with-seed`` says it was loaded and skips it
    (its rows would collide with the first load's).
    """
    config = load_config().with_overrides(schema=schema, platform=platform)
    sd = SchemaDir.open(config.schema)
    try:
        seed = with_seed and _seed_wanted(dsn, sd)
        try:
            applied = apply_schema(dsn, sd, bootstrap=not no_bootstrap, seed=seed,
                                   platform=profile(config.platform))
        except SchemaApplyError as exc:
            if seed and exc.sqlstate == "23505" and exc.file.startswith("seed/"):
                raise HarnessError(
                    f"{exc.file}: the seed's rows are already there ({exc.error.splitlines()[0]})",
                    hint="the seed was loaded into this database before; load it into a fresh "
                    "database, or leave out --with-seed",
                ) from None
            raise
        if seed:
            record_seed(dsn, sd.seed)
    except psycopg.OperationalError as exc:
        raise ConnectionFailed(
            f"cannot connect to {redact_dsn(dsn)}: {str(exc).strip()}",
            hint="check the DSN, and that the server is running and accepts connections",
        ) from None
    bootstrap = [a for a in applied if a.startswith(("bootstrap/", "platform/"))]
    changes = [a for a in applied if not a.startswith(("bootstrap/", "platform/"))]
    if bootstrap:
        click.secho(f"bootstrap re-applied ({len(bootstrap)} idempotent files)", dim=True)
    for name in changes:
        click.echo(f"applied {name}")
    if not changes:
        click.echo("nothing applied: the database is up to date")


def _seed_wanted(dsn: str, sd: SchemaDir) -> bool:
    """Tell whether the seed still has to be loaded; say so when it was already."""
    loaded = seed_ledger(dsn)
    if not loaded:
        return True
    for f in sd.seed:
        if f.name in loaded and loaded[f.name][0] != f.checksum:
            raise HarnessError(
                f"seed/{f.name} changed since it was loaded on {loaded[f.name][1]}; loading "
                "it again would collide with the rows of the first load",
                hint="load the new seed into a fresh database",
            )
    when = max(w for _, w in loaded.values())
    click.echo(f"seed already loaded ({', '.join(sorted(loaded))} on {when}): not loading it "
               "again")
    return False
