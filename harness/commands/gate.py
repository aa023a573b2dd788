"""``dbharness gate``: judge a schema change against a base git revision (CI's one command).

New migrations are linted (squawk, our pglast rules, sqlfluff), replayed from zero and on
top of the base, the checked-in dump is compared, then every other suite runs on the head
schema; findings the base did not have are marked new.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import click

from harness.access.drift import ACC_CHANGED, ACC_STALE, AccessDrift
from harness.access.drift import OPTION_KEY as ACCESS_KEY
from harness.cli_options import run_options
from harness.commands._access import gate_drift
from harness.commands._gate_baseline import GATE_SUITE, Baseline, marking_registry
from harness.commands._run import run_and_report
from harness.config import HarnessConfig, load_config
from harness.gate.gitrev import GitRepo, checkout_schema_at, schema_identical
from harness.gate.pipeline import OPTION_KEY, GateOptions, GateResult, run_gate
from harness.platform import profile
from harness.registry import load_suites
from harness.reporting.terminal import NORMAL, QUIET
from harness.runner import select_checks
from harness.schema_dir import SchemaDir


@click.command("gate")
@click.option("--base", required=True, metavar="REV", help="Git revision to compare with.")
@run_options
@click.option(
    "--dump",
    "dump_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Checked-in schema dump to compare (default: <schema>/dump.sql).",
)
@click.option(
    "--full-lint/--changed-lint",
    default=True,
    show_default=True,
    help="sqlfluff on every schema file, or only on new and edited migrations.",
)
@click.option(
    "--baseline/--no-baseline",
    default=True,
    show_default=True,
    help="Also run the other suites on the base schema to mark new findings.",
)
@click.option(
    "--access/--no-access",
    default=True,
    show_default=True,
    help="Record the effective access of base and head and compare them (ACC001, ACC002).",
)
@click.option("--gate-only", is_flag=True, help="Run only the gate's own checks (suite gate).")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems and the summary.")
@click.option("-v", "--verbose", count=True, help="Also print progress and timings.")
def command(
    base: str,
    schema: Path | None,
    dsn: str | None,
    postgres_version: int | None,
    platform: str | None,
    report_dir: Path | None,
    formats: tuple[str, ...],
    config_file: Path | None,
    fail_on: str | None,
    dump_path: Path | None,
    full_lint: bool,
    baseline: bool,
    access: bool,
    gate_only: bool,
    quiet: bool,
    verbose: int,
) -> int:
    """Gate a schema change against --base; exit 0 pass, 1 findings, 2 usage or environment."""
    from harness.server import open_server

    config = load_config(config_file).with_overrides(
        schema=schema,
        dsn=dsn,
        postgres_version=postgres_version,
        platform=platform,
        report_dir=report_dir,
        formats=formats,
        fail_on=fail_on,
        suites=(GATE_SUITE,) if gate_only else None,
    )
    # the API roles that obey RLS (as the security suites count them): widening to them is high
    privileged = tuple(config.options.get("privileged_api_roles", ("service_role",)))
    options = GateOptions(
        base=base,
        schema=config.schema,
        dump_path=dump_path,
        full_lint=full_lint,
        client_roles=tuple(r for r in config.api_roles if r not in privileged),
        platform=profile(config.platform),
        defer_style=True,  # sqlfluff lints while the suites run; MIG300 waits for it
    )

    def progress(msg: str) -> None:
        if verbose:
            click.echo(f"gate: access: {msg}", err=True)

    with open_server(config) as server:
        result = run_gate(options, server.admin_dsn)
        if access:
            try:
                drift = gate_drift(config, server.admin_dsn, result.base_sha,
                                   bool(result.changes.base_files), progress)
            except BaseException:
                result.close()
                raise
            result.timings.update(drift.timings)
        else:
            off = "--no-access: effective access not recorded"
            drift = AccessDrift(skipped={ACC_CHANGED: off, ACC_STALE: off})
        config = replace(config, options={**config.options, ACCESS_KEY: drift})
    try:
        code, ran = _run_suites(config, result, baseline=baseline,
                                verbosity=QUIET if quiet else NORMAL + verbose)
    finally:
        result.close()
    if verbose:
        for step, seconds in result.timings.items():
            click.echo(f"gate: {step} {seconds:.1f}s", err=True)
        if ran is not None:
            click.echo(f"gate: baseline pass ran on the base schema: {', '.join(ran) or 'none'}",
                       err=True)
    return code


def _run_suites(
    config: HarnessConfig, result: GateResult, *, baseline: bool, verbosity: int
) -> tuple[int, list[str] | None]:
    """Run the gate's checks and the other suites on head; the exit code and the baseline's run.

    The checks the baseline pass ran on the base schema are None when there was no pass.
    """
    config = replace(config, options={**config.options, OPTION_KEY: result})
    registry = load_suites()
    others = [c for c in select_checks(registry, config) if c.suite != GATE_SUITE]
    if not (baseline and others and result.changes.base_files):
        code = run_and_report(
            config, verbosity=verbosity, registry=marking_registry(registry, None)
        )
        return code, None
    repo = GitRepo.containing(config.schema)
    with tempfile.TemporaryDirectory(prefix="dbharness-baseline-") as tmp:
        identical = schema_identical(repo, result.base_sha, config.schema)
        base_schema = None if identical else SchemaDir.open(
            checkout_schema_at(repo, result.base_sha, config.schema, Path(tmp))
        )
        pass_ = Baseline(config, base_schema, identical=identical,
                         warn=lambda msg: click.echo(msg, err=True))
        try:
            code = run_and_report(
                config, verbosity=verbosity, registry=marking_registry(registry, pass_)
            )
        finally:
            pass_.close()
    return code, pass_.checks_run
