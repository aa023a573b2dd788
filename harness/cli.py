"""The ``dbharness`` command line.

A click group; each command lives in its own module under ``harness/commands/`` and is found
there, so adding a command touches no other file. ``main`` maps errors to exit codes: 0 pass,
1 findings, 2 usage or environment error, 130 interrupted.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence

import click

from harness import __version__, commands
from harness.errors import HarnessError
from harness.events import EXIT_ERROR, EXIT_OK

EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dbharness")
def cli() -> None:
    """Database quality and security test harness for PostgreSQL and Supabase schemas."""


def _register_commands(group: click.Group) -> None:
    for mod in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{mod.name}")
        cmd = getattr(module, "command", None)
        if not isinstance(cmd, click.Command):
            raise TypeError(f"{module.__name__} must define `command`, a click command")
        group.add_command(cmd)


_register_commands(cli)


def report_error(exc: HarnessError) -> None:
    """Print a harness error as ``error: ...`` (+ hint) on stderr, in red on a terminal."""
    click.secho(f"error: {exc.message}", fg="red", err=True)
    if exc.hint:
        click.secho(f"  hint: {exc.hint}", err=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (the console script passes it to ``sys.exit``)."""
    try:
        rv = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="dbharness",
            standalone_mode=False,
        )
    except HarnessError as exc:
        report_error(exc)
        return EXIT_ERROR
    except (click.exceptions.Abort, KeyboardInterrupt):
        # Provisioning context managers have already dropped databases and stopped servers.
        click.secho("interrupted", fg="yellow", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:  # usage errors: exit code 2 from click
        exc.show()
        return exc.exit_code
    return rv if isinstance(rv, int) else EXIT_OK
