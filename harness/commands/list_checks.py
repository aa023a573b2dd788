"""``dbharness list-checks``: the registered checks, as a table, JSON or the Markdown catalogue.

``docs/checks.md`` is this command's Markdown output, so the catalogue cannot drift from the
registry (a test compares them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from harness import registry
from harness.registry import Check

CATALOGUE = "docs/checks.md"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def catalogue(checks: Iterable[Check]) -> str:
    """Render the check catalogue as Markdown: a table, then each check's why and fix."""
    checks = list(checks)
    out = [
        "# Check catalogue",
        "",
        "Generated from the registry by `dbharness list-checks --format markdown`; do not edit.",
        "`dbharness explain ID` prints one entry. Exit codes and severities: README.md.",
        "",
        "| ID | Severity | Family | Suite | Title |",
        "|---|---|---|---|---|",
    ]
    out += [
        f"| [{c.id}](#{c.id.lower()}) | {c.severity.value} | {c.family} | {c.suite} "
        f"| {c.title} |"
        for c in checks
    ]
    for c in checks:
        out += ["", f"## {c.id}", "", f"**{c.title}** ({c.severity.value}, {c.family}, "
                f"suite `{c.suite}`)", "", f"Why: {_one_line(c.rationale)}", "",
                f"Fix: {_one_line(c.remedy)}"]
        if c.needs:
            out += ["", "Needs: " + ", ".join(f"`dbharness/{n}`" for n in c.needs)]
        if c.offline:
            out += ["", "Runs without a database (also when the schema does not apply)."]
    return "\n".join(out) + "\n"


@click.command("list-checks")
@click.option("--suite", "suites", multiple=True, metavar="NAME", help="Only this suite (repeat).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help=f"markdown: the catalogue kept in {CATALOGUE}.",
)
def command(suites: tuple[str, ...], fmt: str) -> None:
    """List the checks with their ID, severity, family, suite and title."""
    checks = registry.load_suites().select(suites)
    if fmt == "markdown":
        click.echo(catalogue(checks), nl=False)
        return
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
