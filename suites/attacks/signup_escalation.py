"""SEC110: a hostile sign-up gets no more than a plain one.

Anti-pattern: a trigger on ``auth.users`` (usually SECURITY DEFINER, so past every policy)
that copies ``raw_user_meta_data ->> 'role'`` into a profile, joins the tenant named in the
metadata, or makes admins of addresses of some domain. The metadata and the address come from
the person signing up. Best practice: derive privileges from nothing the client sends; grant
roles and memberships from the server (an invitation, an admin) instead.

On a private clone the check signs up, as the auth server does (:mod:`harness.signup`), one
plain user and one user per hostile variant (:mod:`suites.attacks.signup_variants`), then
compares each variant with the plain user: the rows the sign-up created that carry the user's
id (columns that differ, privilege-looking ones flagged), the ``app_metadata`` the token will
carry, and what the user can then do through the API: rows visible per exposed table, rows
each UPDATE and DELETE reaches (each probe rolled back). More than the plain user is a finding.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from harness.access.owners import owner_columns
from harness.context import CheckContext
from harness.errors import CheckSkipped, ConfigError
from harness.impersonate import Actor
from harness.registry import REGISTRY, Finding, Severity, check
from harness.signup import SignedUp, SignupRefused, sign_up
from suites.attacks import created_rows, rowgen
from suites.attacks.common import Relation, exposed_relations, exposed_schemas, require_auth
from suites.attacks.probes import Outcome, acting, attempt
from suites.attacks.repro import auth_server_role, lit, user_insert_sql
from suites.attacks.signup_variants import BASE_METADATA, PLAIN_EMAIL_DOMAIN, Variant, variants

SUITE, FAMILY = "attacks", "security"
CHECK_ID = "SEC110"
DEFAULT_MAX_VARIANTS = 40
PLAIN = Variant("plain", f"dbh-plain@{PLAIN_EMAIL_DOMAIN}", dict(BASE_METADATA))
# Columns whose value decides what a user may do: a difference there is reported even when no
# probe showed more access (the access may lie behind a screen the probes do not reach).
PRIVILEGED = re.compile(
    r"^(?:.*role.*|is_.*|.*admin.*|super.*|.*tenant.*|org(?:anization)?_id|team_id|account_id|"
    r"company_id|workspace_id|warehouse_id|plan|tier|permissions?|scopes?|.*level)$"
)


def _max_variants(ctx: CheckContext) -> int:
    raw = ctx.config.options.get(CHECK_ID, {})
    value = raw.get("max_variants", DEFAULT_MAX_VARIANTS) if isinstance(raw, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"options.{CHECK_ID}.max_variants must be a positive integer")
    return value


Capabilities = dict[str, Outcome]


def probe_statements(rels: list[Relation]) -> dict[str, sql.Composed]:
    """Return the probe statements per relation: rows read, rows UPDATE and DELETE touch."""
    out: dict[str, sql.Composed] = {}
    for r in rels:
        if "SELECT" in r.privileges:
            out[f"select {r.qualified}"] = sql.SQL("select count(*) from {}").format(r.ident)
        if "UPDATE" in r.privileges and r.update_column and r.kind in ("r", "p"):
            c = sql.Identifier(r.update_column)
            out[f"update {r.qualified}"] = sql.SQL("update {} set {} = {}").format(r.ident, c, c)
        if "DELETE" in r.privileges and r.kind in ("r", "p"):
            out[f"delete {r.qualified}"] = sql.SQL("delete from {}").format(r.ident)
    return out


def insert_statements(
    conn: psycopg.Connection[Any], rels: list[Relation], owners: dict[str, str],
    user: uuid.UUID,
) -> dict[str, sql.Composed]:
    """Return an INSERT of one plausible row per insertable table, for ``user``.

    The rows are the same for every user but for the user's own id (owner column, references
    to auth.users), so a table one user may insert into and another may not tells who got
    more. Tables no row can be made up for are left out.
    """
    out: dict[str, sql.Composed] = {}
    for r in rels:
        if "INSERT" not in r.privileges or r.kind not in ("r", "p"):
            continue
        try:
            row = rowgen.row_for(conn, f'"{r.schema}"."{r.name}"', owners.get(r.qualified),
                                 user, r.qualified)
        except rowgen.CannotMakeRow:
            continue
        if row:
            out[f"insert {r.qualified}"] = rowgen.insert_sql((r.schema, r.name), row)
    return out


def capabilities(
    conn: psycopg.Connection[Any], actor: Actor, stmts: dict[str, sql.Composed]
) -> Capabilities:
    """Return what ``actor`` reaches with each probe (each undone)."""
    with acting(conn, actor) as cur:
        return {name: attempt(cur, stmt) for name, stmt in stmts.items()}


@dataclass
class Signed:
    """A variant's sign-up and what followed, or the refusal."""

    variant: Variant
    user: SignedUp | None = None
    refused: str | None = None
    caps: Capabilities | None = None
    stmts: dict[str, sql.Composed] = field(default_factory=dict)


def _gains(plain: Capabilities, mine: Capabilities) -> dict[str, tuple[int, int]]:
    out = {}
    for probe, got in mine.items():
        base = plain.get(probe, Outcome(rows=0))
        if got.rows is not None and got.rows > (base.rows or 0):
            out[probe] = (base.rows or 0, got.rows)
    return out


def _app_gain(plain: dict[str, Any], mine: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mine.items() if plain.get(k) != v}


def _repro(conn: psycopg.Connection[Any], s: Signed, gains: dict[str, tuple[int, int]],
           rows: dict[str, Any], stmts: dict[str, sql.Composed]) -> str:
    assert s.user is not None
    lines = ["BEGIN;", "-- the sign-up, as the auth server performs it"]
    if role := auth_server_role(conn):
        lines.append(f"set local role {role};")
    lines.append(user_insert_sql(conn, s.user, json.dumps(s.variant.metadata)))
    lines.append("reset role;")
    uid = lit(str(s.user.user_id))
    lines.append(f"select raw_app_meta_data from auth.users where id = {uid};")
    for table in sorted(rows)[:3]:
        schema, _, name = table.partition(".")
        lines.append(
            f"select * from {sql.Identifier(schema, name).as_string(None)} t"
            f" where to_jsonb(t)::text like '%' || {uid} || '%';"
        )
    if gains:
        actor = s.user.actor
        claims = lit(actor.claims_json())
        lines.append("-- then, as the new user through the API")
        lines.append(f"select set_config('role', {lit(actor.db_role)}, true), "
                     f"set_config('request.jwt.claims', {claims}, true), "
                     "set_config('request.method', 'POST', true);")
        # reads first: an insert shown before them would change what they count
        order = {"select": 0, "update": 1, "delete": 2, "insert": 3}
        for probe in sorted(gains, key=lambda p: (order.get(p.split()[0], 9), p))[:5]:
            lines.append(f"{stmts[probe].as_string(conn)};  -- {probe}: "
                         f"plain sign-up {gains[probe][0]}, this one {gains[probe][1]}")
    lines.append("ROLLBACK;")
    return "\n".join(lines) + "\n"


def _judge(conn: psycopg.Connection[Any], plain: Signed, s: Signed,
           made: created_rows.Rows) -> Finding | None:
    assert plain.user is not None and s.user is not None
    chk = REGISTRY.get(CHECK_ID)
    gains = _gains(plain.caps or {}, s.caps or {})
    app = _app_gain(dict(plain.user.app_metadata), dict(s.user.app_metadata))
    diff = created_rows.differences(made.get(plain.user.user_id, {}),
                                    made.get(s.user.user_id, {}))
    flagged = {t: [c for c in d["columns"] if PRIVILEGED.match(c)] for t, d in diff.items()}
    flagged = {t: cols for t, cols in flagged.items() if cols}
    more_rows = {t: d["rows"] for t, d in diff.items() if d["rows"][1] > d["rows"][0]}
    if not (gains or app or flagged):
        return None
    said = []
    if gains:
        said.append("can then reach more rows than a plain sign-up: " + ", ".join(
            f"{p} {a} -> {b}" for p, (a, b) in sorted(gains.items())))
    if app:
        said.append(f"gets app_metadata {json.dumps(app, sort_keys=True)} (the token's "
                    "server-controlled claims)")
    if flagged:
        said.append("stored different privilege columns: " + "; ".join(
            f"{t}.{c}" for t, cols in sorted(flagged.items()) for c in cols))
    return chk.finding(
        f"signup:{s.variant.label}",
        f"a sign-up with {s.variant.label} (chosen by the person signing up) "
        + " and ".join(said),
        repro_sql=_repro(conn, s, gains, diff, s.stmts),
        severity=Severity.CRITICAL if (gains or app) else Severity.HIGH,
        details={
            "email": s.variant.email, "user_metadata": s.variant.metadata,
            "access_gained": {p: list(v) for p, v in gains.items()},
            "app_metadata_gained": app, "rows_differing": diff,
            "more_rows_created": {t: list(v) for t, v in more_rows.items()},
        },
    )


def _sign(conn: psycopg.Connection[Any], v: Variant, n: int) -> Signed:
    try:
        user = sign_up(conn, email=v.email, user_metadata=v.metadata,
                       user_id=uuid.uuid5(uuid.NAMESPACE_URL, f"dbh:signup:{n}:{v.email}"))
    except SignupRefused as exc:
        return Signed(v, refused=f"{exc.sqlstate} {exc.message}")
    return Signed(v, user=user)


@check(
    CHECK_ID,
    title="A hostile sign-up (metadata, email) gets no more than a plain one",
    severity=Severity.CRITICAL,
    family=FAMILY,
    suite=SUITE,
    rationale="Whatever a sign-up trigger copies out of raw_user_meta_data or decides from the "
    "email address is chosen by the person signing up; a role, a tenant id or an admin domain "
    "taken from there hands out privileges to anyone.",
    remedy="Take roles, tenants and flags from nothing the client sends: ignore those metadata "
    "keys in the trigger, grant roles from the server (an invitation or an admin action), and "
    "never decide privileges from an unverified email address.",
)
def signup_escalation(ctx: CheckContext) -> Iterator[Finding]:
    """Sign up plainly and once per hostile variant; report variants that got more."""
    limit = _max_variants(ctx)
    with ctx.connect() as conn:
        require_auth(conn, CHECK_ID)
    with ctx.fresh_database() as dsn, ctx.connect(dsn) as conn:
        tried, found = variants(conn, limit)
        plain = _sign(conn, PLAIN, 0)
        if plain.user is None:
            raise CheckSkipped(f"{CHECK_ID}: the database refuses even a plain sign-up "
                               f"({plain.refused}); there is nothing to compare with")
        signed = [_sign(conn, v, i) for i, v in enumerate(tried, 1)]
        rels = exposed_relations(conn, exposed_schemas(ctx))
        stmts = probe_statements(rels)
        users = [s for s in [plain, *signed] if s.user is not None]
        if len(users) == 1:
            first = next((s.refused for s in signed if s.refused), "none tried")
            raise CheckSkipped(f"{CHECK_ID}: the database refused every hostile sign-up but "
                               f"the plain one (first refusal: {first}); nothing to compare")
        owners = {o.qualified: o.column for o in owner_columns(conn, exposed_schemas(ctx))}
        for s in users:
            assert s.user is not None
            s.stmts = {**stmts, **insert_statements(conn, rels, owners, s.user.user_id)}
            s.caps = capabilities(conn, s.user.actor, s.stmts)
        ids = [s.user.user_id for s in users if s.user]
        fresh = created_rows.fresh_keys(conn, {u: created_rows.signup_xid(conn, u) for u in ids})
        made = created_rows.rows_of(conn, ids,
                                    {s.user.user_id: s.user.email for s in users if s.user},
                                    fresh)
        findings = [f for s in signed if s.user is not None
                    if (f := _judge(conn, plain, s, made)) is not None]
    probes = sum(len(s.caps or {}) for s in users)
    broken = sorted({p for s in users for p, o in (s.caps or {}).items() if o.broken})
    ctx.stats.update(
        variants=len(tried), signed_up=len(users) - 1,
        refused=sum(1 for s in signed if s.user is None),
        relations_probed=len(rels), probes=probes, broken_probes=broken,
        rows_created_by_plain={t: len(r) for t, r in made.get(plain.user.user_id, {}).items()},
        **found,
    )
    ctx.progress(f"{CHECK_ID}: {len(tried)} hostile sign-ups, {probes} probes")
    yield from findings
