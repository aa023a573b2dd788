"""Business functions under concurrency, and a transaction killed half way, per concurrency.toml.

INT020 A concurrency scenario broke its expectation (successes, refusals, deadlocks, invariants).
INT021 A backend terminated inside a transaction that had written left part of the write behind.

Each ``[[scenario]]`` of ``dbharness/concurrency.toml``: ``setup`` (SQL as the superuser; the rows
of its last statement are the parameters: one row shared by all sessions, or one per session),
``operation`` (one statement calling the API, run as ``actor`` by ``sessions`` parallel sessions,
``repetitions`` times), and what must hold afterwards. See the file itself for every key.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import psycopg
from psycopg.rows import dict_row

from harness.context import CheckContext
from harness.errors import ConfigError
from harness.registry import REGISTRY, Finding, Severity, check
from suites.integrity.invariants import ROW_CAP, Invariant, invariant_map, violations
from suites.integrity.plugin_data import MAX_EXAMPLES, entries, jsonable, load
from suites.integrity.sessions import (
    ADMIN_SHUTDOWN,
    DEADLOCK,
    SERIALIZATION_FAILURE,
    Outcome,
    actor_for,
    run_parallel,
    run_then_terminate,
)

SUITE = FAMILY = "integrity"
NEED = "concurrency"
WHERE = "dbharness/concurrency.toml"
RETRYABLE = {DEADLOCK: "deadlock", SERIALIZATION_FAILURE: "serialization_failure"}
DEFAULT_SESSIONS = 8
DEFAULT_REPETITIONS = 2

Params = dict[str, Any]


@dataclass(frozen=True)
class AfterQuery:
    """A query that must return no rows, with the name a finding shows."""

    name: str
    sql: str


@dataclass(frozen=True)
class Scenario:
    """One ``[[scenario]]`` of concurrency.toml."""

    name: str
    description: str
    actor: str
    setup: str
    operation: str
    sessions: int
    repetitions: int
    successes: int | str | None  # an exact number, or "all"
    min_successes: int | None
    max_successes: int | None
    refusals: frozenset[str]  # SQLSTATEs that are an expected "no", not a failure
    forbid: frozenset[str]  # "deadlock", "serialization_failure"
    after: tuple[AfterQuery, ...]
    invariants: tuple[str, ...]

    @classmethod
    def parse(cls, item: Mapping[str, Any]) -> Scenario:
        """Build a scenario from its TOML table (keys checked, defaults filled in)."""
        name = str(item["name"])
        forbid = frozenset(str(f) for f in item.get("forbid", ()))
        bad = forbid - set(RETRYABLE.values())
        if bad:
            raise ConfigError(
                f"{WHERE}: scenario {name}: forbid knows only {set(RETRYABLE.values())}"
            )
        successes = item.get("successes")
        if successes is not None and successes != "all" and not isinstance(successes, int):
            raise ConfigError(f'{WHERE}: scenario {name}: successes is a number or "all"')
        return cls(
            name=name,
            description=str(item.get("description", "")),
            actor=str(item["actor"]),
            setup=str(item.get("setup", "select")),
            operation=str(item["operation"]),
            sessions=int(item.get("sessions", DEFAULT_SESSIONS)),
            repetitions=int(item.get("repetitions", DEFAULT_REPETITIONS)),
            successes=successes,
            min_successes=item.get("min_successes"),
            max_successes=item.get("max_successes"),
            refusals=frozenset(str(s) for s in item.get("refusals", ())),
            forbid=forbid,
            after=_checks(item.get("after", []), name),
            invariants=tuple(str(i) for i in item.get("invariants", ())),
        )


def _checks(items: Any, owner: str) -> tuple[AfterQuery, ...]:
    if not isinstance(items, list):
        raise ConfigError(f"{WHERE}: {owner}: 'after' is an array of {{name, sql}} tables")
    return tuple(AfterQuery(str(a["name"]), str(a["sql"])) for a in items)


@dataclass
class Problem:
    """One way a scenario failed, with the repetitions it failed in."""

    message: str
    repetitions: list[int] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    repro_sql: str | None = None


def run_setup(
    conn: psycopg.Connection[Any], setup: str, repetition: int, sessions: int
) -> list[Params]:
    """Run a setup script as the superuser; return the rows of its last statement as dicts.

    The script reads ``current_setting('dbharness.repetition')`` and ``'dbharness.sessions'``.
    """
    conn.execute(
        "select set_config('dbharness.repetition', %s, false),"
        " set_config('dbharness.sessions', %s, false)",
        (str(repetition), str(sessions)),
    )
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(setup.encode())  # no parameters: a script of several statements is fine
        rows: list[Params] = list(cur.fetchall()) if cur.description else []
        while cur.nextset():
            rows = list(cur.fetchall()) if cur.description else []
    return rows


def session_params(rows: list[Params], sessions: int, owner: str) -> list[Params]:
    """Give each session its parameters: the one shared row, or one row each."""
    if not rows:
        return [{} for _ in range(sessions)]
    if len(rows) == 1:
        return [dict(rows[0]) for _ in range(sessions)]
    if len(rows) < sessions:
        raise ConfigError(
            f"{WHERE}: {owner}: setup returned {len(rows)} rows for {sessions} sessions",
            hint="return one row (shared) or at least one row per session",
        )
    return [dict(r) for r in rows[:sessions]]


def outcome_params(shared: Params, params: list[Params], outcomes: list[Outcome]) -> Params:
    """Parameters of the ``after`` queries: the first setup row, counts and sums over successes.

    ``successes``, ``failures``, ``ok_sum_result`` (the operations' results) and ``ok_sum_<col>``
    for every numeric parameter column, summed over the sessions that succeeded.
    """
    ok = [o for o in outcomes if o.ok]
    out: Params = dict(shared)
    out["successes"], out["failures"] = len(ok), len(outcomes) - len(ok)
    out["ok_sum_result"] = sum(_number(o.result) for o in ok)
    for col in params[0] if params else {}:
        if all(isinstance(p.get(col), int | float | Decimal) for p in params):
            out[f"ok_sum_{col}"] = sum(_number(params[o.session][col]) for o in ok)
    return out


def _number(value: Any) -> int | float | Decimal:
    return value if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else 0


def failed_after(
    conn: psycopg.Connection[Any], checks: tuple[AfterQuery, ...], params: Params
) -> Iterator[tuple[AfterQuery, list[dict[str, Any]]]]:
    """Yield every ``after`` query that returns rows, with up to five of them."""
    for chk in checks:
        with conn.cursor(row_factory=dict_row) as cur:
            cur.execute(chk.sql, params)
            rows = cur.fetchmany(MAX_EXAMPLES)
        if rows:
            yield chk, [jsonable(r) for r in rows]


def invariant_rows(
    conn: psycopg.Connection[Any], names: tuple[str, ...], known: dict[str, Invariant], owner: str
) -> dict[str, set[str]]:
    """Return the rows each named invariant of invariants.toml returns now, as JSON text."""
    out: dict[str, set[str]] = {}
    for name in names:
        if name not in known:
            raise ConfigError(
                f"{WHERE}: {owner} names invariant {name!r}, not in dbharness/invariants.toml"
            )
        _, rows = violations(conn, known[name], limit=ROW_CAP)
        out[name] = {json.dumps(r, sort_keys=True) for r in rows}
    return out


def failed_invariants(
    conn: psycopg.Connection[Any],
    names: tuple[str, ...],
    known: dict[str, Invariant],
    owner: str,
    baseline: dict[str, set[str]],
) -> Iterator[tuple[Invariant, list[dict[str, Any]]]]:
    """Yield every named invariant that returns rows it did not return at ``baseline``.

    The baseline keeps one broken scenario (or bad seed data) from failing every later one.
    """
    for name, rows in invariant_rows(conn, names, known, owner).items():
        new = sorted(rows - baseline.get(name, set()))
        if new:
            yield known[name], [json.loads(r) for r in new[:MAX_EXAMPLES]]


def _expected_successes(sc: Scenario) -> tuple[int, int]:
    if sc.successes == "all":
        return sc.sessions, sc.sessions
    if isinstance(sc.successes, int):
        return sc.successes, sc.successes
    return sc.min_successes or 0, sc.sessions if sc.max_successes is None else sc.max_successes


def judge(sc: Scenario, outcomes: list[Outcome]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield (kind, message, details) for each expectation the outcomes of one round break."""
    ok = sum(o.ok for o in outcomes)
    lo, hi = _expected_successes(sc)
    if not lo <= ok <= hi:
        want = str(lo) if lo == hi else f"{lo}..{hi}"
        yield (
            "successes",
            f"{ok} of {sc.sessions} sessions succeeded, expected {want}",
            {
                "successes": ok,
                "expected": want,
            },
        )
    for state, label in RETRYABLE.items():
        hits = [o for o in outcomes if o.sqlstate == state]
        if hits and label in sc.forbid:
            yield (
                label,
                f"{len(hits)} {label.replace('_', ' ')}(s) ({state})",
                {"example": hits[0].message},
            )
    unexpected = [
        o for o in outcomes if not o.ok and o.sqlstate not in sc.refusals | set(RETRYABLE)
    ]
    if unexpected:
        states = Counter(o.sqlstate or "no SQLSTATE" for o in unexpected)
        yield (
            "unexpected_error",
            (
                f"{len(unexpected)} session(s) failed with an error that is no expected refusal: "
                + ", ".join(f"{s} x{n}" for s, n in states.items())
                + f" (first: {unexpected[0].message})"
            ),
            {"examples": [o.message for o in unexpected[:MAX_EXAMPLES]]},
        )


def _tally(outcomes: list[Outcome]) -> dict[str, int]:
    c = Counter("ok" if o.ok else (o.sqlstate or "error") for o in outcomes)
    return dict(sorted(c.items()))


def run_scenario(
    ctx: CheckContext, dsn: str, sc: Scenario, known: dict[str, Invariant]
) -> tuple[dict[str, Problem], dict[str, Any]]:
    """Run every repetition of ``sc`` in the database at ``dsn``; return problems and a summary."""
    problems: dict[str, Problem] = {}
    rounds: list[dict[str, Any]] = []
    actor = actor_for(sc.actor)

    def note(kind: str, rep: int, message: str, details: dict[str, Any], repro: str | None) -> None:
        p = problems.setdefault(kind, Problem(message, details=details, repro_sql=repro))
        p.repetitions.append(rep)

    with ctx.connect(dsn) as admin:
        baseline = invariant_rows(admin, sc.invariants, known, sc.name)
        for rep in range(sc.repetitions):
            rows = run_setup(admin, sc.setup, rep, sc.sessions)
            params = session_params(rows, sc.sessions, f"scenario {sc.name}")
            start = time.perf_counter()
            outcomes = run_parallel(dsn, actor, sc.operation, params)
            seconds = time.perf_counter() - start
            tally = _tally(outcomes)
            rounds.append({"repetition": rep, "outcomes": tally, "seconds": round(seconds, 3)})
            ctx.progress(f"INT020 {sc.name} round {rep + 1}/{sc.repetitions}: {tally}")
            for kind, message, details in judge(sc, outcomes):
                note(kind, rep, message, details, None)
            after_params = outcome_params(params[0], params, outcomes)
            for chk, examples in failed_after(admin, sc.after, after_params):
                note(
                    f"after:{chk.name}",
                    rep,
                    f"after the race, {chk.name} returned rows",
                    {"examples": examples, "parameters": jsonable(after_params)},
                    chk.sql.strip() + ";",
                )
            for inv, examples in failed_invariants(admin, sc.invariants, known, sc.name, baseline):
                note(
                    f"invariant:{inv.name}",
                    rep,
                    f"after the race, invariant {inv.name} is violated",
                    {"examples": examples},
                    inv.sql.strip() + ";",
                )
    summary = {
        "sessions": sc.sessions,
        "repetitions": sc.repetitions,
        "actor": sc.actor,
        "rounds": rounds,
        "deadlocks": sum(r["outcomes"].get(DEADLOCK, 0) for r in rounds),
        "serialization_failures": sum(r["outcomes"].get(SERIALIZATION_FAILURE, 0) for r in rounds),
    }
    return problems, summary


def scenarios(ctx: CheckContext) -> list[Scenario]:
    """Return the scenarios of concurrency.toml (option integrity.concurrency_scenarios: some)."""
    data = load(ctx, NEED)
    items = entries(data, "scenario", WHERE, ("name", "actor", "operation"))
    chosen = [Scenario.parse(i) for i in items]
    opts = ctx.config.options.get("integrity", {})
    wanted = opts.get("concurrency_scenarios") if isinstance(opts, dict) else None
    if wanted:
        unknown = set(wanted) - {sc.name for sc in chosen}
        if unknown:
            raise ConfigError(
                f"option integrity.concurrency_scenarios names unknown scenarios {sorted(unknown)}",
                hint=f"{WHERE} defines {', '.join(sc.name for sc in chosen)}",
            )
        chosen = [sc for sc in chosen if sc.name in wanted]
    return chosen


@check(
    "INT020",
    title="Business function unsafe under concurrency",
    severity=Severity.CRITICAL,
    family=FAMILY,
    suite=SUITE,
    rationale="Parallel callers are the normal case behind an API: two technicians completing "
    "work orders that consume the last units of a part, receipts racing issues, a client "
    "retrying a completion, two cron runs generating PM work orders. Each scenario of "
    "dbharness/concurrency.toml runs the operation in N sessions released together by a "
    "barrier, M times, as the real API role, and checks the number of successes, that "
    "refusals carry the expected SQLSTATE (23514 insufficient stock), deadlock (40P01) and "
    "serialization failure (40001) counts, and the invariants afterwards (stock never "
    "negative, ledger sum = on hand, applied once).",
    remedy="Lock the rows a function reads before it decides (SELECT ... FOR UPDATE, in a fixed "
    "order such as by id so callers cannot deadlock), keep a CHECK as the last guard, make "
    "retries idempotent (a unique key plus ON CONFLICT, or a recorded request key).",
    needs=(NEED,),
)
def concurrency_scenarios(ctx: CheckContext) -> Iterator[Finding]:
    """Yield one finding per broken expectation of each scenario (all repetitions folded)."""
    chk = REGISTRY.get("INT020")
    scs = scenarios(ctx)
    if not scs:
        return
    known = invariant_map(ctx)
    with ctx.fresh_database() as dsn:
        for sc in scs:
            ctx.progress(
                f"INT020 {sc.name}: {sc.sessions} sessions x {sc.repetitions} as {sc.actor}"
            )
            problems, summary = run_scenario(ctx, dsn, sc, known)
            for kind, p in problems.items():
                yield chk.finding(
                    f"scenario:{sc.name}",
                    f"{sc.name}: {p.message} (in {len(p.repetitions)} of {sc.repetitions} rounds)"
                    + (f"; {sc.description}" if sc.description else ""),
                    repro_sql=p.repro_sql or sc.operation.strip() + ";",
                    details={
                        "problem": kind,
                        **p.details,
                        "failed_rounds": p.repetitions,
                        **summary,
                    },
                )


@dataclass(frozen=True)
class Termination:
    """One ``[[termination]]`` of concurrency.toml: write, then get killed before COMMIT."""

    name: str
    actor: str
    setup: str
    operation: str
    snapshot: str
    invariants: tuple[str, ...]


def _terminate(ctx: CheckContext, dsn: str) -> Callable[[int], bool]:
    def kill(pid: int) -> bool:
        with ctx.connect(dsn) as conn:
            row = conn.execute("select pg_terminate_backend(%s, 10000)", (pid,)).fetchone()
        return bool(row and row[0])

    return kill


@check(
    "INT021",
    title="Interrupted transaction left a partial write",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="A client disconnecting, a pooler recycling a connection or a statement timeout "
    "ends a transaction half way. Everything a business function wrote must vanish with it: no "
    "autonomous commits (dblink, procedures committing), no side effects outside the "
    "transaction. Each termination case of dbharness/concurrency.toml writes through the API, "
    "proves the write inside the open transaction, has the backend terminated "
    "(pg_terminate_backend) and compares the snapshot query before and after.",
    remedy="Keep every write of a call inside the caller's transaction: no dblink/loopback "
    "connections, no COMMIT inside procedures the API calls, no writes to UNLOGGED side tables "
    "that other logic trusts.",
    needs=(NEED,),
)
def terminated_transaction(ctx: CheckContext) -> Iterator[Finding]:
    """Yield a finding per termination case whose snapshot changed after the kill."""
    chk = REGISTRY.get("INT021")
    data = load(ctx, NEED)
    items = entries(data, "termination", WHERE, ("name", "actor", "operation", "snapshot"))
    if not items:
        return
    known = invariant_map(ctx)
    cases = [
        Termination(
            str(i["name"]),
            str(i["actor"]),
            str(i.get("setup", "select")),
            str(i["operation"]),
            str(i["snapshot"]),
            tuple(str(n) for n in i.get("invariants", ())),
        )
        for i in items
    ]
    with ctx.fresh_database() as dsn, ctx.connect(dsn) as admin:
        for case in cases:
            ctx.progress(f"INT021 {case.name}: write as {case.actor}, then terminate the backend")
            rows = run_setup(admin, case.setup, 0, 1)
            params = rows[0] if rows else {}
            before = admin.execute(case.snapshot, params).fetchall()
            baseline = invariant_rows(admin, case.invariants, known, case.name)
            got = run_then_terminate(
                dsn,
                actor_for(case.actor),
                case.operation,
                params,
                case.snapshot,
                _terminate(ctx, dsn),
            )
            after = admin.execute(case.snapshot, params).fetchall()
            details: dict[str, Any] = {
                "before": jsonable(before),
                "inside_transaction": jsonable(got.inside),
                "after": jsonable(after),
                "terminated": got.terminated,
                "session_error": got.error.sqlstate if got.error else None,
            }
            obj = f"termination:{case.name}"
            repro = case.snapshot.strip() + ";"
            if got.wrote_first is not None:
                yield chk.finding(
                    obj,
                    f"{case.name}: the operation itself failed ({got.wrote_first.sqlstate}: "
                    f"{got.wrote_first.message}), so the interruption could not be tested",
                    repro_sql=case.operation.strip() + ";",
                    details=details,
                )
                continue
            if got.inside == before:
                raise ConfigError(
                    f"{WHERE}: termination {case.name}: the snapshot did not change inside the "
                    "transaction, so the case proves nothing",
                    hint="the snapshot query must see what the operation writes",
                )
            if not got.terminated or (got.error and got.error.sqlstate != ADMIN_SHUTDOWN):
                details["note"] = "the backend was not terminated as planned"
            if after != before:
                yield chk.finding(
                    obj,
                    f"{case.name}: after the backend was terminated mid-transaction the snapshot "
                    "differs from before: part of the write survived",
                    repro_sql=repro,
                    details=details,
                )
            for inv, examples in failed_invariants(
                admin, case.invariants, known, case.name, baseline
            ):
                yield chk.finding(
                    f"{obj}:{inv.name}",
                    f"{case.name}: invariant {inv.name} is violated after the termination",
                    repro_sql=inv.sql.strip() + ";",
                    details={"examples": examples},
                )
