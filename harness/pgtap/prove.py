"""Run pgTAP files with ``pg_prove`` and read back every test's result.

``pg_prove`` (Debian ``libtap-parser-sourcehandler-pgtap-perl``) is what ``supabase test db``
runs, so a file judged here is judged the way the team's own CI judges it: one psql session per
file with ``ON_ERROR_STOP``. Its ``--archive`` keeps each file's raw output (``--merge`` adds
psql's errors to it, with their line numbers), read back here line by line. pg_prove's own
verdict (its exit status) is checked against ours: a run it calls failed can never read as a
pass here.
"""

from __future__ import annotations

import os
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict

from harness.errors import ConfigError, ToolFailed
from harness.pgdist import client_tool_for
from harness.tools import find_tool

PG_PROVE_PACKAGE = "apt-get install libtap-parser-sourcehandler-pgtap-perl (pg_prove)"
ARCHIVE_PACKAGE = "apt-get install libtap-harness-archive-perl (pg_prove --archive)"
TIMEOUT_S = 600
# "psql:tests/rls.sql:12: ERROR:  permission denied for table parts"
PSQL_ERROR = re.compile(
    r"^psql:(?P<file>.+?):(?P<line>\d+): (?P<level>ERROR|FATAL|PANIC):\s+(?P<msg>.*)$"
)

# libpq keywords and the environment variables psql reads for them. pg_prove mangles a
# connection string given to --dbname, so the DSN reaches psql through the environment.
_LIBPQ_ENV = {
    "host": "PGHOST", "hostaddr": "PGHOSTADDR", "port": "PGPORT", "dbname": "PGDATABASE",
    "user": "PGUSER", "password": "PGPASSWORD", "passfile": "PGPASSFILE",
    "options": "PGOPTIONS", "application_name": "PGAPPNAME", "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL", "connect_timeout": "PGCONNECT_TIMEOUT", "service": "PGSERVICE",
    "target_session_attrs": "PGTARGETSESSIONATTRS", "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING", "krbsrvname": "PGKRBSRVNAME",
}


@dataclass(frozen=True)
class TapTest:
    """One ``ok``/``not ok`` line and the diagnostics that follow it."""

    number: int
    ok: bool
    description: str
    skip: bool = False
    todo: bool = False
    diagnostics: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """A TODO test may fail without failing the file (TAP's rule)."""
        return self.ok or self.todo


@dataclass(frozen=True)
class PsqlError:
    """An error psql printed while running the file: the file stopped there."""

    line: int
    message: str
    context: tuple[str, ...] = ()


@dataclass
class TapFile:
    """What one file printed, as pg_prove ran it."""

    path: Path
    label: str  # the path as pg_prove was given it (relative to where it ran)
    planned: int | None = None
    tests: list[TapTest] = field(default_factory=list)
    errors: list[PsqlError] = field(default_factory=list)
    bailed: str | None = None

    @property
    def failed(self) -> list[TapTest]:
        """The tests that failed (a failing TODO test does not count)."""
        return [t for t in self.tests if not t.passed]

    @property
    def problems(self) -> list[str]:
        """Why the file as a whole did not run to a verdict; empty when it did."""
        out: list[str] = []
        if self.bailed is not None:
            out.append(f"bailed out: {self.bailed}")
        for e in self.errors:
            out.append(f"stopped at line {e.line}: {e.message}")
        if self.errors:
            return out  # the error says why; a plan it never reached is no news
        if self.planned is None:
            out.append("no plan (select plan(n) or select * from no_plan() before the tests)")
        elif self.planned != len(self.tests):
            out.append(f"planned {self.planned} tests but ran {len(self.tests)}")
        return out

    @property
    def complete(self) -> bool:
        """The file ran to its end and its plan holds."""
        return not self.problems


@dataclass(frozen=True)
class ProveRun:
    """The results of one pg_prove run over a list of files."""

    files: tuple[TapFile, ...]
    exit_code: int
    output: str  # pg_prove's own report (stdout)
    command: tuple[str, ...]

    @property
    def all_passed(self) -> bool:
        """Every file ran to its plan and every test passed."""
        return all(f.complete and not f.failed for f in self.files)


def libpq_env(dsn: str) -> dict[str, str]:
    """Return the environment that makes psql connect where ``dsn`` points."""
    env: dict[str, str] = {}
    for key, value in conninfo_to_dict(dsn).items():
        if value is None:
            continue
        name = _LIBPQ_ENV.get(key)
        if name is None:
            raise ConfigError(
                f"the DSN parameter {key!r} cannot be handed to psql (pg_prove)",
                hint="use host, port, dbname, user, password, sslmode, options ... only",
            )
        env[name] = str(value)
    return env


# TAP's grammar, strictly: psql also prints what non-test statements return (a helper's uuid
# such as "1e5f..." or a "1..." string must not read as a plan).
_PLAN = re.compile(r"^1\.\.(?P<n>\d+)(?:\s*#.*)?$")
_RESULT = re.compile(r"^(?P<not>not )?ok\b(?:\s+(?P<n>\d+))?(?P<rest>.*)$")
_DIRECTIVE = re.compile(r"^(?P<kind>skip|todo)\S*\s*(?P<why>.*)$", re.I)
_BAIL = re.compile(r"^Bail out!\s*(?P<why>.*)$")
_UNESCAPED_HASH = re.compile(r"(?<!\\)#")


def _result(m: re.Match[str], number: int) -> TapTest:
    """Build a test from an ``ok``/``not ok`` line: description, then ``# SKIP``/``# TODO``."""
    parts = _UNESCAPED_HASH.split(m["rest"], maxsplit=1)
    description = parts[0].strip().removeprefix("-").strip().replace("\\#", "#")
    directive = _DIRECTIVE.match(parts[1].strip()) if len(parts) > 1 else None
    kind = directive["kind"].lower() if directive else ""
    return TapTest(int(m["n"]) if m["n"] else number, m["not"] is None, description,
                   skip=kind == "skip", todo=kind == "todo")


def parse_output(path: Path, label: str, text: str) -> TapFile:
    """Read one file's merged output: TAP lines plus the errors psql printed."""
    result = TapFile(path, label)
    diagnostics: list[str] | None = None  # of the last test
    in_error = False

    def close_test() -> None:
        nonlocal diagnostics
        if diagnostics is not None and result.tests:
            last = result.tests[-1]
            result.tests[-1] = TapTest(last.number, last.ok, last.description, last.skip,
                                       last.todo, tuple(diagnostics))
        diagnostics = None

    for raw in text.splitlines():
        line = raw.rstrip()
        if m := PSQL_ERROR.match(line):
            close_test()
            in_error = True
            result.errors.append(PsqlError(int(m["line"]), m["msg"].strip()))
        elif m := _RESULT.match(line):
            close_test()
            in_error = False
            result.tests.append(_result(m, len(result.tests) + 1))
            diagnostics = []
        elif line.startswith("#"):
            text_ = line.removeprefix("#").strip()
            # finish()'s summary belongs to the file, not to the test before it
            if diagnostics is not None and not text_.startswith("Looks like you"):
                diagnostics.append(text_)
        elif m := _PLAN.match(line):
            in_error = False
            result.planned = int(m["n"])
        elif m := _BAIL.match(line):
            result.bailed = m["why"] or "no reason given"
        elif in_error and line.strip():
            # psql's CONTEXT / LINE / HINT lines after an error
            err = result.errors[-1]
            result.errors[-1] = PsqlError(err.line, err.message, (*err.context, line))
    close_test()
    return result


def run_pg_prove(
    dsn: str, files: Sequence[Path], *, cwd: Path, timeout: float = TIMEOUT_S
) -> ProveRun:
    """Run ``pg_prove`` on ``files`` (in this order) against the database at ``dsn``.

    Paths are handed to pg_prove relative to ``cwd``, so psql's error lines and the results
    name the files the way the project does.
    """
    pg_prove = find_tool("pg_prove", install=PG_PROVE_PACKAGE)
    # pg_prove runs psql from PATH unless told: take the psql of the server's major.
    psql = client_tool_for("psql", dsn)
    labels = [_relative(p, cwd) for p in files]
    env = {**os.environ, **libpq_env(dsn)}
    with tempfile.TemporaryDirectory(prefix="dbh-tap-") as tmp:
        archive = Path(tmp) / "tap.tar.gz"
        command = (pg_prove, "--psql-bin", psql, "--norc", "--nocolor", "--merge",
                   "--archive", str(archive), *labels)
        try:
            proc = subprocess.run(
                command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ToolFailed(f"pg_prove did not finish within {timeout:.0f}s") from None
        if not archive.is_file():
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            hint = ARCHIVE_PACKAGE if any("Archive" in ln for ln in detail) else None
            raise ToolFailed(
                f"pg_prove wrote no results (exit {proc.returncode}): "
                + (detail[-1] if detail else "no output"),
                hint=hint,
            )
        outputs = _read_archive(archive, labels)
    results = tuple(
        parse_output(path, label, outputs.get(label, ""))
        for path, label in zip(files, labels, strict=True)
    )
    run = ProveRun(results, proc.returncode, proc.stdout, command)
    # pg_prove exits 0 only when every file passed; we must never read better than it does.
    if proc.returncode != 0 and run.all_passed:
        raise ToolFailed(
            f"pg_prove reported a failure (exit {proc.returncode}) that its TAP output does not "
            "show",
            hint="\n".join(proc.stdout.strip().splitlines()[-8:]),
        )
    return run


def _relative(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def _read_archive(archive: Path, labels: Sequence[str]) -> dict[str, str]:
    """Each file's output, keyed by the name pg_prove was given."""
    wanted = set(labels)
    out: dict[str, str] = {}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("./")
            # Absolute paths are stored without their leading slash.
            key = name if name in wanted else "/" + name
            if key in wanted and member.isfile():
                handle = tar.extractfile(member)
                if handle is not None:
                    out[key] = handle.read().decode("utf-8", errors="replace")
    return out
