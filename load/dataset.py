"""The database a load run works on: the schema's data plus a pool of work for the run.

The data is the schema's generator (``<schema>/dbharness/datagen.py``, ``generate(conn, scale,
seed, progress)``) when it has one, else its seed data. On top, :func:`prepare` adds what a run
consumes and would otherwise exhaust within seconds: work orders assigned to every active
technician (started and completed by ``start_complete``) and in-progress ones with checklists
(toggled by ``checklist_progress``, logged against by ``log_time``). It also writes the helper
table pgbench draws its callers from.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from harness.errors import HarnessError
from harness.impersonate import Actor
from harness.schema_dir import SchemaDir
from load.mix import POOL_JOB_PREFIX, ROLES

HELPER_SCHEMA = "dbharness_load"
ACTORS_TABLE = f"{HELPER_SCHEMA}.actors"
POOL_TITLE = "[load] "  # marks the work orders a run added, for the report and for cleanup
IN_PROGRESS_PER_TECH = 5
CHECKLIST_STEPS = 4
MIN_ACTOR_SLOTS = 1000  # pgbench draws from at least this many slots: a smooth role mix
DATAGEN_FILE = "datagen.py"


@dataclass(frozen=True)
class Profile:
    """A real user of the dataset that simulated users act as."""

    id: str
    email: str
    role: str
    warehouse_id: str = ""  # home warehouse: an API client filters by it (load.http_mix)

    def claims_json(self) -> str:
        """Return the ``request.jwt.claims`` PostgREST would set for this user's access token."""
        return Actor.user(self.id, self.email).claims_json()


def has_generator(schema: SchemaDir, scale: str) -> bool:
    """Whether the run uses the schema's generator (else its seed data); ``seed`` forces seed."""
    return scale != "seed" and schema.plugin(DATAGEN_FILE) is not None


def generate_data(
    dsn: str, schema: SchemaDir, scale: str, seed: int, progress: Callable[[str], None]
) -> None:
    """Fill ``dsn``'s database (schema applied, no data) with the generator at ``scale``."""
    from harness.datagen.run import generate_dataset  # only when the schema has a generator

    generate_dataset(dsn, schema, scale, seed, progress)


def load_profiles(conn: psycopg.Connection[Any]) -> dict[str, list[Profile]]:
    """Active profiles of the roles the mix simulates, by role; each role needs at least one."""
    rows = conn.execute(
        "select id::text, coalesce(email, ''), role::text, warehouse_id::text from public.profiles"
        " where is_active and role::text = any(%s) order by id",
        ([r.name for r in ROLES],),
    ).fetchall()
    by_role: dict[str, list[Profile]] = {r.name: [] for r in ROLES}
    for pid, email, role, home in rows:
        by_role[role].append(Profile(pid, email, role, home))
    missing = [role for role, profiles in by_role.items() if not profiles]
    if missing:
        raise HarnessError(
            f"the dataset has no active profile with role(s) {', '.join(missing)}",
            hint="load seed data or a generated dataset (--scale) that has every role of "
            "load/mix.py ROLES",
        )
    return by_role


def add_work_pool(conn: psycopg.Connection[Any], total: int) -> int:
    """Assign about ``total`` fresh work orders over the active technicians; return the count.

    Runs as the database owner without request claims: the schema's rule triggers treat that as
    a trusted server-side job, as they do for the seed.
    """
    n_tech = conn.execute(
        "select count(*) from public.profiles where is_active and role = 'technician'"
    ).fetchone()
    per_tech = max(1, math.ceil(total / max(1, n_tech[0] if n_tech else 1)))
    insert = (
        "insert into public.work_orders (warehouse_id, type, title, status, priority,"
        " assigned_to, due_date)"
        " select p.warehouse_id, 'corrective', %s || g, %s, 'medium', array[p.id],"
        " now() + (g %% 30) * interval '1 day'"
        " from public.profiles p cross join generate_series(1, %s) g"
        " where p.is_active and p.role = 'technician'"
    )
    with conn.transaction():
        conn.execute(insert, (POOL_JOB_PREFIX, "assigned", per_tech))
        conn.execute(insert, (POOL_TITLE + "ongoing ", "in_progress", IN_PROGRESS_PER_TECH))
        conn.execute(
            "insert into public.wo_checklist_items (warehouse_id, work_order_id, position,"
            " description) select w.warehouse_id, w.id, g, 'Step ' || g"
            " from public.work_orders w cross join generate_series(1, %s) g"
            " where w.title like %s",
            (CHECKLIST_STEPS, POOL_TITLE.replace("[", "\\[") + "%"),
        )
        row = conn.execute(
            "select count(*) from public.work_orders where title like %s",
            (POOL_TITLE.replace("[", "\\[") + "%",),
        ).fetchone()
    return int(row[0]) if row else 0


def actor_slots(by_role: dict[str, list[Profile]], slots: int) -> list[tuple[int, Profile]]:
    """Spread ``slots`` callers over the roles by weight, round-robin over each role's profiles.

    Returns (role code, profile) per slot; the largest-remainder rounding keeps the shares exact.
    """
    total_weight = sum(r.weight for r in ROLES)
    counts = {r.name: slots * r.weight // total_weight for r in ROLES}
    short = slots - sum(counts.values())
    for r in sorted(ROLES, key=lambda r: -(slots * r.weight % total_weight))[:short]:
        counts[r.name] += 1
    out: list[tuple[int, Profile]] = []
    for r in ROLES:
        profiles = by_role[r.name]
        out.extend((r.code, profiles[i % len(profiles)]) for i in range(counts[r.name]))
    return out


def write_actors_table(
    conn: psycopg.Connection[Any], slots: list[tuple[int, Profile]], login_role: str
) -> None:
    """(Re)create the helper table pgbench draws callers from, readable by ``login_role``."""
    ident = sql.Identifier(login_role)
    with conn.transaction():
        conn.execute(f"create schema if not exists {HELPER_SCHEMA}")
        conn.execute(f"drop table if exists {ACTORS_TABLE}")
        conn.execute(
            f"create table {ACTORS_TABLE} (n integer primary key, id uuid not null,"
            " role_code integer not null, claims text not null)"
        )
        with conn.cursor().copy(f"copy {ACTORS_TABLE} (n, id, role_code, claims) from stdin") as cp:
            for n, (code, profile) in enumerate(slots, start=1):
                cp.write_row((n, profile.id, code, profile.claims_json()))
        conn.execute(sql.SQL("grant usage on schema {} to {}").format(
            sql.Identifier(HELPER_SCHEMA), ident))
        conn.execute(sql.SQL("grant select on {}.actors to {}").format(
            sql.Identifier(HELPER_SCHEMA), ident))


def prepare(
    dsn: str, *, users: int, pool_work_orders: int, login_role: str
) -> tuple[dict[str, list[Profile]], int, int]:
    """Add the run's work pool and pgbench's caller table to ``dsn``'s database.

    Returns the profiles by role, the number of caller slots and of pool work orders.
    """
    with psycopg.connect(dsn, autocommit=True) as conn:
        by_role = load_profiles(conn)
        pool = add_work_pool(conn, pool_work_orders)
        slots = actor_slots(by_role, max(users, MIN_ACTOR_SLOTS))
        write_actors_table(conn, slots, login_role)
        conn.execute("analyze")
    return by_role, len(slots), pool
