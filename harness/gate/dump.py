r"""A checked-in, normalized schema dump (``pg_dump --schema-only --no-owner``).

With it every schema change shows in review as a diff of the resulting schema, not only as
a new migration.

Normalizing strips what changes between runs and pg_dump versions without changing the
schema: the header and version comments, ``SET`` lines, the search_path reset, psql's
``\restrict`` keys, and runs of blank lines.
"""

from __future__ import annotations

import difflib
import re
import subprocess
from pathlib import Path

import psycopg

from harness.errors import HarnessError
from harness.gate.catalog import entries
from harness.gate.partitions import describe_for_dump, find_date_leaves, kinds_of_partitions
from harness.pgdist import client_tool_for
from harness.registry import Finding

MIG_DUMP_STALE = "MIG402"
DEFAULT_DUMP = "dump.sql"  # inside the schema directory
MAX_DIFF_LINES = 60

_DROP = re.compile(
    r"^(SET |SELECT pg_catalog\.set_config\('search_path'|\\restrict |\\unrestrict "
    r"|-- Dumped (from|by) |-- PostgreSQL database dump)"
)


def normalize(dump: str) -> str:
    """Keep the stable part of a pg_dump script."""
    lines = [ln.rstrip() for ln in dump.splitlines() if not _DROP.match(ln)]
    # the header and footer banners leave bare "--" lines behind
    while lines and lines[0] in ("", "--"):
        lines.pop(0)
    while lines and lines[-1] in ("", "--"):
        lines.pop()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _pattern(nspname: str, relname: str) -> str:
    # pg_dump's patterns: inside double quotes every character is literal ("" is a quote)
    return '"{}"."{}"'.format(nspname.replace('"', '""'), relname.replace('"', '""'))


def pg_dump(dsn: str, *, exclude_schemas: tuple[str, ...] = ("dbharness_meta",)) -> str:
    """Return the normalized schema-only dump of the database at ``dsn``.

    pg_dump is of the server's major: an older one refuses the server, a newer one writes what
    the server's own would not (:class:`harness.errors.ToolMissing` when there is none).
    Bounded range partitions exist by date: they are left out and their kinds described at
    the end instead (harness.gate.partitions), so the dump does not depend on the day.
    """
    exe = client_tool_for("pg_dump", dsn)
    with psycopg.connect(dsn, autocommit=True) as conn:
        leaves = find_date_leaves(conn)
        kinds = kinds_of_partitions(leaves, entries(conn)) if leaves else {}
    cmd = [exe, "--schema-only", "--no-owner", "--dbname", dsn]
    cmd += [f"--exclude-schema={s}" for s in exclude_schemas]
    cmd += [f"--exclude-table={_pattern(x.nspname, x.relname)}" for x in leaves.leaves.values()]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise HarnessError(f"pg_dump failed: {proc.stderr.strip()}")
    return normalize(proc.stdout + "\n" + describe_for_dump(kinds))


def regenerate_command(schema: Path, dump_path: Path) -> str:
    """Return the command that rewrites the checked-in dump."""
    return f"dbharness dump-schema --schema {schema} --out {dump_path}"


def compare_dump(fresh: str, dump_path: Path, *, shown: str, command: str) -> list[Finding]:
    """MIG402 when the committed dump at ``dump_path`` is missing or differs from ``fresh``."""
    if not dump_path.is_file():
        return [
            Finding(
                MIG_DUMP_STALE,
                shown,
                f"no checked-in schema dump at {shown}; create it with `{command}`",
                details={"file": shown, "command": command},
            )
        ]
    committed = normalize(dump_path.read_text(encoding="utf-8"))
    if committed == fresh:
        return []
    diff = list(
        difflib.unified_diff(
            committed.splitlines(),
            fresh.splitlines(),
            f"{shown} (committed)",
            f"{shown} (fresh)",
            lineterm="",
            n=1,
        )
    )
    first = next((i for i, ln in enumerate(diff) if ln.startswith("@@")), 0)
    line = _first_changed_line(diff[first]) if diff else 1
    excerpt = diff[:MAX_DIFF_LINES]
    more = (
        f"\n... {len(diff) - MAX_DIFF_LINES} more diff lines" if len(diff) > MAX_DIFF_LINES else ""
    )
    return [
        Finding(
            MIG_DUMP_STALE,
            shown,
            f"checked-in schema dump {shown} is stale; regenerate it with `{command}`\n"
            + "\n".join(excerpt)
            + more,
            details={"file": shown, "line": line, "command": command, "diff": "\n".join(diff)},
        )
    ]


def _first_changed_line(hunk_header: str) -> int:
    m = re.match(r"@@ -(\d+)", hunk_header)
    return max(int(m.group(1)), 1) if m else 1
