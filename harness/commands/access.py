"""``dbharness access``: record a schema's effective access as a reviewable file, and diff two.

``record`` builds the schema with its seed data in a scratch database, signs fresh users up,
acts as every persona on every exposed relation and function (each probe rolled back) and
writes ``<schema>/dbharness/access-snapshot.toml``. ``diff`` says who gained or lost what
between two such files.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from harness.access.effective import diff, differences, load, summarize, to_toml
from harness.cli_options import config_option, pg_option, platform_option, schema_option
from harness.commands._access import record_schema, snapshot_path
from harness.config import load_config
from harness.errors import ConfigError
from harness.schema_dir import SchemaDir

EXIT_DIFFERENT = 1


@click.group("access")
def command() -> None:
    """Effective access: record it as a snapshot file, compare two snapshots."""


@command.command("record")
@schema_option
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the snapshot (default: <schema>/dbharness/access-snapshot.toml; "
    "'-' for standard output).",
)
@click.option("--dsn", help="libpq DSN of a server for the scratch database.")
@pg_option
@platform_option
@config_option
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing: compare with the file at --output (default: the committed snapshot) "
    "and exit 1 naming what differs.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress lines, only the summary.")
def record(
    schema: Path | None,
    output: Path | None,
    dsn: str | None,
    postgres_version: int | None,
    platform: str | None,
    config_file: Path | None,
    check: bool,
    quiet: bool,
) -> int:
    """Act as every persona on every exposed table, view and function; write what each could do."""
    from harness.server import open_server

    config = load_config(config_file).with_overrides(
        schema=schema, dsn=dsn, postgres_version=postgres_version, platform=platform
    )
    sd = SchemaDir.open(config.schema)
    target = output or snapshot_path(sd)
    if check and (target == Path("-") or not target.is_file()):
        raise ConfigError(f"--check: no snapshot at {target} to compare with",
                          hint="record one first: dbharness access record")
    if not config.exposed_schemas:
        raise ConfigError("no exposed schemas to record", hint="set exposed_schemas in the config")

    def progress(msg: str) -> None:
        if not quiet:
            click.echo(f"access: {msg}", err=True)

    t0 = time.perf_counter()
    with open_server(config) as server:
        rec = record_schema(server.admin_dsn, sd, config, progress)
    elapsed = time.perf_counter() - t0
    text = to_toml(rec, made_by="dbharness access record")
    counts = ", ".join(f"{v} {k}" for k, v in rec.counts().items())
    for note in rec.notes:
        click.echo(f"access: note: {note}", err=True)
    if check:
        stale = differences(load(target), rec)
        for change in stale:
            click.echo(change.describe())
        click.echo(f"{target}: " + (f"{len(stale)} difference(s); re-record and commit"
                                     if stale else "current"))
        return EXIT_DIFFERENT if stale else 0
    if output == Path("-"):
        click.echo(text, nl=False)
        click.echo(f"access: {counts} in {elapsed:.1f}s", err=True)
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target}: {counts} in {elapsed:.1f}s")
    return 0


@command.command("diff")
@click.argument("before", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("after", type=click.Path(path_type=Path, dir_okay=False, exists=True))
def diff_command(before: Path, after: Path) -> int:
    """Say who gained or lost which command where, from BEFORE to AFTER; exit 1 if any."""
    changes = diff(load(before), load(after))
    for line in summarize(changes):
        click.echo(line)
    if not changes:
        click.echo("no change of effective access")
        return 0
    gained = sum(c.direction == "gained" for c in changes)
    click.echo(f"{len(changes)} change(s), {gained} gained")
    return EXIT_DIFFERENT
