"""API020: tokens PostgREST must refuse are refused; a token without ``sub`` reaches nothing.

Every token is minted on the API server's clock (its ``Date`` header): an expired token is one
whose ``exp`` lies before the server's now, whatever the harness's clock says, so the verdict is
the same under ``faketime`` or on a runner whose clock is off.
"""

from __future__ import annotations

import base64
import json
import secrets
import urllib.parse
from collections.abc import Iterator
from typing import Any

from harness.api_client import ApiClient, unsigned_token
from harness.context import CheckContext
from harness.impersonate import Actor
from harness.registry import REGISTRY, Finding, Severity, check
from suites.api.common import SUITE, api_client, note, role_actors
from suites.security.rls_matrix import load_access

FAMILY = "api"
LIFETIME_S = 3600


def _b64(obj: dict[str, Any]) -> str:
    raw = json.dumps(obj, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def tampered(client: ApiClient, claims: dict[str, Any], **changes: Any) -> str:
    """Return a validly signed token whose payload was then changed (signature kept)."""
    header, _payload, signature = client.sign(claims).split(".")
    return f"{header}.{_b64({**claims, **changes})}.{signature}"


def refused_tokens(client: ApiClient, user: Actor) -> dict[str, str]:
    """Tokens that must be refused with 401, by what is wrong with them."""
    now = client.server_now()
    claims = user.claims(now=now) or {}
    anon = Actor.anon().claims(now=now) or {}
    expired = {**claims, "iat": now - 2 * LIFETIME_S, "exp": now - LIFETIME_S}
    return {
        "expired": client.sign(expired),
        "signed with another secret": client.sign(claims, secret=secrets.token_urlsafe(48)),
        "alg none (unsigned)": unsigned_token(claims),
        "anon key with role service_role": tampered(client, anon, role="service_role"),
        "user token with another sub": tampered(client, claims,
                                                sub="00000000-0000-4000-8000-000000000001"),
    }


def no_sub_token(client: ApiClient) -> str:
    """Return a valid token of role authenticated that names no user."""
    now = client.server_now()
    return client.sign({"role": "authenticated", "iat": now, "exp": now + LIFETIME_S,
                        "aud": "authenticated"})


@check(
    "API020",
    title="Forged, expired and unsigned tokens are refused; a token without sub reaches nothing",
    severity=Severity.CRITICAL,
    family=FAMILY,
    suite=SUITE,
    needs=("access",),
    rationale="The JWT is the API's only credential. PostgREST must refuse an expired token, "
    "one signed with another secret, an unsigned one (alg none) and one whose claims were "
    "edited after signing (the public anon key turned into service_role); and a validly signed "
    "token that names no user (no sub) must reach no row of the application's tables.",
    remedy="Refusals: keep PostgREST's jwt-secret private and strong, do not set jwt-aud or "
    "role-claim options that widen what is accepted. No sub: policies must compare rows with "
    "auth.uid() and never treat a null uid as a match (is not distinct from, coalesce).",
)
def tokens(ctx: CheckContext) -> Iterator[Finding]:
    """Send each bad token to every exposed table; then read every table without sub."""
    matrix = load_access(ctx)
    client = api_client(ctx)
    user = next(a for label, a in role_actors(ctx, matrix).items() if label != "anon")
    tables = [(n, t.key) for n, t in sorted(matrix.tables.items())
              if t.schema in ctx.config.api.schemas]
    sent = 0
    for what, token in refused_tokens(client, user).items():
        for name, key in tables:
            resp = client.request("GET", f"/{urllib.parse.quote(name)}?select={key}",
                                  token=token)
            sent += 1
            if resp.status != 401:
                yield TOKENS.finding(
                    f"api:/{name}",
                    f"a token {what} was answered HTTP {resp.status} ({resp.rows} row(s)), "
                    "not 401",
                    repro_sql=f"-- {resp.curl}",
                    details={"token": what, "status": resp.status, "curl": resp.curl},
                )
                break  # one table shows it; the others would repeat it
    token = no_sub_token(client)
    for name, key in tables:
        resp = client.request("GET", f"/{urllib.parse.quote(name)}?select={key}", token=token)
        sent += 1
        if resp.ok and resp.rows:
            yield TOKENS.finding(
                f"public.{name}",
                f"a valid token of role authenticated without sub reads {resp.rows} row(s) of "
                f"{name}",
                repro_sql=f"-- {resp.curl}",
                details={"token": "no sub", "rows": resp.rows, "curl": resp.curl},
            )
    note(ctx, token_requests=sent)


TOKENS = REGISTRY.get("API020")
