"""What every API check needs: the run's PostgREST and a client of it, or why there is none."""

from __future__ import annotations

from typing import Any

from harness.api_client import ApiClient
from harness.context import CheckContext
from harness.errors import CheckSkipped
from harness.postgrest import PostgrestServer

SUITE = "api"


def api_server(ctx: CheckContext, dsn: str | None = None) -> PostgrestServer:
    """Return the run's PostgREST serving ``dsn`` (default: the scratch database).

    Without an API path (``--api none``, or PostgREST not installed under ``api.mode = auto``)
    the check is skipped with the reason, which names the install command.
    """
    if ctx.api is None:
        raise CheckSkipped(ctx.api_off_reason)
    return ctx.api.shared(dsn or ctx.dsn)


def client_of(server: PostgrestServer) -> ApiClient:
    """Return an HTTP client of ``server`` that signs tokens with its secret."""
    return ApiClient(server.url, server.jwt_secret)


def api_client(ctx: CheckContext) -> ApiClient:
    """Return a client of the run's PostgREST on the scratch database."""
    return client_of(api_server(ctx))


def note(ctx: CheckContext, **stats: Any) -> None:
    """Record what the check exercised (cases, requests...) in the run's statistics."""
    target = getattr(ctx, "stats", None)
    if isinstance(target, dict):
        target.update(stats)
    ctx.progress(", ".join(f"{k} {v}" for k, v in stats.items()))
