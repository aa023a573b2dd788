"""``dbharness list-checks``: the registered checks, as a table or JSON."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from harness import registry


@click.command("list-checks")
@click.option("--suite", "suites", multiple=True, metavar="NAME", help="Only this suite (repeat).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def command(suites: tuple[str, ...], fmt: str) -> None:
    """List the checks with their ID, severity, family, suite and title."""
    checks = registry.load_suites().select(suites)
    if fmt == "json":
        rows = [
            {
                "id": c.id,
                "title": c.title,
                "severity": c.severity.value,
                "family": c.family,
                "suite": c.suite,
                "needs": list(c.needs),
            }
            for c in checks
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    table = Table("ID", "Severity", "Family", "Suite", "Title")
    for c in checks:
        table.add_row(c.id, c.severity.value, c.family, c.suite, escape(c.title))
    Console(highlight=False).print(table)
