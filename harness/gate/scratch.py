"""Throwaway databases for the gate: unique names, always dropped afterwards."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from harness.errors import ConnectionFailed

SCRATCH_PREFIX = "dbharness_gate"


def dsn_for(admin_dsn: str, dbname: str) -> str:
    """``admin_dsn`` pointed at database ``dbname``."""
    return make_conninfo(admin_dsn, dbname=dbname)


@contextmanager
def scratch_database(admin_dsn: str, label: str) -> Iterator[str]:
    """Create an empty database named after ``label`` plus a random suffix; yield its DSN."""
    name = f"{SCRATCH_PREFIX}_{label}_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(admin_dsn, autocommit=True)
    except psycopg.OperationalError as exc:
        where = conninfo_to_dict(admin_dsn).get("host", "the default socket")
        raise ConnectionFailed(
            f"cannot connect to PostgreSQL at {where}: {exc}".strip(),
            hint="pass --dsn or set DATABASE_URL / PG* variables",
        ) from None
    with admin:
        # template0: a template1 that someone extended must not leak into the comparison
        admin.execute(sql.SQL("create database {} template template0").format(sql.Identifier(name)))
        try:
            yield dsn_for(admin_dsn, name)
        finally:
            admin.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
            )
