"""Acting as an API caller exactly the way PostgREST does it.

PostgREST runs every request in one transaction that starts with::

    select set_config('role', <role claim>, true),
           set_config('request.jwt.claims', <claims json>, true),
           set_config('request.method', <verb>, true), ...

so RLS policies and ``auth.uid()`` see the caller, and everything is undone when the transaction
ends (the ``true`` means transaction-local). The harness does the same on its own superuser
connection; nothing else (no SET ROLE, no session settings) so that what passes here passes
behind PostgREST and vice versa.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import psycopg
from psycopg import sql

ActorKind = Literal["user", "anon", "service_role", "forged", "missing"]

# Supabase's API role names (HarnessConfig.api_roles holds the same triple for other checks).
ANON_ROLE = "anon"
USER_ROLE = "authenticated"
SERVICE_ROLE = "service_role"
TOKEN_LIFETIME_S = 3600  # GoTrue's default access-token lifetime
DEFAULT_METHOD = "POST"  # PostgREST sends the HTTP verb; POST is the verb of /rpc calls

# Derives a stable session_id from the user id, so the same actor yields the same claims shape.
_SESSION_NAMESPACE = uuid.UUID("6f1d8f0e-3d0c-4a8e-9a53-5d4bd0c1f0a1")


@dataclass(frozen=True)
class Actor:
    """Who a request comes from. Build one with the class methods, not the constructor."""

    kind: ActorKind
    db_role: str
    user_id: uuid.UUID | None = None
    email: str | None = None
    # Canonical JSON rather than a dict: keeps actors hashable and comparable (hypothesis
    # strategies and parametrize ids rely on both).
    forged_claims: str | None = None
    # What GoTrue copies into the token from auth.users (raw_app_meta_data, raw_user_meta_data);
    # canonical JSON, None for the defaults of a plain email sign-up.
    app_metadata: str | None = None
    user_metadata: str | None = None

    @classmethod
    def user(
        cls,
        user_id: uuid.UUID | str,
        email: str | None = None,
        *,
        app_metadata: Mapping[str, Any] | None = None,
        user_metadata: Mapping[str, Any] | None = None,
    ) -> Actor:
        """Return a signed-in user: role ``authenticated``, ``sub`` = the profile's uuid.

        ``app_metadata``/``user_metadata`` are the token's claims of those names, as GoTrue
        reads them from the user's row (see :mod:`harness.signup`).
        """
        uid = user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(user_id)
        return cls(
            "user",
            USER_ROLE,
            uid,
            email,
            app_metadata=None if app_metadata is None else _canonical_json(app_metadata),
            user_metadata=None if user_metadata is None else _canonical_json(user_metadata),
        )

    @classmethod
    def anon(cls) -> Actor:
        """Return a caller with only the project's anon key."""
        return cls("anon", ANON_ROLE)

    @classmethod
    def service_role(cls) -> Actor:
        """Return a caller with the service_role key (bypasses RLS on Supabase)."""
        return cls("service_role", SERVICE_ROLE)

    @classmethod
    def forged(cls, claims: Mapping[str, Any], *, role: str = USER_ROLE) -> Actor:
        """Arbitrary claims, sent verbatim, under database role ``role``.

        Models claims the policies should not trust (a ``role`` claim of ``service_role``,
        user-editable ``user_metadata``, another user's ``sub`` with a wrong ``aud``...).
        """
        return cls("forged", role, forged_claims=_canonical_json(claims))

    @classmethod
    def no_claims(cls) -> Actor:
        """Role ``authenticated`` but empty claims: what a policy sees when no JWT arrived."""
        return cls("missing", USER_ROLE)

    def claims(self, now: int | None = None) -> dict[str, Any] | None:
        """Build the JWT claims PostgREST puts in ``request.jwt.claims`` (None: ``missing``)."""
        if self.kind == "missing":
            return None
        if self.kind == "forged":
            return dict(json.loads(self.forged_claims or "{}"))
        iat = int(time.time()) if now is None else now
        if self.kind != "user":  # the anon and service_role API keys
            return {"iss": "supabase", "role": self.db_role, "iat": iat,
                    "exp": iat + TOKEN_LIFETIME_S}
        assert self.user_id is not None
        # The shape of a GoTrue access token (email sign-in).
        return {
            "aud": "authenticated",
            "exp": iat + TOKEN_LIFETIME_S,
            "iat": iat,
            "iss": "supabase",
            "sub": str(self.user_id),
            "email": self.email or "",
            "phone": "",
            "app_metadata": (
                json.loads(self.app_metadata)
                if self.app_metadata is not None
                else {"provider": "email", "providers": ["email"]}
            ),
            "user_metadata": json.loads(self.user_metadata) if self.user_metadata else {},
            "role": self.db_role,
            "aal": "aal1",
            "amr": [{"method": "password", "timestamp": iat}],
            "session_id": str(uuid.uuid5(_SESSION_NAMESPACE, str(self.user_id))),
            "is_anonymous": False,
        }

    def claims_json(self, now: int | None = None) -> str:
        """Return ``request.jwt.claims`` as text; "" when there are none, as the GUC reads then."""
        c = self.claims(now)
        return "" if c is None else _canonical_json(c)

    def __str__(self) -> str:
        who = f" {self.user_id}" if self.user_id else ""
        return f"{self.kind}{who} as {self.db_role}"


def _canonical_json(value: Mapping[str, Any]) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


_SET_REQUEST = (
    "select set_config('role', %s, true), set_config('request.jwt.claims', %s, true),"
    " set_config('request.method', %s, true)"
)


@contextmanager
def impersonate(
    conn: psycopg.Connection[Any],
    actor: Actor,
    *,
    commit: bool = False,
    method: str = DEFAULT_METHOD,
) -> Iterator[psycopg.Cursor[Any]]:
    """Yield a cursor acting as ``actor`` inside one transaction, rolled back unless ``commit``.

    ``conn`` must not be inside a transaction: nested in one, the settings would survive the
    block (they are local to the *outer* transaction) and what follows would run as the actor.
    """
    status = conn.info.transaction_status
    if status != psycopg.pq.TransactionStatus.IDLE:
        raise ValueError(
            f"impersonate() needs a connection outside any transaction (status {status.name}); "
            "use an autocommit connection"
        )
    with conn.transaction() as tx, conn.cursor() as cur:
        cur.execute(_SET_REQUEST, (actor.db_role, actor.claims_json(), method))
        yield cur
        if not commit:
            raise psycopg.Rollback(tx)


def repro_sql(actor: Actor, statement: str, *, method: str = DEFAULT_METHOD) -> str:
    """Return a minimal psql script running ``statement`` as ``actor``; it changes nothing."""
    values = (actor.db_role, actor.claims_json(), method)
    role, claims, verb = (sql.Literal(v).as_string(None) for v in values)
    body = statement.strip().rstrip(";").rstrip()
    return (
        "BEGIN;\n"
        f"SELECT set_config('role', {role}, true), "
        f"set_config('request.jwt.claims', {claims}, true), "
        f"set_config('request.method', {verb}, true);\n"
        f"{body};\n"
        "ROLLBACK;\n"
    )
