"""PRV005: static check of every PL/pgSQL function with plpgsql_check.

Trigger functions are included
(checked against each table they are attached to), with performance and security warnings on.

Errors and security warnings become findings. When the extension is not installed the check
installs it inside a transaction it rolls back, so the database under test is left unchanged.
When the server cannot provide it the check is an ERROR (:class:`ToolMissing`, exit 2) naming the
package, never a skip: a run without PRV005 has not checked a line of PL/pgSQL.

A function without a fixed ``search_path`` resolves its names through the caller's, so its
verdict would depend on how the harness connected. Every function is checked under the
search_path a new session of this database gets (``ALTER DATABASE ... SET search_path``, else
PostgreSQL's default); plpgsql_check applies a function's own ``SET search_path`` itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from harness.context import CheckContext
from harness.errors import ToolMissing
from harness.pgdist import extension_hint
from harness.registry import REGISTRY, Finding, Severity, check
from suites.security.scope import FUNC_NAME, USER_FUNCTION, Scope, lit

EXTENSION = "plpgsql_check"
SCRATCH_SCHEMA = "dbharness_plpgsql_check"  # created and dropped with the rolled-back transaction
REPORTED_LEVELS = {"error": Severity.HIGH, "security": Severity.HIGH}

# Each plpgsql function with the tables it is a trigger on (none for plain functions). Event
# trigger functions are left out: plpgsql_check cannot check them without an event.
TARGETS = f"""
    select {FUNC_NAME} as fn, p.oid::regprocedure::text as sig,
           p.prorettype = 'trigger'::regtype as is_trigger,
           array(select distinct format('%%I.%%I', tn.nspname, tc.relname)
                 from pg_trigger t join pg_class tc on tc.oid = t.tgrelid
                 join pg_namespace tn on tn.oid = tc.relnamespace
                 where t.tgfoid = p.oid and not t.tgisinternal order by 1) as tables
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    join pg_language l on l.oid = p.prolang
    where l.lanname = 'plpgsql' and p.prokind in ('f', 'p')
      and p.prorettype <> 'event_trigger'::regtype and {USER_FUNCTION}
    order by 1
"""

CALL = (
    "select level, lineno, statement, sqlstate, message, detail, hint "
    "from {schema}.plpgsql_check_function_tb(%s::regprocedure, %s::regclass, "
    "fatal_errors => false, performance_warnings => true, security_warnings => true)"
)


# The search_path of a new session here: the database's own setting, else the server's default.
SESSION_SEARCH_PATH = """
select coalesce(
  (select substring(c from '^search_path=(.*)$')
   from pg_db_role_setting s cross join unnest(s.setconfig) c
   where s.setdatabase = (select oid from pg_database where datname = current_database())
     and s.setrole = 0 and c like 'search_path=%'),
  (select boot_val from pg_settings where name = 'search_path'))
"""


class PlpgsqlCheckUnavailable(ToolMissing):
    """The plpgsql_check extension is not installed on the server (status ERROR, exit 2)."""


def install_hint(conn: psycopg.Connection[Any]) -> str:
    """Say how to install plpgsql_check for this server's major, or why it cannot be had."""
    major = int(conn.info.server_version) // 10000
    return extension_hint(EXTENSION, major, "postgresql-{major}-plpgsql-check", "PRV005")


def extension_schema(conn: psycopg.Connection[Any]) -> str:
    """Return the schema of plpgsql_check, installing it in the open transaction if absent."""
    row = conn.execute(
        "select extnamespace::regnamespace::text from pg_extension where extname = %s",
        [EXTENSION],
    ).fetchone()
    if row:
        return str(row[0])
    available = conn.execute(
        "select 1 from pg_available_extensions where name = %s", [EXTENSION]
    ).fetchone()
    if not available:
        raise PlpgsqlCheckUnavailable(
            "PRV005 cannot run: the plpgsql_check extension is not available on the server "
            f"(PostgreSQL {int(conn.info.server_version) // 10000})",
            hint=install_hint(conn),
        )
    try:
        conn.execute(sql.SQL("create schema {}").format(sql.Identifier(SCRATCH_SCHEMA)))
        conn.execute(
            sql.SQL("create extension {} schema {}").format(
                sql.Identifier(EXTENSION), sql.Identifier(SCRATCH_SCHEMA)
            )
        )
    except psycopg.errors.InsufficientPrivilege as exc:
        raise PlpgsqlCheckUnavailable(
            f"PRV005 cannot run: cannot create the plpgsql_check extension: {exc}",
            hint="connect as a superuser, or CREATE EXTENSION plpgsql_check in the database "
            "beforehand (or tolerate PRV005's errors with a reason in the config)",
        ) from None
    return sql.Identifier(SCRATCH_SCHEMA).as_string(conn)


@check(
    "PRV005",
    title="plpgsql_check error or security warning",
    severity=Severity.HIGH,
    family="privileges",
    suite="security",
    rationale="PL/pgSQL is only compiled when a statement first runs: a wrong column, a type "
    "mismatch or an unsanitized EXECUTE hides until production. plpgsql_check finds them "
    "statically; trigger functions are checked against every table they fire on.",
    remedy="Fix the statement plpgsql_check names (line and message in the finding); for "
    "EXECUTE use format() with %I/%L or USING parameters.",
)
def plpgsql_static_check(ctx: CheckContext) -> Iterator[Finding]:
    """Run plpgsql_check on every plpgsql function and trigger binding."""
    chk = REGISTRY.get("PRV005")
    with ctx.connect(autocommit=False) as conn:
        try:
            path = conn.execute(SESSION_SEARCH_PATH).fetchone()
            conn.execute("select set_config('search_path', %s, true)", [path[0] if path else ""])
            schema = extension_schema(conn)
            scope = Scope.of(ctx, conn)
            with conn.cursor(row_factory=dict_row) as cur:
                cur.execute(TARGETS, scope.params())
                targets = cur.fetchall()
            call = sql.SQL(CALL).format(schema=sql.SQL(schema))
            for target in targets:
                if target["is_trigger"]:
                    relations: list[str | None] = list(target["tables"])
                else:
                    relations = [None]
                for rel in relations:
                    yield from _check_one(conn, call, chk.finding, target, rel)
        finally:
            conn.rollback()


def _check_one(
    conn: psycopg.Connection[Any],
    call: sql.Composed,
    make: Any,
    target: dict[str, Any],
    rel: str | None,
) -> Iterator[Finding]:
    where = f" (trigger on {rel})" if rel else ""
    repro = (
        f"select * from plpgsql_check_function_tb({lit(target['sig'])}, "
        f"{lit(rel) if rel else '0'}, performance_warnings => true, security_warnings => true);"
    )
    try:
        # A savepoint per call: one function that makes plpgsql_check raise must not end the run.
        with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
            cur.execute(call, [target["sig"], rel or "0"])
            rows = cur.fetchall()
    except psycopg.Error as exc:
        yield make(
            target["fn"],
            f"plpgsql_check could not check {target['fn']}{where}: {exc}",
            repro_sql=repro,
            details={"table": rel},
        )
        return
    for row in rows:
        if row["level"] not in REPORTED_LEVELS:
            continue
        line = f" line {row['lineno']}" if row["lineno"] is not None else ""
        stmt = f" at {row['statement']}" if row["statement"] else ""
        yield make(
            target["fn"],
            f"{row['level']} in {target['fn']}{where}{line}{stmt}: {row['message']}",
            repro_sql=repro,
            details={
                "table": rel,
                "level": row["level"],
                "line": row["lineno"],
                "sqlstate": row["sqlstate"],
                "detail": row["detail"],
                "hint": row["hint"],
                "severity": REPORTED_LEVELS[row["level"]].value,
            },
        )
