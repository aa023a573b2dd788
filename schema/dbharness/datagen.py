"""MaintAInPro's data generator plug-in for dbharness (``generate(conn, scale, seed, progress)``).

Deterministic from the seed: the small tables (sites, people, vendors, templates) are laid out in
Python with ``random.Random(seed)`` and COPYed; the large ones are generated server-side by
``INSERT ... SELECT`` over ``generate_series``, every attribute a function of (seed, row number)
through ``hashint8extended`` -- no ``random()``, so two connections loading side by side and two
runs months apart produce the same rows. Ids are structured UUIDs
``<seed>-<kind>-4000-8000-<row number>``, so a child computes its parent's id without a join.

Distributions: warehouses Zipf-like (site 0 the largest), work orders over 700 days before
``AS_OF`` with statuses by age (old: mostly closed; last 30 days: the open tail), assignees and
requesters skewed towards the busy few, part usage skewed towards a few fast movers, one audit
row per insert and status transition. Consistency: composite foreign keys within a warehouse,
``wo_number`` unique per warehouse and day (and ``private.wo_number_counters`` continued from
it), legal status/timestamp combinations, parts on hand = ledger sum >= reserved >= 0.

The loader session skips triggers (see ``harness.datagen.bulk``), so this module writes the
audit rows itself; ``harness.datagen.verify`` proves the foreign keys in the tests.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from harness.datagen.bulk import (
    Task,
    analyze_statements,
    copy_rows,
    deferred_indexes,
    run_parallel,
    vacuum_analyze,
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Size:
    """Row counts of one scale."""

    warehouses: int
    profiles: int
    equipment: int
    parts: int
    work_orders: int
    part_transactions: int
    audit_rows: int
    notifications: int


SCALES: dict[str, Size] = {
    # micro: tiny's sites and people with a tenth of its rows (PRF103's tests compare the two)
    "micro": Size(3, 40, 100, 30, 2_000, 2_000, 4_000, 200),
    "tiny": Size(3, 40, 1_000, 300, 20_000, 20_000, 40_000, 2_000),
    "ci": Size(20, 200, 5_000, 2_000, 100_000, 200_000, 500_000, 20_000),
    "full": Size(20, 2_000, 50_000, 20_000, 1_000_000, 2_000_000, 5_000_000, 200_000),
}

# Timestamps end here, not at the wall clock, so that the same seed gives the same rows any day.
AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
SPAN = timedelta(days=700)
DAY_S = 86_400
RECENT_S = 30 * DAY_S  # younger work orders form the open tail
WORK_S = 3 * DAY_S  # how long a job's life cycle takes at most


class Kind:
    """The kind field of generated UUIDs (one per table, plus ledger row origins)."""

    WAREHOUSE, PROFILE, VENDOR, CONTRACTOR, EQUIPMENT, PART = 1, 2, 3, 4, 5, 6
    PM_TEMPLATE, PM_STEP, PM_SCHEDULE, WORK_ORDER, CHECKLIST, TIME_LOG = 7, 8, 9, 10, 11, 12
    PART_USED, LEDGER, AUDIT, NOTIFICATION, UWA, SETTING, ESCALATION = 13, 14, 15, 16, 17, 18, 19
    NOTIFY_SETTING, HISTORY, ISSUE, OPENING, ASSIGNEE = 20, 21, 22, 23, 24


def uid(seed: int, kind: int, i: int) -> str:
    """Return the generated id; ``pg_temp.id(kind, i)`` computes the same in SQL."""
    return f"{seed & 0xFFFFFFFF:08x}-{kind:04x}-4000-8000-{i:012x}"


CORE_ROLES = ("manager", "supervisor", "technician", "technician", "inventory_clerk",
              "contractor", "requester")
EXTRA_ROLES = (("technician", 0.50), ("requester", 0.22), ("contractor", 0.08),
               ("supervisor", 0.08), ("inventory_clerk", 0.06), ("manager", 0.06))
# Who can be drawn for what, per warehouse (active users only).
POOLS: dict[str, tuple[str, ...]] = {
    "tech": ("technician",),
    "contractor": ("contractor",),
    "req": ("requester", "technician", "supervisor"),
    "sup": ("supervisor", "manager"),
    "clerk": ("inventory_clerk", "manager"),
}
FIRST = ("Ana", "Ben", "Chen", "Dana", "Eli", "Fatima", "Goran", "Hana", "Ivan", "Jae", "Kofi",
         "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Vik")
LAST = ("Adams", "Baker", "Costa", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito",
        "Jensen", "Kim", "Lopez", "Moreau", "Nagy", "Okafor", "Patel", "Rossi", "Silva", "Tanaka")
VENDORS_PER_WH = 8
TEMPLATES_PER_WH = 10
STEPS_PER_TEMPLATE = 5
INTERVALS = (("days", 30), ("weeks", 2), ("months", 1), ("months", 3), ("months", 6),
             ("weeks", 1), ("months", 12), ("days", 90), ("months", 1), ("weeks", 4))
STATUS = ("requested", "open", "assigned", "in_progress", "on_hold", "completed", "verified",
          "closed", "cancelled")
# States a work order passed through to reach each status (index = status code).
CHAIN = ((0,), (0, 1), (0, 1, 2), (0, 1, 2, 3), (0, 1, 2, 3, 4), (0, 1, 2, 3, 5),
         (0, 1, 2, 3, 5, 6), (0, 1, 2, 3, 5, 6, 7), (0, 1, 8))
CHAIN_2D = "'{" + ",".join("{" + ",".join(map(str, c + (-1,) * (8 - len(c)))) + "}"
                           for c in CHAIN) + "}'::int[]"
CHAIN_LEN = "'{" + ",".join(str(len(c)) for c in CHAIN) + "}'::int[]"


def _arr(values: Sequence[object]) -> str:
    """Return a SQL array literal of numbers or safe words (no quotes in any generated value)."""
    return "'{" + ",".join(str(v) for v in values) + "}'"


@dataclass
class Layout:
    """Python-side decisions the SQL draws from: site weights, people, index ranges."""

    size: Size
    seed: int
    cum: list[float]  # cumulative site weights without the last (width_bucket thresholds)
    profiles: list[tuple[int, int, str, bool]]  # (index, warehouse, role, active)
    pools: dict[str, tuple[list[int], list[int], list[int]]]  # flat, offsets, counts
    eq_off: list[int]
    eq_cnt: list[int]
    part_off: list[int]
    part_cnt: list[int]

    @classmethod
    def build(cls, size: Size, seed: int) -> Layout:
        """Lay the scale out with ``random.Random(seed)``."""
        rng = random.Random(seed)
        n_wh = size.warehouses
        weights = [1 / (w + 1) for w in range(n_wh)]  # Zipf, s = 1
        total = sum(weights)
        share = [x / total for x in weights]
        cum = [sum(share[: w + 1]) for w in range(n_wh - 1)]

        profiles: list[tuple[int, int, str, bool]] = []
        for w in range(n_wh):
            if w < 2:
                profiles.append((len(profiles), w, "admin", True))
            profiles += [(len(profiles) + k, w, r, True) for k, r in enumerate(CORE_ROLES)]
        extra = max(0, size.profiles - len(profiles))
        names, probs = zip(*EXTRA_ROLES, strict=True)
        for w in rng.choices(range(n_wh), weights=share, k=extra):
            role = rng.choices(names, weights=probs)[0]
            profiles.append((len(profiles), w, role, rng.random() > 0.03))

        pools = {}
        for pool, roles in POOLS.items():
            flat: list[int] = []
            off: list[int] = []
            cnt: list[int] = []
            for w in range(n_wh):
                members = [p[0] for p in profiles if p[1] == w and p[2] in roles and p[3]]
                off.append(len(flat))
                cnt.append(len(members))
                flat += members
            pools[pool] = (flat, off, cnt)

        def split(n: int) -> tuple[list[int], list[int]]:
            cnt = [max(5, round(n * s)) for s in share]
            off = [sum(cnt[:w]) for w in range(n_wh)]
            return off, cnt

        eq_off, eq_cnt = split(size.equipment)
        part_off, part_cnt = split(size.parts)
        return cls(size, seed, cum, profiles, pools, eq_off, eq_cnt, part_off, part_cnt)

    @property
    def n_equipment(self) -> int:
        """Equipment rows (the per-site minimum may round the total up)."""
        return self.eq_off[-1] + self.eq_cnt[-1]

    @property
    def n_parts(self) -> int:
        """Part rows."""
        return self.part_off[-1] + self.part_cnt[-1]

    def id(self, kind: int, i: int) -> str:
        """Return the id of row ``i`` of ``kind``."""
        return uid(self.seed, kind, i)


# ------------------------------------------------------------------ small tables, by COPY
def _small_tables(conn: psycopg.Connection[Any], lay: Layout) -> dict[str, int]:
    rng = random.Random(lay.seed + 1)
    n_wh = lay.size.warehouses
    start = AS_OF - SPAN - timedelta(days=30)
    wh = lay.id
    counts: dict[str, int] = {}
    counts["warehouses"] = copy_rows(conn, "public.warehouses", (
        "id", "code", "name", "address", "timezone", "is_active", "created_at", "updated_at"), (
        (wh(Kind.WAREHOUSE, w), f"WH{w:02d}", f"Site {w:02d}", f"{100 + w} Industrial Way",
         "UTC", True, start, start) for w in range(n_wh)))

    people = []
    for j, w, role, active in lay.profiles:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{role}.{j}@wh{w:02d}.maintainpro.test"
        people.append((j, w, role, active, first, last, email))
    counts["auth.users"] = copy_rows(conn, "auth.users", (
        "id", "aud", "role", "email", "email_confirmed_at", "raw_app_meta_data",
        "raw_user_meta_data", "is_super_admin", "created_at", "updated_at"), (
        (wh(Kind.PROFILE, j), "authenticated", "authenticated", email, start,
         '{"provider":"email","providers":["email"]}', "{}", False, start, start)
        for j, _w, _r, _a, _f, _l, email in people))
    skills = ("electrical", "mechanical", "hydraulics", "hvac", "plc", "welding", "forklift")
    counts["profiles"] = copy_rows(conn, "public.profiles", (
        "id", "warehouse_id", "role", "first_name", "last_name", "email", "phone", "skills",
        "certifications", "is_active", "created_at", "updated_at"), (
        (wh(Kind.PROFILE, j), wh(Kind.WAREHOUSE, w), role, first, last, email,
         f"+1555{j:07d}", sorted(rng.sample(skills, 2)) if role == "technician" else [],
         [], active, start, start)
        for j, w, role, active, first, last, email in people))
    managers = [(j, w) for j, w, role, _a in lay.profiles[: 9 * n_wh] if role == "manager"]
    counts["user_warehouse_access"] = copy_rows(conn, "public.user_warehouse_access", (
        "id", "user_id", "warehouse_id", "granted_by", "created_at", "updated_at"), (
        (wh(Kind.UWA, k), wh(Kind.PROFILE, j), wh(Kind.WAREHOUSE, (w + 1) % n_wh),
         wh(Kind.PROFILE, 0), start, start) for k, (j, w) in enumerate(managers) if n_wh > 1))
    counts["vendors"] = copy_rows(conn, "public.vendors", (
        "id", "warehouse_id", "name", "contact_name", "website", "created_at", "updated_at"), (
        (wh(Kind.VENDOR, w * VENDORS_PER_WH + k), wh(Kind.WAREHOUSE, w), f"Vendor {w:02d}-{k}",
         rng.choice(FIRST), f"https://vendor{w}{k}.example", start, start)
        for w in range(n_wh) for k in range(VENDORS_PER_WH)))
    counts["contractors"] = copy_rows(conn, "public.contractors", (
        "id", "warehouse_id", "profile_id", "vendor_id", "company_name", "hourly_rate",
        "specialties", "created_at", "updated_at"), (
        (wh(Kind.CONTRACTOR, j), wh(Kind.WAREHOUSE, w), wh(Kind.PROFILE, j),
         wh(Kind.VENDOR, w * VENDORS_PER_WH + j % VENDORS_PER_WH), f"Contractor {j} Ltd",
         60 + j % 40, ["hvac"], start, start)
        for j, w, role, _a in lay.profiles if role == "contractor"))
    counts["pm_templates"] = copy_rows(conn, "public.pm_templates", (
        "id", "warehouse_id", "name", "description", "estimated_hours", "interval_unit",
        "interval_value", "created_at", "updated_at"), (
        (wh(Kind.PM_TEMPLATE, w * TEMPLATES_PER_WH + k), wh(Kind.WAREHOUSE, w),
         f"PM {k}: {INTERVALS[k][1]} {INTERVALS[k][0]} service", "Routine service", 1 + k % 4,
         INTERVALS[k][0], INTERVALS[k][1], start, start)
        for w in range(n_wh) for k in range(TEMPLATES_PER_WH)))
    counts["pm_template_checklist"] = copy_rows(conn, "public.pm_template_checklist", (
        "id", "warehouse_id", "template_id", "position", "description", "created_at",
        "updated_at"), (
        (wh(Kind.PM_STEP, t * STEPS_PER_TEMPLATE + s), wh(Kind.WAREHOUSE, t // TEMPLATES_PER_WH),
         wh(Kind.PM_TEMPLATE, t), s + 1, f"Step {s + 1}", start, start)
        for t in range(n_wh * TEMPLATES_PER_WH) for s in range(STEPS_PER_TEMPLATE)))
    counts["system_settings"] = copy_rows(conn, "public.system_settings", (
        "id", "warehouse_id", "key", "value", "editable_by_role", "created_at", "updated_at"), (
        (wh(Kind.SETTING, w * 2 + k), wh(Kind.WAREHOUSE, w), key, value, ["manager"], start,
         start) for w in range(n_wh)
        for k, (key, value) in enumerate((("shift_hours", "8"), ("currency", '"USD"')))))
    counts["escalation_rules"] = copy_rows(conn, "public.escalation_rules", (
        "id", "warehouse_id", "priority", "hours_overdue", "escalate_to_role", "level",
        "created_at", "updated_at"), (
        (wh(Kind.ESCALATION, w * 4 + k), wh(Kind.WAREHOUSE, w), prio, hours, "supervisor", 1,
         start, start) for w in range(n_wh)
        for k, (prio, hours) in enumerate((("critical", 2), ("high", 8), ("medium", 48),
                                           ("low", 168)))))
    counts["notification_settings"] = copy_rows(conn, "public.notification_settings", (
        "id", "warehouse_id", "user_id", "created_at", "updated_at"), (
        (wh(Kind.NOTIFY_SETTING, j), wh(Kind.WAREHOUSE, w), wh(Kind.PROFILE, j), start, start)
        for j, w, _r, _a in lay.profiles))
    return counts


# ------------------------------------------------------------------ SQL helpers (pg_temp)
def _prelude(lay: Layout) -> str:
    """Temporary SQL functions every loader connection shares; simple, so the planner inlines."""
    start = (AS_OF - SPAN).timestamp()
    step = SPAN.total_seconds() / lay.size.work_orders
    fns = [
        f"""create function pg_temp.u(i bigint, salt int) returns float8 language sql immutable
            as $$ select (hashint8extended(i, {lay.seed % 2**40 * 1000} + salt)
                          & 4503599627370495)::float8 / 4503599627370496.0 $$""",
        # to_hex of i with the sign bit set prints '8000' and i's 12 digits: no lpad per row.
        f"""create function pg_temp.id(kind int, i bigint) returns uuid language sql immutable
            as $$ select ('{lay.seed & 0xFFFFFFFF:08x}' || lpad(to_hex(kind), 4, '0') || '4000'
                          || to_hex(i | (-9223372036854775808)::bigint))::uuid $$""",
        f"""create function pg_temp.wid(w int) returns uuid language sql immutable
            as $$ select ({_arr([lay.id(Kind.WAREHOUSE, w) for w in range(lay.size.warehouses)])}
                          ::uuid[])[w + 1] $$""",
        f"""create function pg_temp.pid(j bigint) returns uuid language sql immutable
            as $$ select ({_arr([lay.id(Kind.PROFILE, p[0]) for p in lay.profiles])}
                          ::uuid[])[j + 1] $$""",
        """create function pg_temp.idx(u uuid) returns bigint language sql immutable
            as $$ select ('x' || lpad(right(u::text, 12), 16, '0'))::bit(64)::bigint $$""",
        f"""create function pg_temp.wh(u float8) returns int language sql immutable
            as $$ select width_bucket(u, {_arr(lay.cum)}::float8[]) $$""",
        """create function pg_temp.wo_wh(i bigint) returns int language sql immutable
            as $$ select pg_temp.wh(pg_temp.u(i, 1)) $$""",
        f"""create function pg_temp.wo_ep(i bigint) returns float8 language sql immutable
            as $$ select {start} + (i + pg_temp.u(i, 2)) * {step} $$""",
        f"""create function pg_temp.wo_st(i bigint) returns int language sql immutable
            as $$ select case when {AS_OF.timestamp()} - pg_temp.wo_ep(i) > {RECENT_S}
              then width_bucket(pg_temp.u(i, 3), '{{0.86,0.92,0.96,0.98,0.99}}'::float8[])
              else width_bucket(pg_temp.u(i, 3),
                                '{{0.10,0.25,0.45,0.65,0.70,0.80,0.85,0.98}}'::float8[]) end $$""",
        f"""create function pg_temp.eq_wh(e bigint) returns int language sql immutable
            as $$ select width_bucket(e, {_arr(lay.eq_off[1:] or [2**62])}::bigint[]) $$""",
        f"""create function pg_temp.eq(w int, u float8) returns bigint language sql immutable
            as $$ select ({_arr(lay.eq_off)}::bigint[])[w + 1]
                         + floor(u * ({_arr(lay.eq_cnt)}::int[])[w + 1])::bigint $$""",
        f"""create function pg_temp.eq_off(w int) returns bigint language sql immutable
            as $$ select ({_arr(lay.eq_off)}::bigint[])[w + 1] $$""",
        f"""create function pg_temp.part(w int, u float8) returns bigint language sql immutable
            as $$ select ({_arr(lay.part_off)}::bigint[])[w + 1]
                         + floor(u * ({_arr(lay.part_cnt)}::int[])[w + 1])::bigint $$""",
        f"""create function pg_temp.part_wh(p bigint) returns int language sql immutable
            as $$ select width_bucket(p, {_arr(lay.part_off[1:] or [2**62])}::bigint[]) $$""",
        """create function pg_temp.part_cost(p bigint) returns numeric language sql immutable
            as $$ select round((2 + 400 * pg_temp.u(p, 50) ^ 3)::numeric, 2) $$""",
    ]
    # STATUS/CHAIN codes 0 (requested) .. 8 (cancelled): map the mapping of the width_buckets.
    status_map_old = "array[7,8,6,5,4,3]"  # closed, cancelled, verified, completed, ...
    status_map_new = "array[0,1,2,3,4,5,6,7,8]"
    fns.append(
        f"""create function pg_temp.wo_status(i bigint) returns int language sql immutable
            as $$ select case when {AS_OF.timestamp()} - pg_temp.wo_ep(i) > {RECENT_S}
              then ({status_map_old})[pg_temp.wo_st(i) + 1]
              else ({status_map_new})[pg_temp.wo_st(i) + 1] end $$""")
    for pool, (flat, off, cnt) in lay.pools.items():
        fns.append(
            f"""create function pg_temp.{pool}_at(w int, k int) returns bigint language sql
                immutable as $$ select ({_arr(flat)}::bigint[])[({_arr(off)}::int[])[w + 1]
                                                                 + k + 1] $$""")
        fns.append(
            f"""create function pg_temp.{pool}_n(w int) returns int language sql immutable
                as $$ select ({_arr(cnt)}::int[])[w + 1] $$""")
        fns.append(
            f"""create function pg_temp.{pool}(w int, u float8) returns bigint language sql
                immutable as $$ select pg_temp.{pool}_at(w, floor(u * pg_temp.{pool}_n(w))::int)
                $$""")
    return ";\n".join(fns)


VERBS = ("Inspect", "Replace", "Repair", "Lubricate", "Calibrate", "Clean", "Adjust", "Tighten",
         "Test", "Rebuild", "Align", "Service")
COMPONENTS = ("bearing", "belt", "motor", "pump", "valve", "seal", "gearbox", "sensor", "filter",
              "hose", "coupling", "conveyor", "compressor", "fan", "breaker", "relay", "chain",
              "roller", "nozzle", "thermostat", "actuator", "encoder", "brake", "shaft")
SYMPTOMS = ("vibration", "noise", "leak", "overheating", "tripping", "smoke", "slippage",
            "misalignment", "corrosion", "wear", "pressure drop", "intermittent fault")
ASSET_KINDS = ("Pump", "Conveyor", "Forklift", "Compressor", "Chiller", "Boiler", "Press",
               "Packer", "Dock door", "Generator", "Mixer", "Lift")


def _words(values: Sequence[str]) -> str:
    return "array[" + ",".join(f"'{v}'" for v in values) + "]"


def _pick(values: Sequence[str], u: str) -> str:
    return f"({_words(values)})[1 + floor({u} * {len(values)})::int]"


def _equipment_sql(lay: Layout) -> list[str]:
    as_of_date = AS_OF.date().isoformat()
    return [f"""
insert into public.equipment (id, warehouse_id, asset_tag, name, description, model, manufacturer,
  serial_number, area, location, status, criticality, parent_equipment_id, specifications,
  qr_code, meter_reading, install_date, purchase_cost, replacement_cost, warranty_expires,
  created_at, updated_at)
select pg_temp.id({Kind.EQUIPMENT}, e), pg_temp.wid(w),
  'A-' || lpad((e - o)::text, 6, '0'), kind || ' ' || (e - o), kind || ' in area ' || area,
  'M' || (100 + floor(pg_temp.u(e, 63) * 50)), {_pick(("Acme", "Bosch", "Siemens", "ABB", "SKF",
  "Grundfos", "Atlas"), "pg_temp.u(e, 64)")}, 'SN' || to_hex(hashint8extended(e, 7)),
  'Area ' || area, 'Bay ' || (1 + floor(pg_temp.u(e, 65) * 40)),
  (array['operational','needs_maintenance','under_maintenance','down','standby','retired'])
    [1 + width_bucket(pg_temp.u(e, 66), '{{0.80,0.88,0.92,0.94,0.98}}'::float8[])]
    ::public.equipment_status,
  (array['low','medium','high','critical'])
    [1 + width_bucket(pg_temp.u(e, 67), '{{0.3,0.75,0.93}}'::float8[])]::public.criticality,
  case when e > o and pg_temp.u(e, 61) < 0.1
    then pg_temp.id({Kind.EQUIPMENT}, o + floor(pg_temp.u(e, 62) * (e - o))::bigint) end,
  jsonb_build_object('power_kw', round((1 + pg_temp.u(e, 68) * 90)::numeric, 1)),
  'MAINTAINPRO:EQ:' || (e - o), round((pg_temp.u(e, 69) * 20000)::numeric, 2),
  date '{as_of_date}' - (200 + floor(pg_temp.u(e, 70) * 3000))::int,
  round((500 + pg_temp.u(e, 71) ^ 2 * 200000)::numeric, 2), null,
  date '{as_of_date}' + (floor(pg_temp.u(e, 72) * 1400) - 700)::int,
  timestamptz '{(AS_OF - SPAN).isoformat()}', timestamptz '{(AS_OF - SPAN).isoformat()}'
from (select e, w, pg_temp.eq_off(w) o, {_pick(ASSET_KINDS, "pg_temp.u(e, 60)")} kind,
             1 + floor(pg_temp.u(e, 59) * 8) area
      from (select e, pg_temp.eq_wh(e) w from generate_series(0, {lay.n_equipment - 1}) e) a
      offset 0) b""", f"""
insert into public.pm_schedules (id, warehouse_id, template_id, equipment_id, interval_unit,
  interval_value, next_due, last_done, lead_days, active, created_at, updated_at)
select pg_temp.id({Kind.PM_SCHEDULE}, e), pg_temp.wid(w),
  pg_temp.id({Kind.PM_TEMPLATE}, w * {TEMPLATES_PER_WH} + t), pg_temp.id({Kind.EQUIPMENT}, e),
  ({_words([u for u, _ in INTERVALS])})[t + 1]::public.pm_interval_unit,
  ({_arr([v for _, v in INTERVALS])}::int[])[t + 1], next_due, next_due - 30, 3,
  pg_temp.u(e, 75) < 0.95, timestamptz '{(AS_OF - SPAN).isoformat()}',
  timestamptz '{(AS_OF - SPAN).isoformat()}'
from (select e, pg_temp.eq_wh(e) w, floor(pg_temp.u(e, 73) * {TEMPLATES_PER_WH})::int t,
             date '{as_of_date}' + (floor(pg_temp.u(e, 74) * 90) - 30)::int next_due
      from generate_series(0, {lay.n_equipment - 1}) e
      where pg_temp.u(e, 76) < 0.2 offset 0) s"""]


def _wo_halves(lay: Layout) -> list[tuple[int, int, str]]:
    """Split the work orders in two at a day boundary: ``(first i, last i, filter on wday)``.

    ``wo_number`` numbers a warehouse's work orders of one day, so a day must not straddle the
    halves; ``ep(i)`` lies in ``[start + i * step, start + (i + 1) * step)``, increasing in ``i``,
    so each half's range of ``i`` overlaps the other's by a few rows that its filter drops.
    """
    n = lay.size.work_orders
    start = (AS_OF - SPAN).timestamp()
    step = SPAN.total_seconds() / n
    cut_day = int((start + n // 2 * step) // DAY_S)
    cut_i = int((cut_day * DAY_S - start) / step)
    if n < 1000 or not 2 < cut_i < n - 3:
        return [(0, n - 1, "true")]
    day = f"floor(ep / {DAY_S})"
    return [(0, cut_i + 3, f"{day} < {cut_day}"), (cut_i - 2, n - 1, f"{day} >= {cut_day}")]


def _work_orders_sql(lay: Layout, first: int, last: int, where: str) -> list[str]:
    """Insert the work orders ``first..last`` that pass ``where`` (see :func:`_wo_halves`)."""
    as_of = AS_OF.timestamp()
    return [f"""
insert into public.work_orders (id, warehouse_id, wo_number, type, title, description,
  equipment_id, status, priority, requested_by, assigned_to, due_date, started_at, completed_at,
  verified_at, verified_by, closed_at, cancelled_at, escalated, escalation_level, escalated_at,
  estimated_hours, actual_hours, estimated_cost, actual_cost, created_at, updated_at)
select pg_temp.id({Kind.WORK_ORDER}, i), pg_temp.wid(w),
  'WO-' || to_char(to_timestamp(wday * {DAY_S}) at time zone 'UTC', 'YYYYMMDD') || '-'
    || lpad(rn::text, 4, '0'),
  (array['corrective','preventive','inspection','predictive','emergency','project','safety'])
    [1 + width_bucket(pg_temp.u(i, 4), '{{0.45,0.75,0.85,0.90,0.95,0.98}}'::float8[])]
    ::public.wo_type,
  verb || ' ' || comp || coalesce(' on asset A-' || lpad((e - pg_temp.eq_off(w))::text, 6, '0'),
                                  ''),
  'Operator reported ' || {_pick(SYMPTOMS, "pg_temp.u(i, 9)")} || ' at the ' || comp
    || '. ' || verb || ' it and record the readings before restart.',
  pg_temp.id({Kind.EQUIPMENT}, e), ({_words(STATUS)})[st + 1]::public.wo_status,
  (array['low','medium','high','critical'])[prio + 1]::public.wo_priority,
  pg_temp.pid(pg_temp.req(w, pg_temp.u(i, 10) ^ 2)),
  case when st between 2 and 7 then
    case when pg_temp.u(i, 12) < 0.1
      then array[pg_temp.pid(pg_temp.contractor(w, pg_temp.u(i, 13)))]
    when pg_temp.u(i, 14) < 0.2
      then array[pg_temp.pid(pg_temp.tech_at(w, k1)),
                 pg_temp.pid(pg_temp.tech_at(w, (k1 + 1
                   + floor(pg_temp.u(i, 15) * (pg_temp.tech_n(w) - 1))::int)
                   % pg_temp.tech_n(w)))]
    else array[pg_temp.pid(pg_temp.tech_at(w, k1))] end
  else '{{}}'::uuid[] end,
  to_timestamp(ep + (array[14, 7, 3, 1])[prio + 1] * {DAY_S}),
  case when st between 3 and 7 then to_timestamp(ep + d * (0.1 + 0.2 * pg_temp.u(i, 16))) end,
  case when st between 5 and 7 then to_timestamp(ep + d * (0.5 + 0.2 * pg_temp.u(i, 17))) end,
  case when st in (6, 7) then to_timestamp(ep + d * (0.8 + 0.1 * pg_temp.u(i, 18))) end,
  case when st in (6, 7) then pg_temp.pid(pg_temp.sup(w, pg_temp.u(i, 19))) end,
  case when st = 7 then to_timestamp(ep + d * 0.95) end,
  case when st = 8 then to_timestamp(ep + d * 0.5 * pg_temp.u(i, 20)) end,
  esc, case when esc then 1 else 0 end,
  case when esc then to_timestamp(least({as_of}, due + 3600)) end,
  est, case when st between 5 and 7 then round(est * (0.6 + pg_temp.u(i, 22))::numeric, 2) end,
  round(est * 65, 2),
  case when st between 5 and 7 then round(est * 65 * (0.6 + pg_temp.u(i, 22))::numeric, 2) end,
  to_timestamp(ep), to_timestamp(ep + case st when 0 then 0 when 1 then d * 0.05
                                            when 8 then d * 0.5 * pg_temp.u(i, 20)
                                            else d * 0.95 end)
from (
  select b.*, row_number() over (partition by w, wday order by i) rn,
         ep + (array[14, 7, 3, 1])[prio + 1] * {DAY_S} due,
         st <= 4 and ep + (array[14, 7, 3, 1])[prio + 1] * {DAY_S} < {as_of}
           and pg_temp.u(i, 21) < 0.3 esc,
         round((0.5 + pg_temp.u(i, 23) * 15.5)::numeric, 1) est,
         floor(pg_temp.u(i, 13) ^ 2 * pg_temp.tech_n(w))::int k1,
         case when pg_temp.u(i, 6) < 0.9 then pg_temp.eq(w, pg_temp.u(i, 7) ^ 1.5) end e,
         {_pick(VERBS, "pg_temp.u(i, 8)")} verb, {_pick(COMPONENTS, "pg_temp.u(i, 11)")} comp
  from (select i, w, st, ep, floor(ep / {DAY_S})::bigint as wday, least({as_of} - ep, {WORK_S}) d,
               width_bucket(pg_temp.u(i, 5), '{{0.25,0.70,0.92}}'::float8[]) prio
        from (select i, pg_temp.wo_wh(i) w, pg_temp.wo_status(i) st, pg_temp.wo_ep(i) ep
              from generate_series({first}, {last}) i offset 0) a
        where {where}
        offset 0) b
) x"""]


COUNTERS_SQL = """
insert into private.wo_number_counters (warehouse_id, day, last_value)
select warehouse_id, (created_at at time zone 'UTC')::date, count(*)
from public.work_orders group by 1, 2"""


def _audit_sql(lay: Layout, first: int, last: int) -> list[str]:
    """Insert the audit rows ``first..last``.

    Row ``a`` is transition ``a / n`` of work order ``a % n``. The status documents are constants
    (``jsonb_build_object`` per row costs).
    """
    n = lay.size.work_orders
    as_of = AS_OF.timestamp()
    status_docs = "array[" + ",".join(f"""'{{"status": "{v}"}}'::jsonb""" for v in STATUS) + "]"
    return [f"""
insert into public.system_logs (id, created_at, action, table_name, record_id, actor_id,
  warehouse_id, old_values, new_values)
select pg_temp.id({Kind.AUDIT}, a),
  to_timestamp(ep + least({as_of} - ep, {WORK_S}) * r * 0.15 + r),
  (case when r = 0 then 'INSERT' else 'UPDATE' end)::public.audit_action, 'work_orders',
  pg_temp.id({Kind.WORK_ORDER}, i),
  case when r = 0 then pg_temp.pid(pg_temp.req(w, pg_temp.u(i, 10) ^ 2))
       else pg_temp.pid(pg_temp.sup(w, pg_temp.u(a, 80))) end,
  pg_temp.wid(w),
  case when r = 0 then null
       when r < n then js[({CHAIN_2D})[st + 1][r] + 1]
       else '{{"notes": null}}'::jsonb end,
  case when r = 0 then jsonb_build_object('id', pg_temp.id({Kind.WORK_ORDER}, i),
         'warehouse_id', pg_temp.wid(w), 'status', 'requested',
         'priority', (array['low','medium','high','critical'])
           [1 + width_bucket(pg_temp.u(i, 5), '{{0.25,0.70,0.92}}'::float8[])])
       when r < n then js[({CHAIN_2D})[st + 1][r + 1] + 1]
       else '{{"notes": "Called the vendor about lead times"}}'::jsonb end
from (select a, i, r, st, pg_temp.wo_wh(i) w, pg_temp.wo_ep(i) ep,
             ({CHAIN_LEN})[st + 1] n, {status_docs} js
      from (select a, a % {n} i, a / {n} r, pg_temp.wo_status(a % {n}) st
            from generate_series({first}, {last}) a) g
      offset 0) x"""]


def _children_sql(lay: Layout) -> dict[str, list[str]]:
    """Checklists, time logs, parts used + the ledger + parts, notifications, history."""
    start = (AS_OF - SPAN).timestamp()
    span = SPAN.total_seconds()
    done = "w.status in ('completed', 'verified', 'closed')"
    wo = "(select w.*, pg_temp.idx(w.id) i from public.work_orders w) w"
    return {
        "checklist items": [f"""
insert into public.wo_checklist_items (id, warehouse_id, work_order_id, position, description,
  is_required, is_completed, completed_by, completed_at, created_at, updated_at)
select pg_temp.id({Kind.CHECKLIST}, i * 4 + k), warehouse_id, id, k + 1,
  ({_words(("Isolate and lock out", "Inspect for damage", "Measure and record readings",
            "Replace worn parts", "Clean the area", "Test run and sign off"))})[1 + (i + k) % 6],
  k = 0, fin, case when fin then assigned_to[1] end,
  case when fin then coalesce(completed_at, started_at) end, created_at,
  case when fin then coalesce(completed_at, started_at) else created_at end
from (select w.*, k, {done} or (w.status in ('in_progress', 'on_hold')
                                  and pg_temp.u(i * 4 + k, 30) < 0.5) fin
      from {wo}, generate_series(0, floor(pg_temp.u(w.i, 31) * 3)::int) k offset 0) c"""],
        "time logs": [f"""
insert into public.wo_time_logs (id, warehouse_id, work_order_id, user_id, started_at, ended_at,
  minutes, note, created_at, updated_at)
select pg_temp.id({Kind.TIME_LOG}, i * 2 + k), warehouse_id, id,
  assigned_to[1 + k % cardinality(assigned_to)], ts, case when is_open then null else ts + m end,
  case when is_open then null else extract(epoch from m)::int / 60 end, null, ts, ts
from (select w.*, k, w.started_at + k * interval '40 minutes' ts,
             make_interval(mins => 10 + floor(pg_temp.u(i * 2 + k, 32) * 50)::int) m,
             w.status = 'in_progress' and k = floor(pg_temp.u(w.i, 33) * 2)::int as is_open
      from {wo}, generate_series(0, floor(pg_temp.u(w.i, 33) * 2)::int) k
      where w.started_at is not null and cardinality(w.assigned_to) > 0 offset 0) t"""],
        "parts used and ledger": [f"""
insert into public.wo_parts_used (id, warehouse_id, work_order_id, part_id, quantity, unit_cost,
  recorded_by, consumed_at, created_at, updated_at)
select pg_temp.id({Kind.PART_USED}, i * 2 + k), warehouse_id, id, pg_temp.id({Kind.PART}, p),
  1 + floor(pg_temp.u(i * 2 + k, 36) ^ 3 * 4)::int, pg_temp.part_cost(p),
  coalesce(assigned_to[1], requested_by),
  case when {done.replace('w.', 'x.')} then completed_at end,
  coalesce(started_at, created_at), coalesce(completed_at, started_at, created_at)
from (select w.*, k, pg_temp.part(wh, pg_temp.u(w.i * 2 + k, 35) ^ 2) p
      from (select w.*, pg_temp.wo_wh(w.i) wh from {wo}
            where pg_temp.u(w.i, 37) < 0.3 and w.status not in ('requested', 'cancelled')
            offset 0) w,
           generate_series(0, floor(pg_temp.u(w.i, 34) * 2)::int) k
      offset 0) x""", f"""
insert into public.part_transactions (id, warehouse_id, part_id, type, quantity, unit_cost,
  work_order_id, performed_by, reference, created_at, updated_at)
select pg_temp.id({Kind.ISSUE}, pg_temp.idx(id)), warehouse_id, part_id, 'issue', -quantity,
  unit_cost, work_order_id, recorded_by, null, consumed_at, consumed_at
from public.wo_parts_used where consumed_at is not null""", f"""
insert into public.part_transactions (id, warehouse_id, part_id, type, quantity, unit_cost,
  work_order_id, performed_by, reference, created_at, updated_at)
select pg_temp.id({Kind.LEDGER}, r), pg_temp.wid(w), pg_temp.id({Kind.PART}, p),
  (array['receipt','issue','return','adjustment','transfer'])[t + 1]::public.part_txn_type,
  case t when 0 then 1 + floor(pg_temp.u(r, 43) * 36)::int
         when 1 then -(1 + floor(pg_temp.u(r, 43) * 30)::int)
         when 2 then 1 + floor(pg_temp.u(r, 43) * 3)::int
         when 3 then (1 + floor(pg_temp.u(r, 43) * 5)::int) * sgn
         else (1 + floor(pg_temp.u(r, 43) * 10)::int) * sgn end,
  case when t = 0 then pg_temp.part_cost(p) end, null,
  pg_temp.pid(pg_temp.clerk(w, pg_temp.u(r, 46))),
  case when t = 0 then 'PO-' || (100000 + r) end, ts, ts
from (select r, w, pg_temp.part(w, pg_temp.u(r, 41) ^ 2) p,
             width_bucket(pg_temp.u(r, 42), '{{0.35,0.75,0.80,0.95}}'::float8[]) t,
             case when pg_temp.u(r, 44) < 0.5 then -1 else 1 end sgn,
             to_timestamp({start} + pg_temp.u(r, 45) * {span}) ts
      from (select r, pg_temp.wh(pg_temp.u(r, 40)) w
            from generate_series(0, greatest(0, {lay.size.part_transactions - lay.n_parts}
              - (select count(*) from public.part_transactions)) - 1) r) g
      offset 0) x""", """
create temporary table ledger_sum on commit drop as
select pg_temp.idx(part_id) p, sum(quantity)::int s from public.part_transactions group by 1""",
            # Without statistics the planner nests loops over this temporary table: quadratic
            # in the number of parts (minutes at full scale).
            "analyze ledger_sum",
            f"""
insert into public.parts (id, warehouse_id, part_number, name, description, category,
  unit_of_measure, quantity_on_hand, reserved_quantity, reorder_point, reorder_quantity,
  unit_cost, vendor_id, bin_location, model_compatibility, created_at, updated_at)
select pg_temp.id({Kind.PART}, p), pg_temp.wid(w),
  'P-' || lpad(p::text, 6, '0'), initcap(comp) || ' ' || (p % 97), 'Spare ' || comp, comp,
  'each', onhand, case when pg_temp.u(p, 53) < 0.1
    then least(onhand, 1 + floor(pg_temp.u(p, 54) * 5)::int) else 0 end,
  rp, rp * 2, pg_temp.part_cost(p),
  pg_temp.id({Kind.VENDOR}, w * {VENDORS_PER_WH} + floor(pg_temp.u(p, 55) * {VENDORS_PER_WH})::int),
  'B-' || (1 + floor(pg_temp.u(p, 56) * 300)), array['M' || (100 + p % 50)],
  timestamptz '{(AS_OF - SPAN).isoformat()}', timestamptz '{AS_OF.isoformat()}'
from (select p, w, rp, comp,
             greatest(coalesce(s, 0) + 1, case when pg_temp.u(p, 51) < 0.12
               then floor(rp * pg_temp.u(p, 52))::int
               else floor(rp * (1.2 + 2.8 * pg_temp.u(p, 52)))::int end) onhand
      from (select p, pg_temp.part_wh(p) w, 5 + floor(pg_temp.u(p, 57) * 46)::int rp,
                   {_pick(COMPONENTS, "pg_temp.u(p, 58)")} comp
            from generate_series(0, {lay.n_parts - 1}) p) g
      left join ledger_sum using (p) offset 0) x""", f"""
insert into public.part_transactions (id, warehouse_id, part_id, type, quantity, unit_cost,
  performed_by, reference, note, created_at, updated_at)
select pg_temp.id({Kind.OPENING}, l.p), pa.warehouse_id, pa.id, 'receipt',
  pa.quantity_on_hand - coalesce(l.s, 0), pa.unit_cost, null, 'OPENING', 'opening balance',
  timestamptz '{(AS_OF - SPAN - timedelta(days=1)).isoformat()}',
  timestamptz '{(AS_OF - SPAN - timedelta(days=1)).isoformat()}'
from public.parts pa join (select p, s from ledger_sum
                           union all select p, 0 from generate_series(0, {lay.n_parts - 1}) p
                           where p not in (select p from ledger_sum)) l
  on pa.id = pg_temp.id({Kind.PART}, l.p)"""],
        "notifications and history": [f"""
insert into public.notifications (id, warehouse_id, user_id, title, body, work_order_id, read_at,
  created_at, updated_at)
select pg_temp.id({Kind.NOTIFICATION}, x), pg_temp.wid(w),
  pg_temp.pid(case when pg_temp.u(x, 71) < 0.5
    then pg_temp.req(w, pg_temp.u(i, 10) ^ 2) else pg_temp.tech(w, pg_temp.u(x, 72)) end),
  'Work order updated', 'A work order you follow changed', pg_temp.id({Kind.WORK_ORDER}, i),
  case when ep < {AS_OF.timestamp() - 14 * DAY_S} or pg_temp.u(x, 73) < 0.6
    then to_timestamp(ep + 3600) end, to_timestamp(ep + 60), to_timestamp(ep + 60)
from (select x, i, pg_temp.wo_wh(i) w, pg_temp.wo_ep(i) ep
      from (select x, floor(pg_temp.u(x, 70) * {lay.size.work_orders})::bigint i
            from generate_series(0, {lay.size.notifications - 1}) x) g offset 0) y""", f"""
insert into public.equipment_maintenance_history (id, warehouse_id, equipment_id, work_order_id,
  maintenance_type, performed_at, performed_by, description, downtime_minutes, cost, created_at,
  updated_at)
select pg_temp.id({Kind.HISTORY}, w.i), w.warehouse_id, w.equipment_id, w.id, w.type,
  w.completed_at, w.assigned_to[1], w.title, floor(pg_temp.u(w.i, 77) * 480)::int,
  w.actual_cost, w.completed_at, w.completed_at
from {wo}
where w.status in ('verified', 'closed') and w.equipment_id is not null
  and pg_temp.u(w.i, 78) < 0.2""", f"""
insert into public.work_order_assignees (id, warehouse_id, work_order_id, user_id, wo_created_at)
select pg_temp.id({Kind.ASSIGNEE}, pg_temp.idx(w.id) * 2 + a.n - 1), w.warehouse_id, w.id,
  a.user_id, w.created_at
from public.work_orders w, unnest(w.assigned_to) with ordinality a(user_id, n)
where a.n = 1 or a.user_id <> w.assigned_to[1]"""],  # at most two assignees, as drawn above
    }


BIG_TABLES = (
    "public.work_orders", "public.wo_checklist_items", "public.wo_time_logs",
    "public.wo_parts_used", "public.part_transactions", "public.system_logs",
    "public.notifications", "public.equipment", "public.equipment_maintenance_history",
    "public.pm_schedules", "public.parts", "public.work_order_assignees",
)

AUDIT_TABLE = "public.system_logs"  # analyzed as soon as its indexes are built
# Every table is vacuumed and analyzed at the end (the small ones too): a table left for
# autovacuum gets its visibility map or statistics at a moment no measurement controls.
_TABLES = """
select quote_ident(n.nspname) || '.' || quote_ident(c.relname)
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname in ('public', 'private', 'auth') and c.relkind in ('r', 'p')
  and not c.relispartition
order by 1
"""


def _clear_demo_rows(conn: psycopg.Connection[Any]) -> None:
    """Empty every table of the schema.

    The reference dataset replaces the demo seed, whose rows would collide with generated keys
    (work order counters, asset tags).
    """
    tables = [r[0] for r in conn.execute(
        "select c.oid::regclass::text from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname in ('public', 'private') and c.relkind in ('r', 'p')"
        " and not c.relispartition"
    ).fetchall()]
    conn.execute(f"truncate table auth.users, {', '.join(tables)} cascade")


def generate(
    conn: psycopg.Connection[Any], scale: str, seed: int, progress: Progress
) -> Mapping[str, Any]:
    """Fill an empty MaintAInPro database at ``scale``; return facts (as-of instant, row counts)."""
    size = SCALES[scale]
    lay = Layout.build(size, seed)
    _clear_demo_rows(conn)
    progress(f"datagen {scale}: small tables by COPY")
    _small_tables(conn, lay)
    prelude = _prelude(lay)
    with deferred_indexes(conn, BIG_TABLES, progress=progress) as indexes:
        # Tasks run in list order on two connections: the longest first, so both finish together.
        progress(f"datagen {scale}: equipment, work orders, audit trail")
        halves = _wo_halves(lay)
        cut = size.audit_rows // 2
        audit = [(0, cut - 1), (cut, size.audit_rows - 1)] if cut else [(0, size.audit_rows - 1)]
        # The work orders load on one connection, half after half: two backends extending one
        # table interleave their pages as timing decides, and the pages a query reads (its
        # buffers) would then differ by a few from one generation to the next.
        work_orders = Task("work orders",
                           tuple(s for h in halves for s in _work_orders_sql(lay, *h)))
        audits = [Task(f"audit trail {k + 1}/{len(audit)}", tuple(_audit_sql(lay, *a)))
                  for k, a in enumerate(audit)]
        run_parallel(conn, [
            work_orders, *audits, Task("equipment and PM schedules", tuple(_equipment_sql(lay))),
        ], prelude=prelude, progress=progress)
        # The children only read the work orders: those tables' indexes build beside them, as do
        # the audit trail's (with its statistics: nothing writes to it any more).
        progress(f"datagen {scale}: work order children, parts ledger, notifications, indexes")
        children = _children_sql(lay)
        audit_indexes = indexes.build_tasks(["public.system_logs"])
        run_parallel(conn, [
            Task("parts used and ledger", tuple(children["parts used and ledger"])),
            Task("audit trail indexes and statistics",
                 (*(s for t in audit_indexes for s in t.statements),
                  *analyze_statements(conn, AUDIT_TABLE))),
            Task("checklist items", tuple(children["checklist items"])),
            Task("time logs", tuple(children["time logs"])),
            Task("notifications, history, number counters",
                 (*children["notifications and history"], COUNTERS_SQL)),
            *indexes.build_tasks(["public.work_orders", "public.equipment", "public.pm_schedules"]),
        ], prelude=prelude, progress=progress)
    progress(f"datagen {scale}: vacuum analyze")
    tables = [r[0] for r in conn.execute(_TABLES).fetchall()]
    vacuum_analyze(conn, [t for t in tables if t != AUDIT_TABLE], progress=progress)
    vacuum_analyze(conn, [AUDIT_TABLE], progress=progress, analyze=False)
    rows = dict(conn.execute(
        "select c.oid::regclass::text, c.reltuples::bigint from pg_class c"
        " where c.oid = any (%s::regclass[])", (list(BIG_TABLES),)).fetchall())
    return {"as_of": AS_OF.isoformat(), "rows": rows}
