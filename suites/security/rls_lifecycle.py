"""SEC101: work orders walked through their life cycle by actors of every role.

Anti-pattern: testing each transition once, as admin. Best practice: a hypothesis state machine
picks a work order and lets random actors (every role, every warehouse, anon, forged claims)
change its status or assignment, and actors the matrix allows advance it along legal transitions
(so that walks reach the later states), committing each step on a private clone; after every
step the access matrix must hold (the oracle re-reads the row) and the status must have moved
only along a legal transition of the matrix's state machine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from hypothesis import seed
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException
from hypothesis.stateful import (
    RuleBasedStateMachine,
    get_state_machine_test,  # internal, but the only way to attach the run's seed
    initialize,
    invariant,
    rule,
)
from psycopg import sql
from psycopg.rows import dict_row

from harness.access.matrix import StateMachine
from harness.access.oracle import Oracle
from harness.access.probe import ActorSpec, Case, Verdict, judge, literal
from harness.context import CheckContext
from harness.errors import CheckSkipped as SkipCheck
from harness.registry import REGISTRY, Finding, Severity, check
from harness.strategies import Model, open_model
from suites.security.floors import Floor, below_floor
from suites.security.rls_matrix import Mismatch, hypothesis_settings, load_access, verdict_finding

SUITE, FAMILY = "security", "rls"
TABLE = "work_orders"
STEPS_PER_MACHINE = 15
CASES_PER_MACHINE = 50  # machines = rls_cases / this: the stateful walk costs ~1 s per 200 steps
FLOORS = (
    Floor("min_status_changes", 10, "the number of steps that changed a work order's status"),
    Floor("min_conclusive_share", 0.8, "the share of steps with a conclusive outcome", share=True),
)


def machine_class(
    conn: Any, model: Model, failures: list[tuple[Verdict, list[str]]], stats: Counter[str]
) -> type:
    """Build a state machine class bound to one database and snapshot."""
    matrix = model.matrix
    found = matrix.state_machines.get(TABLE)
    if found is None:
        raise SkipCheck(f"the access matrix has no state machine for {TABLE}")
    sm: StateMachine = found
    key = matrix.table(TABLE).key
    meta = model.metas[TABLE]
    statuses = sorted({s for s in sm.transitions} | {t for v in sm.transitions.values() for t in v})
    wo_ids = sorted((r[key] for r in model.snapshot.table(TABLE)), key=str)
    # Rows in a state with a way out: a walk that starts on a closed or cancelled order can only
    # be refused, so three walks in four start on one of these.
    movable = sorted((r[key] for r in model.snapshot.table(TABLE)
                      if sm.transitions.get(str(r[sm.column]))), key=str) or wo_ids
    users = sorted({a.principal.sub for a in model.actors if a.principal.sub}, key=str)
    scope_col = matrix.table(TABLE).scope_column
    homes = {
        r[matrix.actors.key]: r[matrix.actors.home]
        for r in model.snapshot.table(matrix.actors.table)
    }

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

        @initialize(wo=st.integers(0, 3).flatmap(
            lambda k: st.sampled_from(movable if k else wo_ids)))
        def pick(self, wo: Any) -> None:
            self.wo = wo
            self.original = read(wo)
            self.history = [str(self.original[sm.column])]

        def teardown(self) -> None:
            # Put the row back so that hypothesis can replay and shrink against the same data.
            # Triggers are off for the restore: going back is an "illegal transition".
            if self.wo is None:
                return
            cols = [c for c in meta.writable() if c.name != key and c.name in self.original]
            q = sql.SQL("update {} set {} where {} = {}").format(
                meta.qualified,
                sql.SQL(", ").join(
                    sql.SQL("{} = {}").format(
                        sql.Identifier(c.name), literal(conn, self.original[c.name], c.type)
                    )
                    for c in cols
                ),
                sql.Identifier(key),
                literal(conn, self.wo, meta.columns[key].type),
            )
            with conn.transaction():
                conn.execute("set local session_replication_role = replica")
                conn.execute(q)

        def _oracle(self) -> tuple[Oracle, dict[str, Any]]:
            """Return an oracle that knows the row as it is now, and the row."""
            old = read(self.wo)
            rows = model.snapshot.rows[TABLE]
            rows[:] = [old if r[key] == self.wo else r for r in rows]
            model.snapshot._index.pop(TABLE, None)  # the row changed: rebuild the key index
            return Oracle(matrix, model.snapshot), old

        def _step(
            self,
            spec: ActorSpec,
            change: dict[str, Any],
            known: tuple[Oracle, dict[str, Any]] | None = None,
        ) -> None:
            # ``known``: the oracle and row the caller already read for this step
            oracle, old = known or self._oracle()
            v = judge(
                conn, oracle, model.metas, Case(spec, TABLE, "U", self.wo, change), commit=True
            )
            self.steps.append(f"{v.summary()}")
            new = read(self.wo)
            stats["steps"] += 1
            stats[v.judgement] += 1
            stats["changed status" if new[sm.column] != old[sm.column] else "kept status"] += 1
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

        def _actor(self, data: st.DataObject) -> ActorSpec:
            # Mostly people of the order's own warehouse: they are the ones who may act at all.
            scope = self.original[scope_col]
            local = [a for a in model.actors if homes.get(a.principal.sub) == scope]
            pool = (
                local
                if local and data.draw(st.integers(0, 3), label="local?") > 0
                else model.actors
            )
            spec: ActorSpec = data.draw(st.sampled_from(pool), label="actor")
            return spec

        @rule(data=st.data())
        def transition(self, data: st.DataObject) -> None:
            legal = sorted(sm.transitions.get(self.history[-1], ()))
            advance: bool = bool(legal) and data.draw(st.booleans(), label="advance?")
            if advance:
                # A legal next status by someone the matrix lets make it, mostly towards a state
                # with a way out: random actors alone are mostly refused, and the walk would
                # rarely get past the first states.
                onward = [t for t in legal if sm.transitions.get(t)]
                towards = data.draw(st.integers(0, 3), label="onward?") > 0
                status = data.draw(st.sampled_from(onward if onward and towards else legal),
                                   label="status")
                oracle, old = self._oracle()
                new = {**old, sm.column: status}
                able = [a for a in model.actors
                        if oracle.can_update(a.principal, TABLE, old, new).allowed]
                if able:
                    stats["advanced"] += 1
                    self._step(data.draw(st.sampled_from(able), label="actor"),
                               {sm.column: status}, (oracle, old))
                    return
            spec = self._actor(data)
            pool = legal if legal and data.draw(st.integers(0, 3), label="legal?") > 0 else statuses
            self._step(spec, {sm.column: data.draw(st.sampled_from(pool), label="status")})

        @rule(data=st.data())
        def assign(self, data: st.DataObject) -> None:
            spec = self._actor(data)
            local = [u for u in users if homes.get(u) == self.original[scope_col]]
            pool = local if local and data.draw(st.integers(0, 3), label="local?") > 0 else users
            self._step(spec, {"assigned_to": [data.draw(st.sampled_from(pool), label="assignee")]})

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
    """Walk work orders through their life cycle with random actors."""
    matrix = load_access(ctx)
    if TABLE not in matrix.tables:
        raise SkipCheck(f"the access matrix has no table {TABLE}")
    failures: list[tuple[Verdict, list[str]]] = []
    stats: Counter[str] = Counter()
    with ctx.fresh_database() as dsn, ctx.connect(dsn) as conn:
        model = open_model(conn, matrix)
        machine = machine_class(conn, model, failures, stats)
        examples = max(10, ctx.config.rls_cases // CASES_PER_MACHINE)
        s = hypothesis_settings(ctx, examples)
        test = get_state_machine_test(  # type: ignore[no-untyped-call,unused-ignore]  # typed in newer hypothesis
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
        except HypothesisException:
            # Replaying against a database is not perfectly repeatable (e.g. a trigger touched
            # another table); the failure seen is still real, only its shrinking was cut short.
            if not failures:
                raise
    ctx.progress("SEC101: " + ", ".join(f"{k} {n}" for k, n in sorted(stats.items())))
    conclusive = stats["agree"] + stats["disagree"]
    share = conclusive / stats["steps"] if stats["steps"] else 0.0
    ctx.stats.update(
        machines=examples,
        steps=stats["steps"],
        status_changes=stats["changed status"],
        advanced=stats["advanced"],
        agree=stats["agree"],
        disagree=stats["disagree"],
        inconclusive=stats["inconclusive"],
        conclusive_share=round(share, 4),
    )
    if not failures:  # a walk that failed stopped early: its coverage says nothing
        yield from below_floor(
            ctx, "SEC101", FLOORS,
            {"min_status_changes": stats["changed status"], "min_conclusive_share": share},
        )
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
