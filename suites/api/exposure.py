"""API010: what each role's OpenAPI document offers, against the access matrix.

PostgREST describes the API per caller (``openapi-mode = follow-privileges``): a table or verb
appears when the caller's database role holds the privilege. Every app user is the database role
``authenticated``, so its document is the union of what the app roles need; anon's must hold
nothing but the ``db-pre-request`` hook (docs/access.md: anon reaches nothing).

Anti-pattern: grants widened "because RLS filters anyway". Best practice: a verb is granted only
where some app role's rule needs it, so a policy bug cannot be reached through a verb nobody
uses, and every exposed table is one the access matrix (and so SEC100) covers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from harness.access.matrix import AccessMatrix
from harness.api_client import ApiClient
from harness.context import CheckContext
from harness.impersonate import Actor
from harness.registry import REGISTRY, Finding, Severity, check
from suites.api.common import SUITE, api_client, note, role_actors
from suites.security.rls_matrix import load_access

FAMILY = "api"
VERB_COMMANDS = {"get": "R", "post": "I", "patch": "U", "delete": "D"}  # OpenAPI verbs


def openapi_paths(client: ApiClient, actor: Actor) -> dict[str, set[str]]:
    """Return path -> HTTP verbs of the OpenAPI document ``actor`` is served."""
    resp = client.request("GET", "/", actor=actor)
    if not resp.ok or not isinstance(resp.body, dict):
        return {}
    paths: dict[str, Any] = resp.body.get("paths", {})
    return {p: {v for v in ops if v in VERB_COMMANDS or v == "put"} for p, ops in paths.items()}


def pre_request_path(ctx: CheckContext) -> str | None:
    """Return the RPC path of the configured db-pre-request function (anon may execute it)."""
    hook = ctx.config.api.pre_request
    return f"/rpc/{hook.split('.')[-1]}" if hook else None


def commands_granted(matrix: AccessMatrix, table: str) -> set[str]:
    """Commands some app role's rule grants on ``table`` (inserts of append-only ledgers too)."""
    t = matrix.tables[table]
    return {c for r in t.rules for c in r.commands}


def anon_findings(ctx: CheckContext, paths: dict[str, set[str]]) -> Iterator[Finding]:
    """Anything but the pre-request hook in anon's document."""
    allowed = {"/", pre_request_path(ctx)}
    for path in sorted(set(paths) - allowed):
        yield EXPOSURE.finding(
            f"api:{path}",
            f"anon's OpenAPI document offers {path} ({', '.join(sorted(paths[path]))}); the "
            "access matrix gives anon nothing",
            details={"role": "anon", "path": path, "verbs": sorted(paths[path])},
        )


PRIVILEGES = {"R": "SELECT", "I": "INSERT", "U": "UPDATE", "D": "DELETE"}


def granted(ctx: CheckContext, role: str, tables: list[tuple[str, str]]) -> dict[str, set[str]]:
    """Return the commands ``role`` holds a table privilege for, per table.

    PostgREST's document lists every verb of a table the caller may read, so the privileges
    come from the catalog.
    """
    out: dict[str, set[str]] = {}
    with ctx.connect() as conn:
        for schema, name in tables:
            rel = f"{schema}.{name}"
            out[name] = {
                c for c, priv in PRIVILEGES.items()
                if conn.execute("select has_table_privilege(%s, %s, %s)",
                                (role, rel, priv)).fetchone() == (True,)
            }
    return out


def user_findings(
    ctx: CheckContext, matrix: AccessMatrix, paths: dict[str, set[str]]
) -> Iterator[Finding]:
    """Exposed tables the matrix does not know, matrix tables not exposed, unneeded grants."""
    schemas = ctx.config.api.schemas
    known = {name: t for name, t in matrix.tables.items() if t.schema in schemas}
    offered = {p.lstrip("/") for p in paths if p != "/" and not p.startswith("/rpc/")}
    for name in sorted(offered - set(known)):
        yield EXPOSURE.finding(
            f"api:/{name}",
            f"authenticated users are offered /{name} but the access matrix does not cover "
            "the table: no suite proves who may use it",
            details={"role": "authenticated", "path": f"/{name}"},
        )
    for name in sorted(set(known) - offered):
        if "R" in commands_granted(matrix, name):
            yield EXPOSURE.finding(
                f"api:/{name}",
                f"the access matrix lets app roles read {name}, but authenticated users' "
                "OpenAPI document does not offer it (no SELECT privilege, or not in db-schemas "
                f"{', '.join(schemas)})",
                details={"role": "authenticated", "path": f"/{name}"},
            )
    user_role = ctx.config.api_roles[1] if len(ctx.config.api_roles) > 1 else "authenticated"
    tables = [(known[n].schema, n) for n in sorted(offered & set(known))]
    for name, have in granted(ctx, user_role, tables).items():
        extra = sorted(have - commands_granted(matrix, name), key="RIUD".index)
        if extra:
            privs = ", ".join(PRIVILEGES[c] for c in extra)
            needed = "".join(sorted(commands_granted(matrix, name), key="RIUD".index))
            yield EXPOSURE.finding(
                f"api:/{name}",
                f"{user_role} holds {privs} on {name}, which no app role's rule in the access "
                f"matrix needs (it grants {needed or 'nothing'}); "
                "only RLS stands between a client and that verb",
                severity=Severity.LOW,
                details={"role": user_role, "path": f"/{name}", "unneeded": extra},
            )


@check(
    "API010",
    title="Each role's OpenAPI document offers only what the access matrix grants",
    severity=Severity.MEDIUM,
    family=FAMILY,
    suite=SUITE,
    needs=("access",),
    rationale="PostgREST publishes, per caller, every table, verb and function the caller's "
    "database role has a privilege on. Anything anon is offered is reachable by anyone holding "
    "the public anon key; a verb authenticated users are offered but no app role needs leaves a "
    "policy as the only guard, and a table outside the access matrix is one no suite tests.",
    remedy="Revoke the privilege (REVOKE INSERT/UPDATE/DELETE ... FROM authenticated; REVOKE "
    "... FROM anon) or add the table's rules to dbharness/access.toml.",
)
def openapi_exposure(ctx: CheckContext) -> Iterator[Finding]:
    """Fetch the OpenAPI document as anon and as one user of every app role, and compare."""
    matrix = load_access(ctx)
    client = api_client(ctx)
    actors = role_actors(ctx, matrix)
    docs = {label: openapi_paths(client, actor) for label, actor in actors.items()}
    docs["service_role"] = openapi_paths(client, Actor.service_role())
    note(ctx, openapi_roles=len(docs),
         **{f"paths_{label}": len(paths) for label, paths in sorted(docs.items())})
    yield from anon_findings(ctx, docs.pop("anon"))
    docs.pop("service_role")
    # App roles share the database role: their documents are the same; judge one, say if not.
    union: dict[str, set[str]] = {}
    for paths in docs.values():
        for p, verbs in paths.items():
            union.setdefault(p, set()).update(verbs)
    yield from user_findings(ctx, matrix, union)


EXPOSURE = REGISTRY.get("API010")
