"""``dbharness bench``: generate the reference dataset, run the performance suite, print budgets.

Generates the schema's dataset (timed) into a scratch database, runs the suite ``performance``
against it, prints one row per (query, role) and writes the usual reports plus
``performance.json`` and the PNG plots. ``--update-baseline`` rewrites the schema's
``dbharness/perf-baseline.json`` from what was measured.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from harness import registry
from harness.cli_options import pg_option, platform_option
from harness.config import load_config
from harness.datagen import generate_dataset
from harness.events import ServerInfo, Writer
from harness.reporting import report_writers, update_latest
from harness.reporting.terminal import NORMAL, TerminalWriter
from harness.runner import new_run_id, run_checks
from harness.schema_dir import SchemaDir

SCALES = ("tiny", "ci", "full")


def _cell(value: float | None, fmt: str = "{:.2f}") -> str:
    return "-" if value is None else fmt.format(value)


def _table(rows: list[dict[str, Any]], growth: list[dict[str, Any]]) -> Table:
    table = Table(title="Query budgets (medians of warm runs; timings are noisy, buffers are not)")
    for col in ("query", "role", "class", "median ms", "budget ms", "buffers", "RLS ratio",
                "growth", "plan ok"):
        table.add_column(col, no_wrap=True,
                         justify="right" if col not in ("query", "role", "class") else "left")
    ratios = {g["query"]: g["time_ratio"] for g in growth}
    for r in rows:
        if r["skipped"] or r["error"]:
            why = str(r["skipped"] or r["error"])
            table.add_row(r["query"], r["role"], r["class"], why[:60], "", "", "", "", "")
            continue
        over = r["median_ms"] is not None and r["median_ms"] > r["budget_ms"]
        median = _cell(r["median_ms"])
        key = f"{r['query']}/{r['role']}"
        table.add_row(
            r["query"], r["role"], r["class"],
            f"[red]{median}[/]" if over else median, f"{r['budget_ms']:g}",
            f"{r['buffers']:,}", _cell(r["rls_ratio"]),
            _cell(ratios.get(key)), "yes" if r["plan_ok"] else "[red]no[/]")
    return table


@click.command("bench")
@click.option("--scale", type=click.Choice(SCALES), default=None,
              help="Dataset scale (default: the config's, normally ci).")
@click.option("--dsn", help="libpq DSN of the server (superuser; default: config/environment).")
@pg_option
@platform_option
@click.option("--schema", type=click.Path(path_type=Path, file_okay=False),
              help="Schema directory with dbharness/datagen.py and dbharness/queries.toml.")
@click.option("--runs", type=click.IntRange(min=1), default=None,
              help="Warm runs per query (median reported; default 7).")
@click.option("--compare", "compare", default=None, metavar="SMALL,LARGE",
              help="Also measure growth between two scales, e.g. ci,full (PRF103).")
@click.option("--update-baseline", is_flag=True,
              help="Rewrite <schema>/dbharness/perf-baseline.json from this run.")
@click.option("--report-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Reports go to <report-dir>/<run id>/.")
@click.option("--seed", type=int, help="Data generation seed.")
def command(
    scale: str | None,
    dsn: str | None,
    postgres_version: int | None,
    platform: str | None,
    schema: Path | None,
    runs: int | None,
    compare: str | None,
    update_baseline: bool,
    report_dir: Path | None,
    seed: int | None,
) -> int:
    """Generate the dataset, run the performance suite and print the budget table."""
    # Imported here: the suite modules pull in the provisioning layer only for this command.
    from harness.platform import profile
    from harness.server import open_server
    from harness.workspace import Workspace, make_context
    from suites.performance import baseline_check, budgets
    from suites.performance.baseline import BASELINE_FILE, write_baseline

    base = load_config()
    perf = dict(base.options.get("performance", {}))
    if runs is not None:
        perf["runs"] = runs
    if compare:
        perf["compare_scales"] = [s.strip() for s in compare.split(",")]
    config = base.with_overrides(
        scale=scale, dsn=dsn, postgres_version=postgres_version, schema=schema, platform=platform,
        report_dir=report_dir, seed=seed,
        suites=("performance",), load_seed_data=False,
        options={**base.options, "performance": perf},
    )
    sd = SchemaDir.open(config.schema)
    checks = [c for c in registry.load_suites().select(["performance"])
              if c.func.__module__ in (budgets.__name__, baseline_check.__name__)]
    run_id = new_run_id()
    out_dir = config.report_dir / run_id
    out = Console(highlight=False, width=max(Console().width, 150))
    terminal = TerminalWriter(verbosity=NORMAL)
    writers: list[Writer] = [terminal, *report_writers(config.formats, out_dir)]
    with open_server(config) as server, Workspace(
        server, sd, seed_data=False, run_id=run_id, platform=profile(config.platform)
    ) as ws:
        ctx = make_context(ws, config, progress=lambda m: out.print(f"[dim]{m}[/]"))
        ctx.report_dir = out_dir
        start = time.perf_counter()
        info = generate_dataset(ctx.dsn, sd, config.scale, config.seed, ctx.progress)
        out.print(f"[bold]dataset {config.scale}[/] (seed {config.seed}) generated in "
                  f"{info.seconds:.1f}s ({time.perf_counter() - start:.1f}s wall)")
        result = run_checks(ctx, checks, writers, run_id=run_id,
                            server=ServerInfo(str(server.version), bool(server.embedded)))
        res = budgets.results_of(ctx)
    for w in writers:
        w.close()
    update_latest(config.report_dir, run_id)
    doc = res.to_json()
    out.print(_table(doc["queries"], doc["growth"]))
    for g in doc["growth"]:
        out.print(f"growth {g['query']}: {g['small_scale']} {g['small_ms']:.2f} ms -> "
                  f"{g['large_scale']} {g['large_ms']:.2f} ms = x{g['time_ratio']} "
                  f"(buffers x{g['buffer_ratio']})")
    out.print(f"reports: {out_dir}")
    if update_baseline:
        path = sd.root / "dbharness" / BASELINE_FILE
        written = write_baseline(path, res)
        out.print(f"baseline written: {path} (PostgreSQL {res.major}; sections for "
                  f"{', '.join(map(str, sorted(written.majors)))})")
    return result.exit_code
