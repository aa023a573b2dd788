"""``dbharness load``: drive the CMMS operation mix through pgbouncer with Locust, then pgbench.

Exit 0 when every threshold holds (no failed operation, p95 per operation within its class's
budget), 1 when one does not, 2 on a usage or environment problem (a missing binary, a port in
use, an open-files limit too low), with nothing left running in every case.

With ``--expect-workers N`` the command runs the Locust master only, bound with its pooler to
``--bind``, and waits for N ``dbharness load-worker --master HOST`` processes on other machines.
Without ``--dsn`` the embedded server commits durably (``--fast-commits`` turns that off).
"""

from __future__ import annotations

from pathlib import Path

import click

from harness.cli_options import config_option, pg_option, platform_option, schema_option
from harness.config import load_config
from harness.events import EXIT_FINDINGS, EXIT_OK
from harness.schema_dir import SchemaDir
from harness.server import open_server
from harness.workspace import new_run_id
from load import checks as _checks  # noqa: F401  (registers LOD100/LOD101)
from load import report, runner, server_info
from load.mix import OpClass


def _think(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    lo, _, hi = value.partition(":")
    try:
        pair = (float(lo), float(hi or lo))
    except ValueError:
        raise click.BadParameter("expected MIN:MAX seconds, e.g. 1:3") from None
    if pair[0] < 0 or pair[1] < pair[0]:
        raise click.BadParameter("expected 0 <= MIN <= MAX")
    return pair


@click.command("load")
@click.option("--preset", type=click.Choice(sorted(runner.PRESETS)), default="smoke",
              show_default=True, help="smoke: CI-sized; target: 10,000 users acting every 1-2 min "
              "(docs/budgets.md); peak: the same users every 10-30 s (capacity planning).")
@click.option("--users", "-u", type=click.IntRange(min=1), help="Concurrent simulated users.")
@click.option("--spawn-rate", "-r", type=click.FloatRange(min=0.1), help="Users started per s.")
@click.option("--duration", "-t", "duration_s", type=click.IntRange(min=1),
              help="Seconds of load (ramp-up included).")
@click.option("--via", type=click.Choice(["pgbouncer", "direct", "postgrest"]),
              help="Connect through a private pgbouncer (transaction pooling) or directly; "
              "postgrest: HTTP users through a private PostgREST (the real API path), then the "
              "SQL users through pgbouncer, side by side in one report.")
@click.option("--processes", "-P", type=click.IntRange(min=1), help="Locust worker processes.")
@click.option("--think-time", "think", metavar="MIN:MAX", help="Seconds between operations.")
@click.option("--per-statement", "batched", flag_value=False, default=None,
              help="One round trip per statement (default: each transaction in one).")
@click.option("--port", type=click.IntRange(1, 65535), help="pgbouncer port (default: free).")
@click.option("--pool-size", type=click.IntRange(min=1), help="pgbouncer default_pool_size.")
@click.option("--pgbench-seconds", type=click.IntRange(min=1), help="Length of the pgbench run.")
@click.option("--pgbench-clients", type=click.IntRange(min=1), help="pgbench clients.")
@click.option("--scale", help="Dataset scale for the schema's generator (seed: seed data only).")
@click.option("--max-failure-ratio", type=click.FloatRange(0, 1), help="Allowed failures (0).")
@click.option("--p95-simple-ms", type=click.FloatRange(min=0), help="p95 budget, simple ops.")
@click.option("--p95-complex-ms", type=click.FloatRange(min=0), help="p95 budget, complex ops.")
@click.option("--fast-commits", "durable", flag_value=False, default=None,
              help="Embedded server only: fsync and synchronous_commit off (commits are then "
              "free: the figures no longer say what a real server does).")
@click.option("--cost-seconds", type=click.IntRange(min=0),
              help="After the load, run each operation alone this long and report its CPU, "
              "round trips and statements (default 0: skip).")
@click.option("--expect-workers", type=click.IntRange(min=1),
              help="Run the Locust master only and wait for this many `dbharness load-worker` "
              "processes (other machines).")
@click.option("--bind", metavar="HOST", help="With --expect-workers: the address the master "
              "and its pooler listen on (workers must reach it; 0.0.0.0 for all).")
@click.option("--master-port", type=click.IntRange(1, 65535),
              help="With --expect-workers: the master's port (default 5557).")
@click.option("--pgbouncer-bin", help="pgbouncer executable (default: from PATH).")
@click.option("--locust-bin", help="locust executable (default: from PATH).")
@click.option("--pgbench-bin", help="pgbench executable (default: from PATH).")
@click.option("--dsn", help="libpq DSN of the server (default: DATABASE_URL / PG*, else embedded).")
@pg_option
@platform_option
@schema_option
@click.option("--report-dir", type=click.Path(path_type=Path, file_okay=False),
              help="The report goes to <report-dir>/<run id>/.")
@config_option
def command(
    preset: str,
    think: str | None,
    max_failure_ratio: float | None,
    p95_simple_ms: float | None,
    p95_complex_ms: float | None,
    dsn: str | None,
    postgres_version: int | None,
    platform: str | None,
    schema: Path | None,
    report_dir: Path | None,
    config_file: Path | None,
    **overrides: object,
) -> int:
    """Load-test the schema: Locust users through pgbouncer, then pgbench; report and judge."""
    config = load_config(config_file).with_overrides(
        dsn=dsn, postgres_version=postgres_version, schema=schema, report_dir=report_dir,
        platform=platform,
    )
    base = runner.PRESETS[preset]
    p95 = dict(base.thresholds.p95_ms)
    if p95_simple_ms is not None:
        p95[OpClass.SIMPLE.value] = p95_simple_ms
    if p95_complex_ms is not None:
        p95[OpClass.COMPLEX.value] = p95_complex_ms
    thresholds = report.Thresholds(
        base.thresholds.max_failure_ratio if max_failure_ratio is None else max_failure_ratio,
        p95,
    )
    if (overrides.get("bind") or overrides.get("master_port")) and not overrides.get(
            "expect_workers"):
        raise click.UsageError("--bind and --master-port go with --expect-workers")
    if overrides.get("expect_workers") and overrides.get("via") == "postgrest":
        raise click.UsageError("--via postgrest runs its HTTP users on this machine: it does "
                               "not go with --expect-workers")
    settings = runner.preset(preset, think=_think(think), thresholds=thresholds,
                             api=config.api, platform=config.platform, **overrides)
    schema_dir = SchemaDir.open(config.schema)
    run_id = new_run_id()

    def progress(msg: str) -> None:
        click.echo(f"load: {msg}", err=True)

    with open_server(config, server_info.embedded_settings(settings.durable)) as server:
        result = runner.execute(settings, server, schema_dir, config.report_dir, run_id,
                                runner.command_line(), progress)
    out = config.report_dir / run_id
    click.echo((out / "load.md").read_text())
    click.echo(f"report: {out}/load.md, load.json, load.png")
    return EXIT_FINDINGS if result.findings else EXIT_OK
