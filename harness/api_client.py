"""Acting as an API caller over HTTP: signed JWTs, PostgREST requests, curl reproductions.

The HTTP twin of :mod:`harness.impersonate`: the same :class:`~harness.impersonate.Actor` gives
the same claims, here signed (HS256, PyJWT) with the secret of the harness's own PostgREST
instead of written into ``request.jwt.claims`` by hand. PostgREST then does what the SQL path
imitates: it verifies the token, switches to its ``role`` and sets the claims.

Tokens are minted on the API server's clock (its ``Date`` header), not the harness's: a run
under ``faketime`` (or on a runner whose clock drifts) mints tokens the server accepts the same
way, so no verdict depends on the wall clock.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import email.utils
import json
import shlex
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jwt
import requests

from harness.impersonate import Actor

ALGORITHM = "HS256"  # Supabase's (and PostgREST's default) signing algorithm for API keys
TIMEOUT_S = 30.0
ROLLBACK = "tx=rollback"  # needs db-tx-end = commit-allow-override (harness.postgrest sets it)


def to_json(value: Any) -> Any:
    """Encode a value read by psycopg the way PostgREST reads JSON input for its column type."""
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return f"{value.total_seconds()} seconds"
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()  # bytea's hex input format
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value


def dumps(value: Any) -> str:
    """Return compact JSON of ``value`` (psycopg types encoded with :func:`to_json`)."""
    return json.dumps(to_json(value), separators=(",", ":"), sort_keys=True)


@dataclass(frozen=True)
class ApiResponse:
    """What PostgREST answered, and the curl line that asks it again."""

    status: int
    body: Any  # parsed JSON, or the text when it is not JSON
    headers: Mapping[str, str]
    curl: str
    is_json: bool = True

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx."""
        return 200 <= self.status < 300

    @property
    def code(self) -> str | None:
        """The error's ``code`` (a SQLSTATE or PGRSTnnn), None on success or without one."""
        if self.ok or not isinstance(self.body, dict):
            return None
        code = self.body.get("code")
        return str(code) if code is not None else None

    @property
    def message(self) -> str:
        """The error's message (empty on success)."""
        if isinstance(self.body, dict):
            return str(self.body.get("message") or "")
        return "" if self.ok else str(self.body)[:200]

    @property
    def total(self) -> int | None:
        """The count after the slash of ``Content-Range`` (``Prefer: count=exact``), if given."""
        cr = self.headers.get("Content-Range", "")
        _, _, total = cr.partition("/")
        return int(total) if total.isdigit() else None

    @property
    def rows(self) -> int:
        """Rows returned (a JSON array body) or affected (``Content-Range`` with count=exact)."""
        if isinstance(self.body, list):
            return len(self.body)
        return self.total or 0


def curl_line(method: str, url: str, headers: Mapping[str, str], body: str | None) -> str:
    """Return a shell command repeating the request."""
    parts = ["curl", "-sS", "-i", "-X", method, url]
    for k, v in headers.items():
        parts += ["-H", f"{k}: {v}"]
    if body is not None:
        parts += ["--data-raw", body]
    return shlex.join(parts)


@dataclass
class ApiClient:
    """Requests to one PostgREST as one actor or another; thread-safe, one session per thread."""

    url: str
    jwt_secret: str
    _offset: float | None = field(default=None, repr=False)
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def _session(self) -> requests.Session:
        s: requests.Session | None = getattr(self._local, "session", None)
        if s is None:
            s = self._local.session = requests.Session()
        return s

    def server_now(self) -> int:
        """Return the API server's clock (its ``Date`` header), in Unix seconds."""
        if self._offset is None:
            resp = self._session().head(self.url + "/", timeout=TIMEOUT_S)
            date = resp.headers.get("Date")
            server = email.utils.parsedate_to_datetime(date).timestamp() if date else time.time()
            self._offset = server - time.time()
        return int(time.time() + self._offset)

    def sign(self, claims: Mapping[str, Any], *, secret: str | None = None,
             algorithm: str = ALGORITHM) -> str:
        """Return a JWT of ``claims`` signed with the server's secret (or ``secret``)."""
        return jwt.encode(dict(claims), secret or self.jwt_secret, algorithm=algorithm)

    def token_for(self, actor: Actor) -> str | None:
        """Return the access token of ``actor`` (None: an actor without claims sends none)."""
        claims = actor.claims(now=self.server_now())
        return None if claims is None else self.sign(claims)

    def request(
        self,
        method: str,
        path: str,
        *,
        actor: Actor | None = None,
        token: str | None = None,
        body: Any = None,
        prefer: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> ApiResponse:
        """Send one request (``path`` with its query string) and return the answer."""
        hdrs: dict[str, str] = {}
        tok = token if token is not None else (self.token_for(actor) if actor else None)
        if tok:
            hdrs["Authorization"] = f"Bearer {tok}"
        if prefer:
            hdrs["Prefer"] = prefer
        data = None
        if body is not None:
            data = dumps(body)
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        url = self.url + path
        payload = data.encode() if data else None
        try:
            resp = self._session().request(method, url, data=payload, headers=hdrs,
                                           timeout=TIMEOUT_S)
        except requests.ConnectionError:
            # A kept-alive connection the server closed meanwhile (warp closes some after a
            # HEAD): once more on a new one; a server that is down fails again.
            self._local.session = None
            resp = self._session().request(method, url, data=payload, headers=hdrs,
                                           timeout=TIMEOUT_S)
        try:
            parsed: Any = resp.json() if resp.content else None
            is_json = True
        except ValueError:
            parsed, is_json = resp.text, False
        return ApiResponse(resp.status_code, parsed, dict(resp.headers),
                           curl_line(method, url, hdrs, data), is_json)


def unsigned_token(claims: Mapping[str, Any]) -> str:
    """Return a JWT with ``alg: none`` and no signature (RFC 7519 "unsecured JWT")."""

    def part(obj: Mapping[str, Any]) -> str:
        raw = json.dumps(obj, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."
