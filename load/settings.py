"""The settings of a load run and the presets that fill them (``--preset``)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from harness.config import ApiSettings
from load.report import Thresholds


@dataclass(frozen=True)
class LoadSettings:
    """Every setting of a load run (a preset fills them, options override)."""

    users: int = 50
    spawn_rate: float = 25.0
    duration_s: int = 10
    via: str = "pgbouncer"
    processes: int = 1
    think: tuple[float, float] = (0.5, 1.5)
    port: int | None = None
    pool_size: int = 20
    pgbench_seconds: int = 5
    pgbench_clients: int = 20
    pool_work_orders: int = 2000
    scale: str = "ci"  # the schema's generator's scale; "seed" (or no generator): seed data
    seed: int = 20261125
    login_role: str = "authenticator"
    batched: bool = True  # a transaction in one round trip (see load.client.run_batched)
    durable: bool = True  # an embedded server commits durably (fsync, synchronous_commit on)
    cost_seconds: int = 0  # per operation, a pgbench phase measuring its cost (0: none)
    # Distributed mode: this process runs the Locust master only and waits for this many
    # workers (``dbharness load-worker``) on other machines; 0: the run starts its own.
    expect_workers: int = 0
    bind: str = "127.0.0.1"  # where the master and the pooler listen (workers connect there)
    master_port: int = 5557
    pgbouncer_bin: str = "pgbouncer"
    locust_bin: str = "locust"
    pgbench_bin: str = "pgbench"
    thresholds: Thresholds = field(default_factory=Thresholds)
    # --via postgrest: the PostgREST the HTTP users go through (its db_pool becomes pool_size)
    api: ApiSettings = field(default_factory=ApiSettings)
    platform: str = "supabase"  # the platform base the database is built on (harness.platform)

    @property
    def distributed(self) -> bool:
        """Whether the workers are started elsewhere (``load-worker``) rather than by the run."""
        return self.expect_workers > 0

    @property
    def worker_count(self) -> int:
        """Locust processes that run users."""
        return self.expect_workers or self.processes


PRESETS: dict[str, LoadSettings] = {
    # CI: a minute at most, including database preparation.
    "smoke": LoadSettings(scale="tiny"),
    # docs/budgets.md: 10,000 concurrent users. Plant-floor users (technicians at the machine,
    # clerks at the store) touch a screen every one to two minutes: ~110 tx/s offered. The ramp
    # (100 users/s, each opening a connection) takes 100 s of the 300; p95 is judged once all
    # users run.
    "target": LoadSettings(
        users=10_000, spawn_rate=100.0, duration_s=300, processes=2, think=(60.0, 120.0),
        pgbench_seconds=20, pgbench_clients=40, pool_work_orders=20_000,
    ),
    # docs/budgets.md's morning shift change: the same users acting every 10-30 s, ~500 tx/s offered
    # on the same 2 cores as the load generator. Every new user opens a connection (CPU in the
    # generator and the pooler): 200 a second ramp up in 50 s and leave 120 s held.
    "peak": LoadSettings(
        users=10_000, spawn_rate=200.0, duration_s=170, processes=2, think=(10.0, 30.0),
        pgbench_seconds=20, pgbench_clients=40, pool_work_orders=20_000,
    ),
}


def preset(name: str, **overrides: Any) -> LoadSettings:
    """Return preset ``name`` with the non-None ``overrides`` applied."""
    return replace(PRESETS[name], **{k: v for k, v in overrides.items() if v is not None})
