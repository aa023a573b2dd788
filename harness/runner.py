"""The engine: run checks against a prepared database and emit events.

``run`` does a whole run from a config (select, provision, run) and hands every event to the
writers the front end chose; the engine knows no output format.
"""

from __future__ import annotations

import secrets
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from psycopg.conninfo import conninfo_to_dict

from harness import registry as registry_module
from harness.config import HarnessConfig
from harness.context import CheckContext
from harness.errors import CheckSkipped, ConfigError, HarnessError, SchemaApplyError
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
from harness.registry import Check, Finding, Registry, Severity
from harness.schema_dir import SchemaDir
from harness.schema_index import ObjectLocator

__all__ = ["SkipCheck", "new_run_id", "run", "run_checks", "select_checks"]


# Checks raise this when they cannot judge the schema (no tables of the kind, a missing extension).
SkipCheck = CheckSkipped
# The check that reports a schema which does not apply (suites/gate/applies.py).
APPLY_CHECK = "MIG010"
NOT_APPLIED = f"the schema did not apply ({APPLY_CHECK})"


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


def _locate(locator: ObjectLocator | None, f: Finding) -> Finding:
    """Give a finding without a file the file and line that created or last altered its object."""
    if locator is None or f.details.get("file"):
        return f
    file, line = locator.locate(f.object)
    return replace(f, details={**f.details, "file": file, **({"line": line} if line else {})})


def _verdict(chk: Check, findings: list[Finding], fail_on: Severity) -> Status:
    failing = [
        f for f in findings if not f.suppressed and chk.severity_of(f).rank >= fail_on.rank
    ]
    return Status.FAILED if failing else Status.PASSED


def _run_one(
    ctx: CheckContext,
    chk: Check,
    index: int,
    total: int,
    locator: ObjectLocator | None = None,
) -> CheckFinished:
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
    ctx.stats = {}
    start = time.perf_counter()
    try:
        # Collected one by one so that the findings before an exception are still reported.
        for f in chk.func(ctx):
            findings.append(_locate(locator, _suppress(ctx, f)))
    except SkipCheck as exc:
        status, error = Status.SKIPPED, str(exc) or "skipped by the check"
    except HarnessError as exc:  # environment trouble inside a check: the message says it all
        status, error = Status.ERROR, str(exc)
    except Exception as exc:
        status, error = Status.ERROR, f"{type(exc).__name__}: {exc}"
        tb = traceback.format_exc()
    duration = time.perf_counter() - start
    if status is Status.PASSED:
        status = _verdict(chk, findings, Severity(ctx.config.fail_on))
    elif status is Status.ERROR and (
        tolerated := ctx.config.tolerance_for(chk.id, ctx.server_major)
    ):
        status, error = Status.SKIPPED, f"did not run (tolerated: {tolerated.reason}): {error}"
    return CheckFinished(
        chk, status, tuple(findings), duration, error, tb, index, total, dict(ctx.stats)
    )


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
        "fail_on": config.fail_on,
        "api": config.api.mode,
        "suppressions": [
            {"check": s.check, "object": s.object, "reason": s.reason} for s in config.suppressions
        ],
        "tolerate_errors": [
            {"check": t.check, "reason": t.reason, "postgres": list(t.postgres)}
            for t in config.tolerate_errors
        ],
        "postgres_version": config.postgres_version,
    }


def run_checks(
    ctx: CheckContext,
    checks: Sequence[Check],
    writers: Sequence[Writer],
    *,
    run_id: str | None = None,
    server: ServerInfo | None = None,
    skip: Callable[[Check], str | None] = lambda _chk: None,
) -> RunResult:
    """Run ``checks`` in order against ``ctx`` and emit events to ``writers`` (not closed here).

    A check that raises gets status error and the run goes on; suppressed findings are marked
    and do not fail the check. ``skip`` names, for a check that must not run, the reason.
    """
    bus = EventBus(writers)
    run_id = run_id or new_run_id()
    bus.emit(RunStarted(run_id, config_summary(ctx.config), tuple(checks), server, ctx.seed))
    locator = ObjectLocator(ctx.schema)
    start = time.perf_counter()
    results = []
    for i, chk in enumerate(checks, 1):
        bus.emit(CheckStarted(chk, i, len(checks)))
        reason = skip(chk)
        if reason is not None:
            res = CheckFinished(chk, Status.SKIPPED, error=reason, index=i, total=len(checks))
        else:
            res = _run_one(ctx, chk, i, len(checks), locator)
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


def _with_apply_check(registry: Registry, checks: list[Check]) -> list[Check]:
    """Whatever was selected, a schema that does not apply must be reported: add MIG010."""
    if any(c.id == APPLY_CHECK for c in checks):
        return checks
    try:
        extra = registry.get(APPLY_CHECK)
    except HarnessError:  # a registry without the gate suite (tests of the engine)
        return checks
    return sorted([*checks, extra], key=lambda c: c.id)


# Plots and data files (performance.json, latency.png, load.md ...) belong with the reports a
# person reads; a run asked only for machine formats (SARIF, JUnit) gets only those files.
ARTIFACT_FORMATS = frozenset({"json", "markdown"})


def artifact_dir(config: HarnessConfig, run_id: str) -> Path | None:
    """Return where checks write plots and data files: the run's folder, or None (write none)."""
    if ARTIFACT_FORMATS.isdisjoint(f.lower() for f in config.formats):
        return None
    return config.report_dir / run_id


def _no_database() -> Any:
    raise HarnessError(f"no database: {NOT_APPLIED}")


def run(
    config: HarnessConfig,
    *,
    registry: Registry | None = None,
    writers: Sequence[Writer] = (),
    run_id: str | None = None,
) -> int:
    """Do a whole run (select, provision, run checks) and return the exit code.

    Raises HarnessError (exit 2) for usage or environment errors, before any check verdict. A
    schema that fails to apply is a MIG010 finding, not an environment error: the offline checks
    still run and the others are reported skipped. Provisioning is cleaned up by context
    managers, also on KeyboardInterrupt.
    """
    # Everything a user can get wrong is checked before a server is started.
    reg = registry if registry is not None else registry_module.load_suites()
    checks = select_checks(reg, config)
    if not checks:
        raise ConfigError(
            "no checks selected",
            hint="`dbharness list-checks` prints the suites and IDs to choose from",
        )
    checks = _with_apply_check(reg, checks)
    schema = SchemaDir.open(config.schema)
    run_id = run_id or new_run_id()

    # The provisioning layer (imported in _provision_and_run) pulls in server management that
    # the engine can live without (tests of run_checks, the pytest plugin).
    bus = EventBus(list(writers))
    try:
        return _provision_and_run(config, checks, schema, run_id, bus)
    finally:
        bus.close()


def _provision_and_run(
    config: HarnessConfig,
    checks: list[Check],
    schema: SchemaDir,
    run_id: str,
    bus: EventBus,
) -> int:
    from harness.platform import profile
    from harness.postgrest import resolve
    from harness.server import open_server
    from harness.workspace import Workspace, make_context

    api, api_off = resolve(config.api)  # a required but missing PostgREST fails here, exit 2
    bus.progress("starting PostgreSQL" if config.dsn is None else "connecting to PostgreSQL")
    with open_server(config) as server:
        info = ServerInfo(str(server.version), bool(server.embedded))
        bus.progress(f"building the schema template from {schema.root}")
        try:
            workspace = Workspace(server, schema, seed_data=config.load_seed_data, run_id=run_id,
                                  platform=profile(config.platform))
        except SchemaApplyError as exc:
            if not any(c.id == APPLY_CHECK for c in checks):
                raise  # no check can report it (a registry without the gate suite): exit 2
            ctx = CheckContext(
                dsn="", schema=schema, config=config, seed=config.seed, clone=_no_database,
                admin_dsn=server.admin_dsn, progress=bus.progress, apply_error=exc,
            )
            ctx.report_dir = artifact_dir(config, run_id)
            result = run_checks(
                ctx, checks, bus.writers, run_id=run_id, server=info,
                skip=lambda c: None if c.offline else NOT_APPLIED,
            )
            return result.exit_code
        with workspace:
            ctx = make_context(workspace, config, progress=bus.progress)
            ctx.report_dir = artifact_dir(config, run_id)
            ctx.api, ctx.api_off_reason = api, api_off
            try:
                result = run_checks(ctx, checks, bus.writers, run_id=run_id, server=info)
            finally:  # before the databases it serves are dropped
                if api is not None:
                    api.close()
    return result.exit_code
