"""What changed in a schema's migrations since a base git revision.

The gate compares the working tree (committed, staged, unstaged and untracked files alike)
with ``base``: migrations that did not exist at base are *new* and get linted and replayed;
migrations that existed at base must be byte-identical, because databases already recorded
their checksum when they applied them.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path

from harness.errors import ConfigError, HarnessError
from harness.registry import Finding

MIG_EDITED = "MIG001"
MIG_REMOVED = "MIG002"


class GitError(HarnessError):
    """git is missing, the schema is not in a repository, or the revision is unknown."""


@dataclass(frozen=True)
class GitRepo:
    """The git work tree holding the schema directory."""

    root: Path

    @classmethod
    def containing(cls, path: Path) -> GitRepo:
        """Find the repository whose work tree holds ``path``."""
        out = _git(path if path.is_dir() else path.parent, "rev-parse", "--show-toplevel")
        return cls(Path(out.strip()))

    def run(self, *args: str) -> str:
        """Run git in the repository root; its stdout."""
        return _git(self.root, *args)

    def resolve(self, rev: str) -> str:
        """Resolve ``rev`` to a commit SHA; a clear usage error when git does not know it."""
        try:
            return self.run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
        except GitError:
            raise GitError(
                f"unknown git revision {rev!r}",
                hint="in CI fetch the full history (actions/checkout with fetch-depth: 0) "
                "and pass e.g. --base origin/main",
            ) from None

    def files_at(self, rev: str, subdir: str) -> list[str]:
        """Paths (relative to the repository root) of files under ``subdir`` at ``rev``."""
        out = self.run("ls-tree", "-r", "--name-only", rev, "--", subdir)
        return [line for line in out.splitlines() if line]

    def show(self, rev: str, relpath: str) -> bytes:
        """Read the content of ``relpath`` at ``rev``."""
        return _git_bytes(self.root, "show", f"{rev}:{relpath}")

    def relpath(self, path: Path) -> str:
        """Return ``path`` relative to the repository root, with forward slashes."""
        return path.resolve().relative_to(self.root.resolve()).as_posix()


def _git_bytes(cwd: Path, *args: str) -> bytes:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError(
            "git is not installed", hint="the gate compares against a git revision"
        ) from None
    if proc.returncode != 0:
        err = proc.stderr.decode(errors="replace").strip()
        raise GitError(f"git {' '.join(args)} failed in {cwd}: {err}")
    return proc.stdout


def _git(cwd: Path, *args: str) -> str:
    return _git_bytes(cwd, *args).decode("utf-8", errors="replace")


def sha256(data: bytes) -> str:
    """Hash as the migration ledger does."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class MigrationChanges:
    """Migrations of the working tree classified against the base revision."""

    base: str  # commit SHA
    migrations_rel: str  # migrations directory relative to the repository root
    new: tuple[Path, ...]  # in the working tree, not at base (in name order)
    edited: tuple[str, ...]  # file names present at base and now with different content
    removed: tuple[str, ...]  # file names present at base and gone now (deleted or renamed)
    base_files: tuple[str, ...]  # repo-relative paths of the migrations at base

    def findings(self) -> list[Finding]:
        """Return MIG001 for each edited and MIG002 for each removed migration."""
        out = [
            Finding(
                MIG_EDITED,
                name,
                f"migration {name} existed at base and its content changed; databases that "
                "applied it will never see the edit",
                details={"file": f"{self.migrations_rel}/{name}", "line": 1},
            )
            for name in self.edited
        ]
        out += [
            Finding(
                MIG_REMOVED,
                name,
                f"migration {name} existed at base and was deleted or renamed",
                details={"file": f"{self.migrations_rel}/{name}", "line": 1},
            )
            for name in self.removed
        ]
        return out


def migration_changes(repo: GitRepo, migrations_dir: Path, base: str) -> MigrationChanges:
    """Compare ``migrations_dir`` in the working tree with ``base`` by content hash.

    Hashing the working files (not ``git diff``) counts uncommitted and untracked files too,
    and a rename shows as one removal plus one new file, which is what it means to a ledger.
    """
    sha = repo.resolve(base)
    if not migrations_dir.is_dir():
        raise ConfigError(f"migrations directory not found: {migrations_dir}")
    rel = repo.relpath(migrations_dir)
    at_base = {p.rsplit("/", 1)[-1]: p for p in repo.files_at(sha, rel) if p.endswith(".sql")}
    current = {p.name: p for p in sorted(migrations_dir.glob("*.sql"))}
    new = tuple(current[n] for n in sorted(current) if n not in at_base)
    removed = tuple(sorted(n for n in at_base if n not in current))
    edited = tuple(
        sorted(
            n
            for n in at_base
            if n in current
            and sha256(repo.show(sha, at_base[n])) != sha256(current[n].read_bytes())
        )
    )
    return MigrationChanges(sha, rel, new, edited, removed, tuple(sorted(at_base.values())))


def checkout_schema_at(repo: GitRepo, rev: str, schema_root: Path, dest: Path) -> Path:
    """Write the schema directory as it was at ``rev`` into ``dest``; returns the copy's root."""
    rel = repo.relpath(schema_root)
    for path in repo.files_at(rev, rel):
        target = dest / Path(path).relative_to(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(repo.show(rev, path))
    (dest / "migrations").mkdir(parents=True, exist_ok=True)
    return dest


def schema_identical(repo: GitRepo, rev: str, schema_root: Path) -> bool:
    """Whether every file of the schema directory is the same in the work tree as at ``rev``."""
    rel = repo.relpath(schema_root)
    at_rev = {Path(p).relative_to(rel).as_posix(): p for p in repo.files_at(rev, rel)}
    here = {
        p.relative_to(schema_root).as_posix(): p
        for p in sorted(schema_root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }
    return at_rev.keys() == here.keys() and all(
        sha256(repo.show(rev, at_rev[name])) == sha256(here[name].read_bytes()) for name in here
    )
