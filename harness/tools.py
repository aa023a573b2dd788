"""Finding the external programs the harness runs (squawk, sqlfluff, pgbouncer, locust, ...).

A tool installed into the same virtualenv as dbharness is found even when that virtualenv's
``bin`` is not on PATH (``.venv/bin/dbharness`` run directly): the interpreter's own directory
is searched after PATH.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from harness.errors import ToolMissing

# Debian installs daemons (pgbouncer) in sbin, which is not on an unprivileged user's PATH.
SYSTEM_DIRS = (Path("/usr/local/sbin"), Path("/usr/sbin"))


def tool_dirs() -> list[Path]:
    """Directories searched after PATH: the interpreter's (the virtualenv's bin), then sbin."""
    return [Path(sys.executable).parent, *SYSTEM_DIRS]


def which(name: str) -> str | None:
    """Return the path of executable ``name`` (or of ``name`` itself when it is a path)."""
    if os.sep in name:
        return name if os.path.isfile(name) and os.access(name, os.X_OK) else None
    found = shutil.which(name)
    if found:
        return found
    for d in tool_dirs():
        candidate = d / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def find_tool(name: str, *, install: str) -> str:
    """Return the path of ``name``; :class:`ToolMissing` naming how to install it if absent."""
    exe = which(name)
    if exe is None:
        where = ", ".join(str(d) for d in tool_dirs())
        raise ToolMissing(
            f"{name} is not installed (searched PATH and {where})", hint=install
        )
    return exe
