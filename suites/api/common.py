"""What every API check needs: the run's PostgREST and a client of it, or why there is none."""

from __future__ import annotations

from typing import Any

from psycopg import sql

from harness.access.matrix import AccessMatrix
from harness.api_client import ApiClient
from harness.context import CheckContext
from harness.errors import CheckSkipped
from harness.impersonate import Actor
from harness.postgrest import ApiServers, PostgrestServer

SUITE = "api"


def api_server(ctx: CheckContext, dsn: str | None = None) -> PostgrestServer:
    """Return the run's PostgREST serving ``dsn`` (default: the scratch database).

    Without an API path (``--api none``, or PostgREST not installed under ``api.mode = auto``)
    the check is skipped with the reason, which names the install command.
    """
    servers: ApiServers | None = ctx.api
    if servers is None:
        raise CheckSkipped(ctx.api_off_reason)
    return servers.shared(dsn or ctx.dsn)


def client_of(server: PostgrestServer) -> ApiClient:
    """Return an HTTP client of ``server`` that signs tokens with its secret."""
    return ApiClient(server.url, server.jwt_secret)


def api_client(ctx: CheckContext) -> ApiClient:
    """Return a client of the run's PostgREST on the scratch database."""
    return client_of(api_server(ctx))


def note(ctx: CheckContext, **stats: Any) -> None:
    """Record what the check exercised (cases, requests...) in the run's statistics."""
    ctx.stats.update(stats)
    ctx.progress(", ".join(f"{k} {v}" for k, v in stats.items()))


def role_actors(ctx: CheckContext, matrix: AccessMatrix) -> dict[str, Actor]:
    """One active user per app role of the matrix (the first by id), plus anon."""
    a = matrix.actors
    q = sql.SQL("select distinct on ({role}) {role}::text, {key} from {table}"
                " where {active} order by {role}, {key}").format(
        role=sql.Identifier(a.role), key=sql.Identifier(a.key), active=sql.Identifier(a.active),
        table=sql.Identifier(*a.table.split(".")) if "." in a.table
        else sql.Identifier("public", a.table))
    with ctx.connect() as conn:
        rows = conn.execute(q).fetchall()
    out = {str(role): Actor.user(uid) for role, uid in rows if str(role) in matrix.roles}
    out["anon"] = Actor.anon()
    return out


def exposed_tables(ctx: CheckContext, schemas: tuple[str, ...]) -> list[tuple[str, str]]:
    """Tables and views of the exposed schemas, as (schema, name)."""
    with ctx.connect() as conn:
        rows = conn.execute(
            "select n.nspname, c.relname from pg_class c join pg_namespace n"
            " on n.oid = c.relnamespace where n.nspname = any(%s) and c.relkind in"
            " ('r', 'p', 'v', 'm', 'f') and not c.relispartition order by 1, 2",
            (list(schemas),),
        ).fetchall()
    return [(str(s), str(n)) for s, n in rows]
