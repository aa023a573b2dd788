"""The load suite's checks (docs/checks.md, Load); not in the default run (``exclude_suites``).

LOD100 Load thresholds: failure ratio and p95 per operation under the smoke preset (config:
``options.load``, see :func:`smoke_settings`).
LOD101 Request state (role, JWT claims) leaking between clients of a transaction pooler.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import psycopg

from harness.context import CheckContext
from harness.errors import ConfigError, HarnessError
from harness.registry import REGISTRY, Finding, Severity, check
from harness.server import probe
from harness.workspace import new_run_id
from load import leak, runner
from load.mix import OpClass
from load.pooler import PoolerSettings, find_binary, run_pooler
from load.report import Thresholds
from load.settings import LoadSettings

SUITE = FAMILY = "load"
LOGIN_ROLE = "authenticator"  # PostgREST's login role; requests switch from it with set_config
LEAK_POOL_SIZE = 2  # few server connections for many clients: every probe reuses one


THRESHOLD_KEYS = {"p95_simple_ms": OpClass.SIMPLE.value, "p95_complex_ms": OpClass.COMPLEX.value}


def smoke_settings(options: Mapping[str, Any]) -> LoadSettings:
    """Return the smoke preset with ``options.load`` of the config applied.

    Any :class:`load.settings.LoadSettings` field (``users``, ``duration_s``, ``think`` as
    ``[min, max]``...), plus ``p95_simple_ms``, ``p95_complex_ms`` and ``max_failure_ratio``.
    """
    opts = dict(options)
    p95 = dict(Thresholds().p95_ms)
    for key, op_class in THRESHOLD_KEYS.items():
        if key in opts:
            p95[op_class] = float(opts.pop(key))
    ratio = float(opts.pop("max_failure_ratio", Thresholds().max_failure_ratio))
    if "think" in opts:
        opts["think"] = tuple(float(v) for v in opts["think"])
    known = {f.name for f in fields(LoadSettings)}
    unknown = sorted(set(opts) - known)
    if unknown:
        raise ConfigError(f"options.load: unknown setting(s) {', '.join(unknown)}",
                          hint=f"known: {', '.join(sorted(known | set(THRESHOLD_KEYS)))}, "
                          "max_failure_ratio")
    return runner.preset("smoke", thresholds=Thresholds(ratio, p95), **opts)


@check(
    "LOD100",
    title="Operation mix within load thresholds",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="""
docs/budgets.md (Load): simulated users running the CMMS operation mix through pgbouncer in
transaction mode, each as its own role, with 0 failed operations and p95 under 100 ms for simple
operations. A failure under load (deadlock 40P01, serialization 40001, lock timeout 55P03, a
pooler refusing clients) is a bug a functional test never shows.
""",
    remedy="""
Read load.md of the run: failures are listed by SQLSTATE, latency per operation. Deadlocks: take
row locks in one order (or SKIP LOCKED for work queues); slow operations: EXPLAIN ANALYZE the
statement as the role (`dbharness check --suite performance`); pooler waits (cl_waiting): raise
default_pool_size within max_connections or shorten transactions.
""",
)
def thresholds(ctx: CheckContext) -> Iterator[Finding]:
    """Run the smoke preset and yield one finding per threshold missed."""
    settings = replace(smoke_settings(ctx.config.options.get("load", {})),
                       platform=ctx.config.platform)
    server = probe(ctx.admin_dsn)
    with contextlib.ExitStack() as stack:
        # No report folder (only SARIF/JUnit asked for): Locust's files go to a temporary one.
        where = ctx.report_dir or Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="dbh_lod100_")))
        result = runner.execute(
            settings, server, ctx.schema, where,
            "lod100_" + new_run_id(), "dbharness check --check LOD100", ctx.progress,
        )
    for f in result.findings:
        # the run also probes for pooled-session leaks: those are LOD101's, reported as such
        chk = REGISTRY.get(str(f.get("check_id") or THRESHOLDS.id))
        yield chk.finding(f["object"], f["message"])


@check(
    "LOD101",
    title="No role or JWT claims survive a transaction on a pooled connection",
    severity=Severity.CRITICAL,
    family=FAMILY,
    suite=SUITE,
    rationale="""
Behind pgbouncer in transaction mode a server connection serves another client after every
transaction. Whatever a request leaves behind (a session-level set_config or SET ROLE, an open
transaction) is inherited by the next client: it would run as the previous caller, past every
RLS policy. PostgREST avoids it by making every setting transaction-local; this check proves it
with many interleaved clients on few server connections, after commits, rollbacks and errors.
""",
    remedy="""
Make every per-request setting transaction-local: set_config(name, value, true) inside the
request's transaction, never SET / SET ROLE / set_config(..., false); never leave a transaction
open; in session pooling set server_reset_query = DISCARD ALL.
""",
)
def pooled_state_leak(ctx: CheckContext) -> Iterator[Finding]:
    """Probe, through a private pgbouncer, for another request's role or claims."""
    binary = find_binary("pgbouncer", "pgbouncer", "apt-get install pgbouncer (make install)")
    with ctx.connect() as conn:
        ids = [str(r[0]) for r in conn.execute(
            "select id from public.profiles where is_active order by id limit 20").fetchall()]
        if conn.execute("select 1 from pg_roles where rolname = %s", (LOGIN_ROLE,)).fetchone() \
                is None:
            raise HarnessError(f"role {LOGIN_ROLE} is missing: the schema's bootstrap creates it")
    settings = PoolerSettings(ctx.dsn, max_client_conn=200, pool_size=LEAK_POOL_SIZE,
                              binary=binary, users=(LOGIN_ROLE, "postgres"))
    with run_pooler(settings) as pooler:
        try:
            probes, leaks = leak.find_leaks(pooler.dsn(LOGIN_ROLE), LOGIN_ROLE, ids,
                                            seed=ctx.seed)
        except psycopg.Error as exc:
            raise HarnessError(f"leak check could not run through pgbouncer: {exc}") from None
    for lk in leaks[:20]:
        yield LEAK.finding(
            f"pooler:{pooler.dbname}",
            f"after a transaction that ended with {lk.after} ({lk.actor}), a new transaction saw "
            f"current_user, role, claims, method = {lk.seen!r} ({len(leaks)} of {probes} probes)",
            repro_sql=leak.PROBE + ";",
            seed=ctx.seed,
        )


THRESHOLDS = REGISTRY.get("LOD100")
LEAK = REGISTRY.get("LOD101")
