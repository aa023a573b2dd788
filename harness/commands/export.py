"""``dbharness export``: write what the harness knows in other tools' formats.

``export pgtap`` writes the access matrix (``dbharness/access.toml``) as pgTAP files, for CI that
runs only pg_prove or ``supabase test db``. The cases are chosen on a throwaway copy of the schema
with its seed data, the rows the exported tests name.
"""

from __future__ import annotations

from pathlib import Path

import click
import psycopg

from harness.access.matrix import load_matrix
from harness.cli_options import config_option, platform_option, schema_option
from harness.config import load_config
from harness.errors import ConfigError
from harness.pgtap.export import export_pgtap
from harness.platform import profile
from harness.schema_dir import SchemaDir
from harness.server import open_server
from harness.workspace import Workspace

DEFAULT_OUT = "pgtap"  # under the report folder


@click.group("export")
def command() -> None:
    """Write the schema's harness data in other tools' formats."""


@command.command("pgtap")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help=f"Folder for the files (default: <report-dir>/{DEFAULT_OUT}); exported files "
              "already there are replaced.")
@schema_option
@click.option("--dsn", help="Server to build the throwaway copy on (default: DATABASE_URL or "
              "PG* variables, else an embedded temporary cluster).")
@config_option
@platform_option
def pgtap(
    out: Path | None,
    schema: Path | None,
    dsn: str | None,
    config_file: Path | None,
    platform: str | None,
) -> None:
    """Write the access matrix as pgTAP tests: per role and table, what may be read and written.

    One file per actor (a seed profile per app role, anon, service_role); the files pass under
    pg_prove and `supabase test db` on a database holding the schema and its seed data.
    """
    config = load_config(config_file).with_overrides(schema=schema, dsn=dsn, platform=platform)
    base = profile(config.platform)
    sd = SchemaDir.open(config.schema)
    source = sd.plugin("access.toml")
    if source is None:
        raise ConfigError(
            f"{sd.root} has no dbharness/access.toml: there is no access matrix to export",
            hint="write the matrix first (see docs/access-interpretation.md)",
        )
    matrix = load_matrix(source)
    target = out or config.report_dir / DEFAULT_OUT
    click.secho("building a throwaway copy of the schema with its seed data", dim=True, err=True)
    # Loaded twice: the tests may only name rows the seed makes the same way every time.
    with open_server(config) as server, \
            Workspace(server, sd, seed_data=True, platform=base) as ws, \
            Workspace(server, sd, seed_data=True, platform=base) as ws2, ws.clone() as clone, \
            psycopg.connect(clone, autocommit=True) as conn, \
            psycopg.connect(ws2.scratch_dsn, autocommit=True) as again:
        written = export_pgtap(conn, again, matrix, target,
                               f"{sd.root.name}/dbharness/access.toml")
    click.echo(f"wrote {len(written.files)} files, {written.tests} tests to {target}/")
    click.echo(f"run them: pg_prove -d <database with the schema and seed> {target}/*.sql")
    if written.disagreements:
        click.secho(
            f"note: the database already disagrees with the matrix on {len(written.disagreements)}"
            " exported case(s); those tests fail until one of the two is fixed:",
            fg="yellow", err=True,
        )
        for d in written.disagreements:
            click.secho(f"  {d}", fg="yellow", err=True)
