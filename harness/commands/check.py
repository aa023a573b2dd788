"""``dbharness check``: run the checks against a throwaway copy of the schema and report."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from harness.cli_options import run_options
from harness.commands._run import run_and_report
from harness.config import load_config
from harness.reporting.terminal import NORMAL, QUIET


@click.command("check")
@run_options
@click.option("--suite", "suites", multiple=True, metavar="NAME", help="Run this suite (repeat).")
@click.option("--check", "checks", multiple=True, metavar="ID", help="Run this check (repeat).")
@click.option("--seed", type=int, help="Seed for data generation and property tests.")
@click.option("--cases", "rls_cases", type=click.IntRange(min=1), help="RLS property cases.")
@click.option("--no-seed-data", is_flag=True, help="Do not load the schema's seed/ data.")
@click.option(
    "--api",
    "api_mode",
    type=click.Choice(["postgrest", "none"]),
    help="Run the API suite through a private PostgREST, or not (default: when it is installed).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems and the summary.")
@click.option(
    "-v", "--verbose", count=True, help="Also print progress, suppressed findings, tracebacks."
)
def command(
    schema: Path | None,
    dsn: str | None,
    postgres_version: int | None,
    platform: str | None,
    suites: tuple[str, ...],
    checks: tuple[str, ...],
    seed: int | None,
    report_dir: Path | None,
    formats: tuple[str, ...],
    config_file: Path | None,
    fail_on: str | None,
    rls_cases: int | None,
    no_seed_data: bool,
    api_mode: str | None,
    quiet: bool,
    verbose: int,
) -> int:
    """Run checks against the schema; exit 0 pass, 1 findings, 2 could not judge.

    Exit 2 covers usage and environment errors and any check that could not run.
    """
    config = load_config(config_file)
    config = config.with_overrides(
        api=replace(config.api, mode=api_mode) if api_mode else None,
        schema=schema,
        dsn=dsn,
        postgres_version=postgres_version,
        platform=platform,
        suites=suites,
        checks=checks,
        seed=seed,
        report_dir=report_dir,
        formats=formats,
        fail_on=fail_on,
        rls_cases=rls_cases,
        load_seed_data=False if no_seed_data else None,
    )
    verbosity = QUIET if quiet else NORMAL + verbose
    return run_and_report(config, verbosity=verbosity)
