"""SEC101: work orders walked through their life cycle by actors of every role.

Anti-pattern: testing each transition once, as admin. Best practice: a hypothesis state machine
picks a work order and lets random actors (every role, every warehouse, anon, forged claims)
change its status or assignment, committing each step on a private clone; after every step the
access matrix must hold (the oracle re-reads the row) and the status must have moved only along a
legal transition of the matrix's state machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import seed
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    get_state_machine_test,  # type: ignore[attr-defined]  # internal: lets us attach the seed
    initialize,
    invariant,
    rule,
)
from psycopg import sql
from psycopg.rows import dict_row

from harness.access.oracle import Oracle
from harness.access.probe import ActorSpec, Case, Verdict, judge, literal
from harness.context import CheckContext
from harness.registry import REGISTRY, Finding, Severity, check
from harness.runner import SkipCheck
from harness.strategies import Model, open_model
from suites.security.rls_matrix import Mismatch, hypothesis_settings, load_access, verdict_finding

SUITE, FAMILY = "security", "rls"
TABLE = "work_orders"
STEPS_PER_MACHINE = 15
CASES_PER_MACHINE = 50  # machines = rls_cases / this: the stateful walk costs ~1 s per 200 steps


def machine_class(conn: Any, model: Model, failures: list[tuple[Verdict, list[str]]]) -> type:
    """A state machine bound to one database and snapshot."""
    matrix = model.matrix
    sm = matrix.state_machines.get(TABLE)
    if sm is None:
        raise SkipCheck(f"the access matrix has no state machine for {TABLE}")
    key = matrix.table(TABLE).key
    meta = model.metas[TABLE]
    statuses = sorted({s for s in sm.transitions} | {t for v in sm.transitions.values() for t in v})
    wo_ids = sorted((r[key] for r in model.snapshot.table(TABLE)), key=str)
    users = sorted({a.principal.sub for a in model.actors if a.principal.sub}, key=str)

    def read(wo: Any) -> dict[str, Any]:
        q = sql.SQL("select * from {} where {} = {}").format(
            meta.qualified, sql.Identifier(key), literal(conn, wo, meta.columns[key].type)
        )
        with conn.cursor(row_factory=dict_row) as cur:
            row = cur.execute(q).fetchone()
        assert row is not None, f"{TABLE} {wo} vanished"
        row.pop("search", None)
        return dict(row)

    class Lifecycle(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.wo: Any = None
            self.history: list[str] = []
            self.steps: list[str] = []

        @initialize(wo=st.sampled_from(wo_ids))
        def pick(self, wo: Any) -> None:
            self.wo = wo
            self.history = [str(read(wo)[sm.column])]

        def _step(self, spec: ActorSpec, change: dict[str, Any]) -> None:
            old = read(self.wo)
            rows = model.snapshot.rows[TABLE]
            rows[:] = [old if r[key] == self.wo else r for r in rows]
            model.snapshot._index.pop(TABLE, None)  # the row changed: rebuild the key index
            oracle = Oracle(matrix, model.snapshot)
            v = judge(conn, oracle, model.metas, Case(spec, TABLE, "U", self.wo, change), commit=True)
            self.steps.append(f"{v.summary()}")
            new = read(self.wo)
            problem = None
            if v.judgement == "disagree":
                problem = "the access matrix does not hold"
            elif not sm.legal(old[sm.column], new[sm.column]):
                problem = f"illegal transition {old[sm.column]} -> {new[sm.column]} happened"
            elif v.observed.sqlstate is not None and new != old:
                problem = "a refused update changed the row"
            if problem:
                failures[:] = [(v, list(self.steps))]
                raise Mismatch(f"{problem}: {v.summary()}")
            if new[sm.column] != self.history[-1]:
                self.history.append(str(new[sm.column]))

        @rule(spec=st.sampled_from(model.actors), new_status=st.sampled_from(statuses))
        def transition(self, spec: ActorSpec, new_status: str) -> None:
            self._step(spec, {sm.column: new_status})

        @rule(spec=st.sampled_from(model.actors), assignee=st.sampled_from(users))
        def assign(self, spec: ActorSpec, assignee: Any) -> None:
            self._step(spec, {"assigned_to": [assignee]})

        @invariant()
        def only_legal_history(self) -> None:
            for a, b in zip(self.history, self.history[1:], strict=False):
                assert sm.legal(a, b), f"history {' -> '.join(self.history)} has {a} -> {b}"

    return Lifecycle


@check(
    "SEC101",
    title="Work order life cycle respects the access matrix and the state machine",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    needs=("access",),
    rationale="A status column is a small program: sequences of updates by different roles can "
    "reach states a single-step test never sees (a technician reopening a closed order, a "
    "requester editing a request someone already opened).",
    remedy="Run the steps of the finding; fix the state machine trigger or the column rules of "
    "the role that made the illegal step.",
)
def lifecycle_holds(ctx: CheckContext) -> Iterator[Finding]:
    matrix = load_access(ctx)
    if TABLE not in matrix.tables:
        raise SkipCheck(f"the access matrix has no table {TABLE}")
    failures: list[tuple[Verdict, list[str]]] = []
    with ctx.fresh_database() as dsn, ctx.connect(dsn) as conn:
        model = open_model(conn, matrix)
        machine = machine_class(conn, model, failures)
        examples = max(10, ctx.config.rls_cases // CASES_PER_MACHINE)
        s = hypothesis_settings(ctx, examples)
        test = get_state_machine_test(
            machine, settings=s.__class__(s, stateful_step_count=STEPS_PER_MACHINE)
        )
        seed(ctx.seed)(test)
        try:
            test()
        except Mismatch:
            pass
        except AssertionError as exc:  # the history invariant, outside any single step
            yield REGISTRY.get("SEC101").finding(f"public.{TABLE}", str(exc), seed=ctx.seed)
            return
    if failures:
        v, steps = failures[0]
        f = verdict_finding("SEC101", v, ctx.seed, "last step of a minimal sequence")
        chk = REGISTRY.get("SEC101")
        yield chk.finding(
            f.object,
            f.message + "\n  steps:\n    " + "\n    ".join(steps),
            repro_sql=f.repro_sql,
            seed=ctx.seed,
            details={**f.details, "steps": steps},
        )
