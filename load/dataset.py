"""The database a load run works on: the schema's data plus a pool of work for the run.

The data is the schema's generator (``<schema>/dbharness/datagen.py``, ``generate(conn, scale,
seed, progress)``) when it has one, else its seed data. On top, :func:`prepare` adds a real profile
for every simulated user (spread over the warehouses as the dataset's people are, each role as
many as the mix gives it), what a run consumes and would otherwise exhaust within seconds
(work orders assigned to every active technician, started and completed by ``start_complete``,
and in-progress ones with checklists, toggled by ``checklist_progress`` and logged against by
``log_time``), and the table of callers both Locust and pgbench act as.
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
LOAD_EMAIL_PREFIX = "load."  # e-mail of the profiles a run adds: load.<role>.<n>.<id>@...
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


def profiles_needed(users: int, workers: int) -> dict[str, int]:
    """Profiles each role needs so that every simulated user is a profile of its own.

    Locust splits ``users`` over the roles by weight (rounding to whole users) and over
    ``workers`` processes (one more user on some): a role gets its share plus one per worker.
    """
    total_weight = sum(r.weight for r in ROLES)
    return {r.name: math.ceil(users * r.weight / total_weight) + max(1, workers) for r in ROLES}


def add_profiles(conn: psycopg.Connection[Any], needed: dict[str, int]) -> int:
    """Add active profiles (and their auth users) until each role has ``needed[role]``.

    The new profiles are spread over the warehouses as the existing ones are (a large site keeps
    its larger share of the people), so the simulated population has the dataset's shape. Runs
    as the database owner without request claims (a trusted server-side job for the schema's
    triggers); returns how many were added.
    """
    have = dict(conn.execute(
        "select role::text, count(*) from public.profiles where is_active group by role"
    ).fetchall())
    added = 0
    with conn.transaction():
        for role, want in needed.items():
            missing = want - int(have.get(role, 0))
            if missing <= 0:
                continue
            # Each warehouse's share of the active profiles, as cumulative bounds in [0, 1):
            # new profile g of n goes to the warehouse whose bound first exceeds (g - 0.5) / n.
            conn.execute(
                "with share as ("
                "  select w.id, w.code, sum(count(p.id)) over (order by w.code)::float8"
                "   / sum(count(p.id)) over () as upto"
                "   from public.warehouses w left join public.profiles p"
                "     on p.warehouse_id = w.id and p.is_active group by w.id, w.code),"
                " fresh as ("
                "  select g, gen_random_uuid() as id,"
                "   (select s.id from share s where s.upto > (g - 0.5) / %(n)s"
                "     order by s.upto limit 1) as warehouse_id"
                "   from generate_series(1, %(n)s) g),"
                " users as ("
                "  insert into auth.users (id, aud, role, email, email_confirmed_at)"
                "  select f.id, 'authenticated', 'authenticated',"
                "   %(prefix)s || %(role)s || '.' || f.g || '.' || f.id || '@maintainpro.test',"
                "   now() from fresh f returning id, email)"
                " insert into public.profiles (id, warehouse_id, role, first_name, last_name,"
                "  email)"
                " select f.id, f.warehouse_id, %(role)s::public.app_role, 'Load', %(role)s,"
                "  u.email from fresh f join users u using (id)",
                {"n": missing, "role": role, "prefix": LOAD_EMAIL_PREFIX},
            )
            added += missing
    return added


def actor_slots(by_role: dict[str, list[Profile]], needed: dict[str, int]) -> list[Profile]:
    """Return the profiles the run acts as: ``needed[role]`` of each role, the roles in ROLES order.

    Slot n (from 1) is ``actors[n - 1]``; the slots of a role are consecutive, so pgbench draws
    a role's callers from a range and the mix's role shares hold by construction.
    """
    out: list[Profile] = []
    for r in ROLES:
        profiles = by_role[r.name]
        if len(profiles) < needed[r.name]:
            raise HarnessError(
                f"{len(profiles)} active {r.name} profiles for {needed[r.name]} simulated users"
            )
        out.extend(profiles[: needed[r.name]])
    return out


def write_actors_table(
    conn: psycopg.Connection[Any], actors: list[Profile], login_role: str
) -> None:
    r"""(Re)create the table of callers (pgbench's and Locust's), readable by ``login_role``.

    One row per slot: the profile, its role (name, and code for pgbench's ``\if``), its
    ordinal within the role (Locust maps its users onto it) and the claims PostgREST would set.
    """
    ident = sql.Identifier(login_role)
    codes = {r.name: r.code for r in ROLES}
    ordinal: dict[str, int] = {}
    with conn.transaction():
        conn.execute(f"create schema if not exists {HELPER_SCHEMA}")
        conn.execute(f"drop table if exists {ACTORS_TABLE}")
        conn.execute(
            f"create table {ACTORS_TABLE} (n integer primary key, id uuid not null,"
            " email text not null, role text not null, role_code integer not null,"
            " ordinal integer not null, claims text not null, unique (role, ordinal))"
        )
        with conn.cursor().copy(
            f"copy {ACTORS_TABLE} (n, id, email, role, role_code, ordinal, claims) from stdin"
        ) as cp:
            for n, p in enumerate(actors, start=1):
                k = ordinal[p.role] = ordinal.get(p.role, -1) + 1
                cp.write_row((n, p.id, p.email, p.role, codes[p.role], k, p.claims_json()))
        conn.execute(sql.SQL("grant usage on schema {} to {}").format(
            sql.Identifier(HELPER_SCHEMA), ident))
        conn.execute(sql.SQL("grant select on {}.actors to {}").format(
            sql.Identifier(HELPER_SCHEMA), ident))


@dataclass(frozen=True)
class Prepared:
    """What :func:`prepare` left in the database for the run."""

    actors: list[Profile]  # slot n is actors[n - 1]
    profiles_added: int
    pool_work_orders: int

    def pgbench_variables(self) -> dict[str, int]:
        """``-D`` values of the mix script: slots in all, and the last slot of each role."""
        out = {"nactors": len(self.actors)}
        last = 0
        for r in ROLES:
            last += sum(1 for p in self.actors if p.role == r.name)
            out[f"last{r.code}"] = last
        return out

    def role_range(self, role: str) -> tuple[int, int]:
        """First and last slot of ``role``."""
        slots = [n for n, p in enumerate(self.actors, start=1) if p.role == role]
        return slots[0], slots[-1]

    def by_role(self) -> dict[str, int]:
        """Simulated-user profiles per role."""
        out: dict[str, int] = {}
        for p in self.actors:
            out[p.role] = out.get(p.role, 0) + 1
        return out


def prepare(
    dsn: str, *, users: int, pool_work_orders: int, login_role: str, workers: int = 1
) -> Prepared:
    """Add the run's profiles, work pool and table of callers to ``dsn``'s database."""
    needed = profiles_needed(users, workers)
    with psycopg.connect(dsn, autocommit=True) as conn:
        load_profiles(conn)  # every role of the mix must exist in the dataset to begin with
        added = add_profiles(conn, needed)
        by_role = load_profiles(conn)
        pool = add_work_pool(conn, pool_work_orders)
        actors = actor_slots(by_role, needed)
        write_actors_table(conn, actors, login_role)
        conn.execute("analyze")
    return Prepared(actors, added, pool)
