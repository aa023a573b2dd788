"""SEC113: a storage policy that checks only the bucket lets users reach each other's files.

Anti-pattern: ``create policy ... on storage.objects for select to authenticated using
(bucket_id = 'invoices')``. Every signed-up user reads, overwrites or deletes every file of
the bucket; what looks like "users may use the invoices bucket" is "users share all invoices".
Best practice: tie each policy to the object's owner (``owner_id = (select auth.uid())::text``)
or to its path (``(storage.foldername(name))[1] = (select auth.uid())::text``).

Statically, a policy on ``storage.objects`` for signed-up users (or anon) is *bucket-only*
when its USING expression reads no column but ``bucket_id`` and calls no function but
``auth.role()``. Behaviourally, on a private clone, user A stores an object in each bucket the
policies name (through the API when the policies allow, else as the superuser) and user B
tries to read, update and delete it. A bucket is public by design when ``storage.buckets.public``
is true: anyone may read its files, so B's read is no finding there; B's update or delete is.
A bucket the migrations never create is taken as private (the default).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from harness.access import policy_expr
from harness.context import CheckContext
from harness.errors import CheckSkipped, ToolFailed
from harness.impersonate import Actor, impersonate
from harness.registry import REGISTRY, Finding, Severity, check
from harness.signup import persona_id
from suites.attacks.common import require_auth, two_users
from suites.attacks.probes import Outcome, acting, attempt, fingerprint_of, reached
from suites.attacks.repro import scripted_repro

SUITE, FAMILY = "attacks", "security"
CHECK_ID = "SEC113"
REACHING = frozenset({"SELECT", "UPDATE", "DELETE", "ALL"})
API_ROLES = frozenset({"authenticated", "anon", "public"})
BUCKET_ONLY_CALLS = frozenset({"auth.role"})


@dataclass
class BucketPolicies:
    """What the policies of storage.objects say about one bucket."""

    bucket: str
    bucket_only: list[str] = field(default_factory=list)  # policy names
    anon: bool = False  # a bucket-only policy applies to anon too
    others: list[str] = field(default_factory=list)


def buckets_named(tree: policy_expr.Node | None) -> set[str]:
    """Return the buckets an expression compares ``bucket_id`` with (= and IN)."""
    out = set()
    for left, right in policy_expr.equalities(tree):
        for col, val in ((left, right), (right, left)):
            if policy_expr.column(col) == "bucket_id" and (s := policy_expr.string_const(val)):
                out.add(s)
    # `bucket_id in ('a', 'b')`, which the server keeps as `bucket_id = any (array['a', 'b'])`
    for n in policy_expr.walk(tree):
        kind = n.get("kind", {}).get("name")
        if (n.get("@") != "A_Expr" or kind not in ("AEXPR_IN", "AEXPR_OP_ANY")
                or policy_expr.column(n.get("lexpr")) != "bucket_id"):
            continue
        items = n.get("rexpr")
        if kind == "AEXPR_OP_ANY":
            arr = policy_expr.strip_casts(items if isinstance(items, dict) else None)
            items = arr.get("elements", ()) if arr and arr.get("@") == "A_ArrayExpr" else ()
        for item in items if isinstance(items, list | tuple) else ():
            if (s := policy_expr.string_const(item)) is not None:
                out.add(s)
    return out


def is_bucket_only(tree: policy_expr.Node | None) -> bool:
    """Whether the expression decides on the bucket alone (or on nothing at all)."""
    cols = policy_expr.columns_of(tree) - {"bucket_id"}
    calls = policy_expr.calls_of(tree) - BUCKET_ONLY_CALLS
    return not cols and not calls


def classify(conn: psycopg.Connection[Any]) -> tuple[dict[str, BucketPolicies], int]:
    """Return the buckets the reaching policies name, with their bucket-only policies."""
    rows = conn.execute(
        "select policyname, cmd, roles::text[], qual from pg_policies"
        " where schemaname = 'storage' and tablename = 'objects' order by 1"
    ).fetchall()
    existing = [str(r[0]) for r in conn.execute("select id from storage.buckets order by 1")]
    out: dict[str, BucketPolicies] = {}
    examined = 0
    for name, cmd, roles, qual in rows:
        if cmd not in REACHING or not API_ROLES & set(roles or ()):
            continue
        examined += 1
        tree = policy_expr.parse(qual)
        named = buckets_named(tree) or set(existing)  # no bucket test: every bucket
        only = is_bucket_only(tree)
        for b in sorted(named):
            bp = out.setdefault(b, BucketPolicies(b))
            if only:
                bp.bucket_only.append(f"{name} ({cmd})")
                bp.anon = bp.anon or bool({"anon", "public"} & set(roles))
            else:
                bp.others.append(f"{name} ({cmd})")
    return out, examined


def _columns(conn: psycopg.Connection[Any]) -> set[str]:
    return {str(r[0]) for r in conn.execute(
        "select attname from pg_attribute where attrelid = 'storage.objects'::regclass"
        " and attnum > 0 and not attisdropped and attgenerated = ''")}


def _upload(conn: psycopg.Connection[Any], bucket: str, a: Actor) -> tuple[uuid.UUID, str]:
    """Store an object of A in ``bucket``; return its id and the INSERT that did it."""
    assert a.user_id is not None
    cols = _columns(conn)
    oid = uuid.uuid5(uuid.NAMESPACE_URL, f"dbh:object:{bucket}")
    values: dict[str, Any] = {"id": str(oid), "bucket_id": bucket,
                              "name": f"{a.user_id}/dbh-probe.txt", "owner": str(a.user_id),
                              "owner_id": str(a.user_id), "metadata": '{"size": 1}'}
    values = {k: v for k, v in values.items() if k in cols}
    stmt = sql.SQL("insert into storage.objects ({}) values ({})").format(
        sql.SQL(", ").join(map(sql.Identifier, values)),
        sql.SQL(", ").join(map(sql.Literal, values.values())))
    text = stmt.as_string(conn)
    try:
        with impersonate(conn, a, commit=True) as cur:
            cur.execute(stmt)
        return oid, text
    except psycopg.Error:
        pass
    conn.execute(stmt)  # psycopg.Error: the caller records the bucket as untested
    return oid, text


def _ensure_bucket(conn: psycopg.Connection[Any], bucket: str) -> tuple[bool, str]:
    """Return whether ``bucket`` is public; create it (private) when the schema did not.

    The second value is the INSERT that created it ("" when the schema has it).
    """
    row = conn.execute("select coalesce(public, false) from storage.buckets where id = %s",
                       (bucket,)).fetchone()
    if row is not None:
        return bool(row[0]), ""
    stmt = sql.SQL("insert into storage.buckets (id, name) values ({}, {})").format(
        sql.Literal(bucket), sql.Literal(bucket))
    conn.execute(stmt)
    return False, stmt.as_string(conn)


def _attacks(conn: psycopg.Connection[Any], oid: uuid.UUID, who: Actor,
             public: bool) -> dict[str, tuple[str, Outcome]]:
    """Read (private buckets), update and delete A's object, aimed at it and with no filter."""
    where = sql.SQL("id = {}").format(sql.Literal(str(oid)))
    objects = sql.Identifier("storage", "objects")
    fp = fingerprint_of(objects, where)
    change = (sql.SQL("metadata = '{\"dbh\": \"probe\"}'") if "metadata" in _columns(conn)
              else sql.SQL("bucket_id = bucket_id"))
    writes: dict[str, sql.Composed | sql.SQL] = {
        "update": sql.SQL("update storage.objects set {} where {}").format(change, where),
        "update (no filter)": sql.SQL("update storage.objects set {}").format(change),
        "delete": sql.SQL("delete from storage.objects where {}").format(where),
        "delete (no filter)": sql.SQL("delete from storage.objects"),
    }
    out: dict[str, tuple[str, Outcome]] = {}
    with acting(conn, who) as cur:
        if not public:
            read = sql.SQL("select count(*) from storage.objects where {}").format(where)
            out["read"] = (read.as_string(conn), attempt(cur, read))
        for k, stmt in writes.items():
            out[k] = (stmt.as_string(conn), reached(cur, who, stmt, fp))
    return out


def _most_telling(tries: dict[str, tuple[str, Outcome]]) -> str | None:
    """Return the attempt a repro should show: a write aimed at the object first."""
    won = [c for c, (_s, o) in tries.items() if o.succeeded]
    order = ("delete", "update", "delete (no filter)", "update (no filter)", "read")
    return next((c for c in order if c in won), None)


@check(
    CHECK_ID,
    title="Storage policies tie objects to their owner, not just to the bucket",
    severity=Severity.HIGH,
    family=FAMILY,
    suite=SUITE,
    rationale="A storage.objects policy testing only bucket_id lets every signed-up user (or "
    "anon) read, overwrite and delete every file of that bucket, whoever uploaded it.",
    remedy="Add the owner to the policy: `and owner_id = (select auth.uid())::text`, or "
    "`and (storage.foldername(name))[1] = (select auth.uid())::text` with per-user folders; "
    "make the bucket public only when every file in it is meant for everyone.",
)
def storage_bucket_only(ctx: CheckContext) -> Iterator[Finding]:
    """Classify the storage policies, then try B on A's object in every bucket they name."""
    chk = REGISTRY.get(CHECK_ID)
    with ctx.connect() as conn:
        require_auth(conn, CHECK_ID)
        if conn.execute("select to_regclass('storage.objects')").fetchone() == (None,):
            raise CheckSkipped(f"{CHECK_ID}: the database has no storage.objects")
        buckets, examined = classify(conn)
    if not examined:
        raise CheckSkipped(f"{CHECK_ID}: no policy of storage.objects lets API roles read, "
                           "update or delete objects")
    results: list[tuple[BucketPolicies, bool, dict[str, dict[str, tuple[str, Outcome]]]]] = []
    scripts: dict[tuple[str, str], str] = {}
    untested: dict[str, str] = {}
    with ctx.fresh_database() as dsn, ctx.connect(dsn) as conn:
        people = two_users(conn, ("storage-a", "storage-b"))
        signed = people.users if len(people.users) == 2 else []
        if signed:
            a, b = (u.actor for u in signed)
        else:  # sign-up refused: storage needs only the ids the tokens carry
            a = Actor.user(persona_id("dbh:storage-a"), "storage-a@example.com")
            b = Actor.user(persona_id("dbh:storage-b"), "storage-b@example.com")
        for bp in buckets.values():
            try:
                public, created = _ensure_bucket(conn, bp.bucket)
                oid, upload = _upload(conn, bp.bucket, a)
            except psycopg.Error as exc:
                untested[bp.bucket] = f"{exc.sqlstate} {(exc.diag.message_primary or '').strip()}"
                continue
            who = {"user B": b, **({"anon": Actor.anon()} if bp.anon else {})}
            tries = {name: _attacks(conn, oid, actor, public) for name, actor in who.items()}
            results.append((bp, public, tries))
            look = sql.SQL("select * from storage.objects where id = {}").format(
                sql.Literal(str(oid))).as_string(conn)
            for name, t in tries.items():
                if cmd := _most_telling(t):
                    scripts[(bp.bucket, name)] = scripted_repro(
                        conn, signed, [x for x in (created, upload) if x], who[name],
                        t[cmd][0], look)
    attempts = sum(len(t) for *_x, tries in results for t in tries.values())
    ctx.stats.update(policies_examined=examined, buckets=len(buckets), buckets_tested=len(results),
                     attempts=attempts, untested=untested,
                     bucket_only={b.bucket: b.bucket_only for b in buckets.values()
                                  if b.bucket_only})
    broken = [f"{bp.bucket} {w} {c}: {o.sqlstate} {o.message}" for bp, _p, tries in results
              for w, t in tries.items() for c, (_s, o) in t.items() if o.broken]
    for bp, public, tries in results:
        for name, t in tries.items():
            won = {c: (s, o) for c, (s, o) in t.items() if o.succeeded}
            cmd = _most_telling(t)
            if cmd is None:
                continue
            yield chk.finding(
                f"storage.objects:{bp.bucket}:{name}",
                f"{name} reached user A's object in {'public' if public else 'private'} bucket "
                f"{bp.bucket!r}: {', '.join(f'{c} {o}' for c, (_s, o) in won.items())}; "
                + (f"bucket-only policies: {', '.join(bp.bucket_only)}" if bp.bucket_only
                   else f"policies: {', '.join(bp.others)}"),
                repro_sql=scripts[(bp.bucket, name)],
                severity=Severity.CRITICAL if cmd != "read" else None,
                details={"bucket": bp.bucket, "public": public,
                         "attempts": {c: str(o) for c, (_s, o) in t.items()}},
            )
    ctx.progress(f"{CHECK_ID}: {attempts} attempts on {len(results)} buckets")
    if broken:
        raise ToolFailed(f"{CHECK_ID}: attempts failed in their own SQL: " + "; ".join(broken))
    needed = [b for b in untested if buckets[b].bucket_only]
    if needed:
        raise ToolFailed(f"{CHECK_ID}: could not store an object in bucket(s) with bucket-only "
                         "policies: " + "; ".join(f"{b}: {untested[b]}" for b in needed))
