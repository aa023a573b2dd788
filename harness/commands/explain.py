"""``dbharness explain ID``: what a check looks for, why it matters and how to fix a finding."""

from __future__ import annotations

import click
from rich.console import Console
from rich.markup import escape

from harness import registry


@click.command("explain")
@click.argument("check_id")
def command(check_id: str) -> None:
    """Explain check CHECK_ID: title, severity, family, suite, rationale and remedy."""
    c = registry.load_suites().get(check_id)
    out = Console(highlight=False)
    out.print(f"[bold]{c.id}[/] {escape(c.title)}")
    out.print(f"severity: {c.severity.value}   family: {c.family}   suite: {c.suite}")
    if c.needs:
        out.print(f"needs: {', '.join(c.needs)} (plug-in data under the schema's dbharness/)")
    out.print(f"\n[bold]Why[/]\n{escape(c.rationale.strip())}")
    out.print(f"\n[bold]Fix[/]\n{escape(c.remedy.strip())}")
    out.print(f"\n[dim]All checks: docs/checks.md#{c.id.lower()}; budgets: docs/budgets.md[/]")
