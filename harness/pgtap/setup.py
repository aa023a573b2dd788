"""Make a throwaway database ready for pgTAP files: the extension and the test helpers."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import psycopg
from psycopg import sql

from harness.errors import ToolMissing
from harness.pgdist import extension_hint, lacks

PGTAP_PACKAGE = "apt-get install postgresql-<major>-pgtap (Debian/Ubuntu), or build pgTAP from pgxn"
HELPERS = "helpers.sql"
# A schema that brings its own helpers (e.g. the dbdev package) keeps them.
_OWN_HELPERS = "select to_regprocedure('tests.authenticate_as(text)') is not null"


def helpers_sql() -> str:
    """Return the SQL of the community-named test helpers (tests.create_supabase_user, ...)."""
    return files("harness.pgtap").joinpath(HELPERS).read_text(encoding="utf-8")


def prepare(conn: psycopg.Connection[Any], *, extension: str = "pgtap") -> dict[str, str]:
    """Install pgTAP and the helpers into the database of ``conn``; say what was done.

    :class:`ToolMissing` when the server has no pgTAP extension: the files cannot run, and that
    must never read as a pass.
    """
    row = conn.execute(
        "select default_version, (select extversion from pg_extension where extname = %(e)s)"
        " from pg_available_extensions where name = %(e)s",
        {"e": extension},
    ).fetchone()
    if row is None:
        major = conn.info.server_version // 10000
        raise ToolMissing(
            f"the {extension} extension is not installed on the PostgreSQL {major} server, so "
            "the schema's pgTAP files cannot run",
            # 17 here: say why it cannot be had and how to go on, not an apt line that fails
            hint=extension_hint(extension, major, "postgresql-{major}-pgtap", "TAP001")
            if lacks(extension, major) else PGTAP_PACKAGE.replace("<major>", str(major)),
        )
    available, installed = row
    done = {"pgtap": f"{installed} (the schema's)" if installed else str(available)}
    if not installed:
        conn.execute(sql.SQL("create extension {}").format(sql.Identifier(extension)))
    own = conn.execute(_OWN_HELPERS).fetchone()
    if own and own[0]:
        done["helpers"] = "the schema's own tests.* functions"
    else:
        conn.execute(helpers_sql())
        done["helpers"] = "dbharness (tests.create_supabase_user, tests.authenticate_as, ...)"
    return done
