"""Applying a schema directory to a database: bootstrap, ledgered migrations, seed data.

Order and transactions:

- the platform profile's base (see :mod:`harness.platform`), when one is given, on a connection
  of its own that ends before the schema's files run, so they start with the database settings
  the profile gave (its ``search_path``);
- ``bootstrap/`` files run on every apply (they recreate what Supabase provides on vanilla
  PostgreSQL and must be idempotent), each file in its own transaction;
- ``migrations/`` files not yet in the ledger ``dbharness_meta.applied_migrations`` run in name
  order, each in one transaction together with its ledger row, so a migration is either fully
  applied and recorded or not at all;
- ``seed/`` files (when asked) and ``extra`` files run last, each in its own transaction; they are
  not ledgered, so they belong on a fresh database (the workspace applies them once, into the
  template).

Files are split into statements with pglast (the real PostgreSQL parser) so that a failure names
the file, the line, the statement and the server's error instead of "error somewhere in 2,000
lines".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pglast
import psycopg

from harness.errors import HarnessError, SchemaApplyError
from harness.platform import Profile, apply_settings, missing_extension_hint
from harness.schema_dir import SchemaDir, SqlFile

LEDGER = "dbharness_meta.applied_migrations"

_LEDGER_DDL = (
    "create schema if not exists dbharness_meta",
    f"""create table if not exists {LEDGER} (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
    )""",
)

# Session advisory lock key ("dbha" in ASCII): two runs applying to the same database wait for each
# other instead of both applying migration N.
_APPLY_LOCK_KEY = 0x64626861

# Settings a file makes with plain SET (pg_dump and `supabase db diff` output start with several)
# would otherwise leak into every later file on the same connection.
_SESSION_RESET = ("reset session authorization", "reset role", "reset all")

_LEADING_COMMENTS = re.compile(r"\A(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/)*", re.S)
# BEGIN/COMMIT in a file are redundant: the harness already wraps each file in a transaction,
# and letting a COMMIT through would commit half a file. BEGIN ATOMIC only occurs inside a
# CREATE FUNCTION, never at the start of a statement.
_TX_BOUNDARY = re.compile(
    r"^(?:begin|start\s+transaction|commit|end)\b(?!\s+(?:prepared|atomic)\b)", re.I
)
_TX_ABORT = re.compile(r"^(?:rollback|abort)\b(?!\s+(?:to|prepared)\b)", re.I)


@dataclass(frozen=True)
class Statement:
    """One statement of a SQL file and the line it starts on (1-based), for error messages."""

    text: str
    line: int


def split_statements(text: str) -> list[Statement]:
    """Split SQL text into statements; dollar-quoted bodies, DO blocks and BEGIN ATOMIC stay whole.

    A file with a syntax error cannot be split by the parser; the scanner then splits it (it knows
    quoting but not grammar) so that the statements before the bad one run and the server reports
    the bad one with its own message and SQLSTATE.
    """
    try:
        slices = list(pglast.split(text, only_slices=True))
    except pglast.parser.ParseError:
        try:
            slices = _split_tokens(text)
        except pglast.parser.ParseError:  # e.g. an unterminated quote: let the server say so
            stripped = text.strip()
            return [Statement(stripped, _line_of(text, text.find(stripped)))] if stripped else []
    return [Statement(text[s].strip(), _line_of(text, s.start)) for s in slices if text[s].strip()]


def _split_tokens(text: str) -> list[slice]:
    """Split at top-level semicolons using the scanner's tokens.

    Not ``pglast.split(with_parser=False)``: that one silently drops statements that start with a
    non-keyword (a typo such as ``selec 1`` vanished instead of failing). Semicolons inside a
    ``BEGIN ATOMIC ... END`` body (where CASE ... END nests) do not end the statement.
    """
    slices: list[slice] = []
    start: int | None = None
    end = 0
    prev = ""
    depth = 0  # open BEGIN ATOMIC / CASE blocks inside a SQL-standard function body
    for tok in pglast.parser.scan(text):
        if tok.name in ("SQL_COMMENT", "C_COMMENT"):
            continue
        if tok.name == "ASCII_59" and depth == 0:
            if start is not None:
                slices.append(slice(start, end + 1))
            start, prev = None, ""
            continue
        if start is None:
            start = tok.start
        end = tok.end  # inclusive
        if (tok.name == "ATOMIC" and prev == "BEGIN_P") or (depth and tok.name == "CASE"):
            depth += 1
        elif tok.name == "END_P" and depth:
            depth -= 1
        prev = tok.name
    if start is not None:
        slices.append(slice(start, end + 1))
    return slices


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, max(offset, 0)) + 1


def _is_tx_boundary(stmt: Statement, label: str) -> bool:
    """Tell BEGIN/COMMIT (skipped) apart; raise for a bare ROLLBACK, which would undo the file."""
    head = _LEADING_COMMENTS.sub("", stmt.text)
    if _TX_ABORT.match(head):
        raise SchemaApplyError(
            f"{label}:{stmt.line}",
            stmt.text,
            "ROLLBACK in a schema file: the harness runs each file in its own transaction",
        )
    return bool(_TX_BOUNDARY.match(head))


def _server_message(exc: psycopg.Error) -> str:
    """Format the server's message with its detail, hint and PL/pgSQL context if any."""
    diag = exc.diag
    parts = [diag.message_primary or str(exc).strip()]
    for label, value in (("detail", diag.message_detail), ("hint", diag.message_hint),
                         ("context", diag.context)):
        if value:
            parts.append(f"{label}: {value.strip()}")
    return "\n    ".join(parts)


def _run_file(
    conn: psycopg.Connection[Any],
    label: str,
    file: SqlFile,
    *,
    ledger: bool,
    platform: Profile | None = None,
) -> None:
    """Run one file in one transaction (with its ledger row when ``ledger``); all or nothing."""
    statements = [s for s in split_statements(file.text) if not _is_tx_boundary(s, label)]
    try:
        with conn.transaction():
            for stmt in statements:
                try:
                    conn.execute(stmt.text)
                except psycopg.Error as exc:
                    message = _server_message(exc)
                    hint = missing_extension_hint(message, platform) if platform else None
                    if hint:
                        message += f"\n    platform: {hint}"
                    raise SchemaApplyError(
                        f"{label}:{stmt.line}", stmt.text, message, sqlstate=exc.sqlstate,
                    ) from exc
            if ledger:
                conn.execute(
                    f"insert into {LEDGER} (name, checksum) values (%s, %s)",
                    (file.name, file.checksum),
                )
    finally:
        if not conn.closed and conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
            for reset in _SESSION_RESET:
                conn.execute(reset)


def _read_ledger(conn: psycopg.Connection[Any]) -> dict[str, str]:
    row = conn.execute("select to_regclass(%s) is not null", (LEDGER,)).fetchone()
    if not row or not row[0]:
        return {}
    return dict(conn.execute(f"select name, checksum from {LEDGER} order by name").fetchall())


def migration_ledger(conninfo: str) -> dict[str, str]:
    """Return the migrations recorded in the database at ``conninfo``: name -> sha256."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        return _read_ledger(conn)


def _verify_unchanged(recorded: dict[str, str], migrations: Iterable[SqlFile]) -> None:
    """Refuse to run when an applied migration was edited: the database no longer matches it."""
    for mig in migrations:
        old = recorded.get(mig.name)
        if old is not None and old != mig.checksum:
            raise HarnessError(
                f"migration {mig.name} changed after it was applied "
                f"(recorded sha256 {old[:12]}, file now {mig.checksum[:12]})",
                hint="migrations are forward-only: revert the edit and add a new migration, "
                "or rebuild the database from scratch",
            )


def apply_schema(
    conninfo: str,
    schema: SchemaDir,
    *,
    bootstrap: bool = True,
    seed: bool = False,
    extra: Sequence[SqlFile] = (),
    platform: Profile | None = None,
) -> list[str]:
    """Bring the database at ``conninfo`` up to ``schema``; return what ran, as ``<dir>/<file>``.

    The ``platform`` base and bootstrap files run every time (when ``bootstrap``; on Supabase
    itself neither applies); migrations only when not yet recorded,
    so re-applying runs no migration. Raises :class:`SchemaApplyError` for a failing statement
    (its file's transaction is rolled back) and :class:`HarnessError` when a recorded migration's
    file changed since.
    """
    applied: list[str] = []
    migrations = schema.migrations
    if bootstrap and platform is not None and platform.is_supabase:
        applied += install_platform(conninfo, platform)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("select pg_advisory_lock(%s)", (_APPLY_LOCK_KEY,))
        with conn.transaction():
            for ddl in _LEDGER_DDL:
                conn.execute(ddl)
        recorded = _read_ledger(conn)
        _verify_unchanged(recorded, migrations)

        steps: list[tuple[str, SqlFile, bool]] = []
        if bootstrap:
            steps += [("bootstrap", f, False) for f in schema.bootstrap]
        steps += [("migrations", f, True) for f in migrations if f.name not in recorded]
        if seed:
            steps += [("seed", f, False) for f in schema.seed]
        steps += [("extra", f, False) for f in extra]

        for folder, file, ledger in steps:
            label = f"{folder}/{file.name}"
            _run_file(conn, label, file, ledger=ledger, platform=platform)
            applied.append(label)
    return applied


def install_platform(conninfo: str, platform: Profile) -> list[str]:
    """Run the platform's base in the database at ``conninfo`` and give it the profile's settings.

    Idempotent, like a bootstrap file. Returns what ran, as ``platform/<profile>/<file>``.
    """
    applied: list[str] = []
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("select pg_advisory_lock(%s)", (_APPLY_LOCK_KEY,))
        for file in platform.files:
            label = f"platform/{platform.name}/{file.name}"
            _run_file(conn, label, file, ledger=False)
            applied.append(label)
        apply_settings(conn, platform, conn.info.dbname)
    return applied


# Seed files are not migrations: they insert rows, so a second load collides with the first
# (duplicate keys). `dbharness migrate --with-seed` records what it loaded here and loads it once.
SEED_LEDGER = "dbharness_meta.loaded_seed"


def seed_ledger(conninfo: str) -> dict[str, tuple[str, str]]:
    """Return the seed files loaded into the database: name -> (sha256, when, ISO 8601)."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        row = conn.execute("select to_regclass(%s) is not null", (SEED_LEDGER,)).fetchone()
        if not row or not row[0]:
            return {}
        rows = conn.execute(
            "select name, checksum, to_char(loaded_at, 'YYYY-MM-DD HH24:MI:SSOF')"
            f" from {SEED_LEDGER}"
        ).fetchall()
    return {name: (checksum, when) for name, checksum, when in rows}


def record_seed(conninfo: str, files: Sequence[SqlFile]) -> None:
    """Record that ``files`` were loaded (after they were)."""
    with psycopg.connect(conninfo, autocommit=True) as conn, conn.transaction():
        conn.execute("create schema if not exists dbharness_meta")
        conn.execute(
            f"""create table if not exists {SEED_LEDGER} (
                name text primary key,
                checksum text not null,
                loaded_at timestamptz not null default now()
            )"""
        )
        for f in files:
            conn.execute(
                f"insert into {SEED_LEDGER} (name, checksum) values (%s, %s)"
                " on conflict (name) do update set checksum = excluded.checksum,"
                " loaded_at = now()",
                (f.name, f.checksum),
            )
