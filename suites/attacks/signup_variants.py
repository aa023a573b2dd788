"""The hostile sign-ups SEC110 tries: metadata keys a trigger may copy, email shapes it may trust.

Everything in ``raw_user_meta_data`` and the email address comes from the person signing up.
The keys tried are a fixed list of the usual privilege and tenant keys plus every key the
functions run on sign-up read (``raw_user_meta_data ->> 'key'``); the emails are a fixed pair
plus one address per pattern or domain those functions compare with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from suites.attacks.common import PLATFORM_SCHEMAS

# Keys signup triggers are known to copy into profiles, memberships or app_metadata.
FIXED_KEYS = (
    "role", "user_role", "app_role", "roles", "is_admin", "admin", "is_superuser", "plan",
    "tier", "tenant_id", "org_id", "organization_id", "team_id", "account_id", "company_id",
    "workspace_id", "warehouse_id",
)
ROLE_VALUES = ("admin", "owner", "super_admin", "service_role")
FIXED_EMAILS = ("admin@example.com", "root@example.com")
PLAIN_EMAIL_DOMAIN = "example.com"
BASE_METADATA: dict[str, Any] = {"full_name": "Probe User"}
MAX_ROLE_VALUES = 6

_KEY = re.compile(
    r"(?:raw_user_meta_data|user_metadata)['\"]?(?:::\w+)?\s*\)?\s*(?:->>|->)\s*'([A-Za-z0-9_.-]+)'"
)
_LITERAL = re.compile(r"'((?:[^']|'')*)'")
_DOMAIN = re.compile(r"^@?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$")


@dataclass(frozen=True)
class Variant:
    """One sign-up: a label for reports, the email and the client-sent metadata."""

    label: str
    email: str
    metadata: dict[str, Any]


_SIGNUP_FUNCTIONS = """
select distinct p.oid::regprocedure::text, p.prosrc
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where p.oid in (select t.tgfoid from pg_trigger t
                where t.tgrelid = 'auth.users'::regclass and not t.tgisinternal)
   or (p.prosrc ~* 'raw_user_meta_data' and n.nspname <> all(%s))
order by 1
"""


def signup_sources(conn: psycopg.Connection[Any]) -> dict[str, str]:
    """Return the source of the functions run on sign-up (and of those reading its metadata)."""
    rows = conn.execute(_SIGNUP_FUNCTIONS, (sorted(PLATFORM_SCHEMAS - {"auth"}),)).fetchall()
    return {str(sig): str(src or "") for sig, src in rows}


def policy_text(conn: psycopg.Connection[Any]) -> str:
    """Return every policy expression, where user_metadata read from the token shows up."""
    rows = conn.execute("select coalesce(qual, '') || ' ' || coalesce(with_check, '')"
                        " from pg_policies").fetchall()
    return "\n".join(str(r[0]) for r in rows)


def metadata_keys(texts: list[str]) -> list[str]:
    """Return the fixed keys, then the keys the texts read out of the user's metadata."""
    found = sorted({k for t in texts for k in _KEY.findall(t)} - set(FIXED_KEYS))
    return [*FIXED_KEYS, *found]


def email_shapes(sources: list[str]) -> list[str]:
    """Return addresses matching the patterns and domains the sign-up functions compare with."""
    out: list[str] = list(FIXED_EMAILS)
    for src in sources:
        for raw in _LITERAL.findall(src):
            text = raw.replace("''", "'").strip()
            addr = _address_for(text)
            if addr and addr not in out:
                out.append(addr)
    return out


def _address_for(text: str) -> str | None:
    """Return an address a pattern or domain literal would accept, if it looks like one."""
    low = text.lower()
    if "@" in low:
        # LIKE ('%@corp.example'), regex ('@corp\.example$') or a whole address.
        core = re.sub(r"[\^$\\()]|\.\*|\.\+", "", low).replace("%", "x").replace("_", "x")
        local, _, domain = core.partition("@")
        local = re.sub(r"[^a-z0-9.+-]", "", local) or "dbh"
        domain = re.sub(r"[^a-z0-9.-]", "", domain)
        return f"{local}@{domain}" if _DOMAIN.match(domain) else None
    if _DOMAIN.match(low) and "." in low and not low.startswith(("public.", "auth.", "storage.")):
        return f"dbh@{low.lstrip('@')}"
    bare = re.sub(r"[\^$\\]|\.\*", "", low)
    if ("%" in low or "admin" in low) and re.fullmatch(r"[%a-z0-9._+-]+", bare):
        local = bare.replace("%", "").strip(".") or "dbh"
        return f"{local}@{PLAIN_EMAIL_DOMAIN}"
    return None


def role_values(conn: psycopg.Connection[Any]) -> list[str]:
    """Return role names worth claiming: the labels of role-like enums, then the usual ones."""
    labels = [
        str(r[0])
        for r in conn.execute(
            "select e.enumlabel from pg_enum e join pg_type t on t.oid = e.enumtypid"
            " join pg_namespace n on n.oid = t.typnamespace"
            " where t.typname ~* 'role' and n.nspname <> all(%s)"
            " order by (e.enumlabel ~* 'admin|owner|super') desc, t.typname, e.enumsortorder",
            (sorted(PLATFORM_SCHEMAS),),
        ).fetchall()
    ]
    out = list(dict.fromkeys([*labels, *ROLE_VALUES]))
    return out[:MAX_ROLE_VALUES]


def existing_id(conn: psycopg.Connection[Any], key: str) -> Any:
    """Return an id some existing row holds under column ``key`` (another tenant's), or None."""
    stem = key.removesuffix("_id")
    cands = conn.execute(
        "select n.nspname, c.relname, a.attname from pg_attribute a"
        " join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace"
        " where c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped"
        " and n.nspname <> all(%s) and left(n.nspname, 3) <> 'pg_'"
        " and (a.attname = %s or (a.attname = 'id' and c.relname in (%s, %s, %s)))"
        " order by (a.attname = 'id') desc, 1, 2",
        (sorted(PLATFORM_SCHEMAS), key, stem, f"{stem}s", f"{stem}es"),
    ).fetchall()
    for schema, table, col in cands:
        q = sql.SQL("select {c} from {t} where {c} is not null order by 1 limit 1").format(
            c=sql.Identifier(col), t=sql.Identifier(schema, table)
        )
        row = conn.execute(q).fetchone()
        if row is not None:
            value = row[0]
            return value if isinstance(value, int | str | bool) else str(value)
    return None


def values_for(conn: psycopg.Connection[Any], key: str, roles: list[str]) -> list[Any]:
    """Return the hostile values tried under ``key`` (empty: nothing sensible to claim)."""
    low = key.lower()
    if low.endswith("_id"):
        value = existing_id(conn, key)
        return [] if value is None else [value]
    if low.startswith("is_") or "admin" in low or low in ("superuser", "verified", "approved"):
        return [True]
    if low == "roles":
        return [[r] for r in roles[:2]]
    if "role" in low:
        return list(roles)
    if low in ("plan", "tier"):
        return ["enterprise"]
    return ["admin"]


def variants(conn: psycopg.Connection[Any], limit: int) -> tuple[list[Variant], dict[str, Any]]:
    """Return the hostile sign-ups to try (at most ``limit``) and what discovery found."""
    sources = signup_sources(conn)
    keys = metadata_keys([*sources.values(), policy_text(conn)])
    roles = role_values(conn)
    out: list[Variant] = []
    unclaimable: list[str] = []
    for key in keys:
        vals = values_for(conn, key, roles)
        if not vals:
            unclaimable.append(key)
        for i, value in enumerate(vals):
            out.append(Variant(f"user_metadata.{key}={value!r}",
                               f"dbh-meta-{len(out)}-{i}@{PLAIN_EMAIL_DOMAIN}",
                               {**BASE_METADATA, key: value}))
    emails = email_shapes(list(sources.values()))
    mail = [Variant(f"email={e}", e, dict(BASE_METADATA)) for e in emails]
    # Email shapes first: they are few and the defect they find is the most serious kind.
    chosen = [*mail, *out][:limit]
    found = {
        "signup_functions": sorted(sources),
        "metadata_keys": keys,
        "unclaimable_keys": unclaimable,
        "email_shapes": emails,
        "variants_dropped": max(0, len(mail) + len(out) - limit),
    }
    return chosen, found
