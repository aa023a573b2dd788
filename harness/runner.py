"""The engine: run checks against a prepared database and emit events.

``run`` does a whole run from a config (select, provision, run, report) for the CLI.
"""

from __future__ import annotations

import secrets
import time
import traceback
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from psycopg.conninfo import conninfo_to_dict

from harness import registry as registry_module
from harness.config import HarnessConfig
from harness.context import CheckContext
from harness.errors import CheckSkipped, ConfigError, HarnessError
from harness.events import (
    CheckFinished,
    CheckStarted,
    EventBus,
    RunFinished,
    RunResult,
    RunStarted,
    ServerInfo,
    Status,
    Writer,
)
from harness.registry import Check, Finding, Registry
from harness.reporting import report_writers, update_latest
from harness.schema_dir import SchemaDir

__all__ = ["SkipCheck", "new_run_id", "run", "run_checks", "select_checks"]


# Checks raise this when they cannot judge the schema (no tables of the kind, a missing extension).
SkipCheck = CheckSkipped


def new_run_id() -> str:
    """Return a sortable, unique run ID that is also safe in database and file names."""
    return f"{datetime.now(UTC):%Y%m%d_%H%M%S}_{secrets.token_hex(3)}"


def plugin_file(need: str) -> str:
    """Name the ``dbharness/`` plug-in file a need stands for: ``access`` -> ``access.toml``."""
    return need if "." in need else f"{need}.toml"


def _missing_needs(ctx: CheckContext, chk: Check) -> list[str]:
    return [plugin_file(n) for n in chk.needs if ctx.schema.plugin(plugin_file(n)) is None]


def _suppress(ctx: CheckContext, f: Finding) -> Finding:
    s = ctx.config.suppression_for(f.check_id, f.object)
    return replace(f, suppressed_reason=s.reason) if s else f


def _run_one(ctx: CheckContext, chk: Check, index: int, total: int) -> CheckFinished:
    missing = _missing_needs(ctx, chk)
    if missing:
        why = (
            f"needs plug-in data {', '.join('dbharness/' + m for m in missing)} "
            f"in the schema directory {ctx.schema.root}"
        )
        return CheckFinished(chk, Status.SKIPPED, error=why, index=index, total=total)
    findings: list[Finding] = []
    error = tb = None
    status = Status.PASSED
    start = time.perf_counter()
    try:
        # Collected one by one so that the findings before an exception are still reported.
        for f in chk.func(ctx):
            findings.append(_suppress(ctx, f))
    except SkipCheck as exc:
        status, error = Status.SKIPPED, str(exc) or "skipped by the check"
    except HarnessError as exc:  # environment trouble inside a check: the message says it all
        status, error = Status.ERROR, str(exc)
    except Exception as exc:
        status, error = Status.ERROR, f"{type(exc).__name__}: {exc}"
        tb = traceback.format_exc()
    duration = time.perf_counter() - start
    if status is Status.PASSED and any(not f.suppressed for f in findings):
        status = Status.FAILED
    return CheckFinished(chk, status, tuple(findings), duration, error, tb, index, total)


def redact_dsn(dsn: str | None) -> str | None:
    """Return the DSN as it may be printed in a report: the password replaced."""
    if dsn is None:
        return None
    try:
        parts = conninfo_to_dict(dsn)
    except Exception:
        return "<unparseable DSN>"
    if "password" in parts:
        parts["password"] = "***"
    return " ".join(f"{k}={v}" for k, v in parts.items())


def config_summary(config: HarnessConfig) -> dict[str, Any]:
    """Return the settings of a run that a report should show (enough to rerun it)."""
    return {
        "schema": str(config.schema),
        "dsn": redact_dsn(config.dsn) if config.dsn is not None else "embedded",
        "suites": list(config.suites),
        "checks": list(config.checks),
        "exclude_suites": list(config.exclude_suites),
        "seed": config.seed,
        "rls_cases": config.rls_cases,
        "scale": config.scale,
        "load_seed_data": config.load_seed_data,
        "suppressions": [
            {"check": s.check, "object": s.object, "reason": s.reason} for s in config.suppressions
        ],
    }


def run_checks(
    ctx: CheckContext,
    checks: Sequence[Check],
    writers: Sequence[Writer],
    *,
    run_id: str | None = None,
    server: ServerInfo | None = None,
) -> RunResult:
    """Run ``checks`` in order against ``ctx`` and emit events to ``writers`` (not closed here).

    A check that raises gets status error and the run goes on; suppressed findings are marked
    and do not fail the check.
    """
    bus = EventBus(writers)
    run_id = run_id or new_run_id()
    bus.emit(RunStarted(run_id, config_summary(ctx.config), tuple(checks), server, ctx.seed))
    start = time.perf_counter()
    results = []
    for i, chk in enumerate(checks, 1):
        bus.emit(CheckStarted(chk, i, len(checks)))
        res = _run_one(ctx, chk, i, len(checks))
        results.append(res)
        bus.emit(res)
    result = RunResult(run_id, tuple(results), time.perf_counter() - start, ctx.seed)
    bus.emit(RunFinished(result))
    return result


def select_checks(registry: Registry, config: HarnessConfig) -> list[Check]:
    """Return the checks a config asks for; ``exclude_suites`` applies when none is named."""
    named = bool(config.suites or config.checks)
    exclude = () if named else config.exclude_suites
    return registry.select(config.suites, config.checks, exclude_suites=exclude)


def run(
    config: HarnessConfig,
    *,
    registry: Registry | None = None,
    writers: Sequence[Writer] = (),
    run_id: str | None = None,
) -> int:
    """Do a whole run (select, provision, run checks, write reports) and return the exit code.

    Raises HarnessError (exit 2) for usage or environment errors, before any check verdict.
    Provisioning is cleaned up by context managers, also on KeyboardInterrupt.
    """
    # Everything a user can get wrong is checked before a server is started.
    reg = registry if registry is not None else registry_module.load_suites()
    checks = select_checks(reg, config)
    if not checks:
        raise ConfigError(
            "no checks selected",
            hint="`dbharness list-checks` prints the suites and IDs to choose from",
        )
    schema = SchemaDir.open(config.schema)
    run_id = run_id or new_run_id()
    out_dir = config.report_dir / run_id
    file_writers = report_writers(config.formats, out_dir)

    # Imported here: the provisioning layer pulls in server management that the engine can
    # live without (tests of run_checks, the pytest plugin).
    from harness.server import open_server
    from harness.workspace import Workspace, make_context

    bus = EventBus([*writers, *file_writers])
    try:
        bus.progress("starting PostgreSQL" if config.dsn is None else "connecting to PostgreSQL")
        with open_server(config) as server:
            info = ServerInfo(str(server.version), bool(server.embedded))
            bus.progress(f"building the schema template from {schema.root}")
            with Workspace(
                server, schema, seed_data=config.load_seed_data, run_id=run_id
            ) as workspace:
                ctx = make_context(workspace, config, progress=bus.progress)
                ctx.report_dir = out_dir  # plots and data files go beside this run's reports
                result = run_checks(ctx, checks, bus.writers, run_id=run_id, server=info)
        if config.formats:
            update_latest(config.report_dir, run_id)
        return result.exit_code
    finally:
        bus.close()
