"""``dbharness access record`` on a small Supabase-style project, and the gate's access diff.

The project (``notes_project/``): notes owned by ``auth.uid()``, tags every signed-in user
reads, a function only signed-in users may call, and a seed with two users owning notes. The
changes (``changes/``): one widens reading notes to everyone, one only adds a column.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any, cast

import pytest

from harness.access.effective import diff, load, parse, to_toml
from harness.cli import main
from harness.commands._access import record_schema
from harness.config import HarnessConfig
from harness.schema_dir import SchemaDir
from tests.support import TEST_DSN

HERE = Path(__file__).resolve().parent
PROJECT = HERE / "notes_project"
CHANGES = HERE / "changes"
REPO_ROOT = HERE.parents[1]
WIDEN = "0002_notes_readable_by_all.sql"
BENIGN = "0002_notes_title.sql"
SNAPSHOT = Path("schema") / "dbharness" / "access-snapshot.toml"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.email=access@test", "-c", "user.name=access", *args],
        cwd=repo, check=True, capture_output=True, text=True,
    ).stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The notes project as schema/ of a git repository, committed as the base revision."""
    root = tmp_path / "repo"
    schema = root / "schema"
    shutil.copytree(PROJECT, schema)
    shutil.copy(REPO_ROOT / ".sqlfluff", root / ".sqlfluff")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


def _record(schema: Path, platform: str = "supabase") -> str:
    rec = record_schema(TEST_DSN, SchemaDir.open(schema),
                        HarnessConfig(dsn=TEST_DSN, platform=platform), lambda _msg: None)
    return to_toml(rec, made_by="test")


def test_record_names_each_persona_and_what_it_could_do(project: Path) -> None:
    text = _record(project / "schema")
    rec = parse(text, "recorded")
    assert list(rec.personas) == ["anon", "service_role", "alice@notes.test", "bob@notes.test",
                                  "signup-1", "signup-2"]
    notes = rec.relations["public.notes"]
    assert notes["anon"] == {"select": "denied (grant)", "insert": "denied (grant)",
                             "update": "denied (grant)", "delete": "denied (grant)"}
    assert notes["service_role"] == {"select": "all", "insert": "allowed", "update": "all",
                                     "delete": "all"}
    # each owner reaches exactly their own notes; a new sign-up owns none and sees none
    for who in ("alice@notes.test", "bob@notes.test"):
        assert notes[who] == {"select": "own", "insert": "allowed", "update": "own",
                              "delete": "own"}
    assert notes["signup-1"] == {"select": "none", "insert": "allowed", "update": "none",
                                 "delete": "none"}
    tags = rec.relations["public.tags"]
    assert tags["signup-2"] == {"select": "all", "insert": "denied (grant)",
                                "update": "denied (grant)", "delete": "denied (grant)"}
    assert rec.functions["public.note_count()"] == {
        "anon": "denied (grant)", "authenticated": "allowed", "service_role": "allowed"}
    # no clock, no random value, no hash order: the same schema gives the same bytes
    assert _record(project / "schema") == text


def test_widened_policy_is_a_diff_that_names_who_gained_what(project: Path) -> None:
    before = parse(_record(project / "schema"), "base")
    shutil.copy(CHANGES / WIDEN, project / "schema" / "migrations")
    after = parse(_record(project / "schema"), "head")
    got = {(c.who, c.command, c.before, c.after, c.direction)
           for c in diff(before, after) if c.target == "public.notes"}
    assert ("signup-1", "select", "none", "all", "gained") in got
    assert ("alice@notes.test", "select", "own", "all", "gained") in got
    assert not any(who == "anon" for who, *_ in got)


def test_cli_writes_the_snapshot_and_diffs_two(project: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    schema = project / "schema"
    assert main(["access", "record", "--schema", str(schema), "--dsn", TEST_DSN]) == 0
    out = capsys.readouterr()
    assert "access: [1/2] public.notes" in out.err  # progress on the terminal
    written = project / SNAPSHOT
    assert "6 personas, 2 relations, 1 functions, 51 entries" in out.out
    assert load(written).relations["public.notes"]["bob@notes.test"]["select"] == "own"
    assert main(["access", "diff", str(written), str(written)]) == 0
    assert main(["access", "record", "-q", "--check", "--schema", str(schema),
                 "--dsn", TEST_DSN]) == 0
    shutil.copy(CHANGES / WIDEN, schema / "migrations")
    capsys.readouterr()
    assert main(["access", "record", "-q", "--check", "--schema", str(schema),
                 "--dsn", TEST_DSN]) == 1
    said = capsys.readouterr().out
    assert "signup-1 gained SELECT on public.notes: none -> all" in said
    assert "difference(s); re-record and commit" in said
    wider = project / "wider.toml"
    assert main(["access", "record", "-q", "--schema", str(schema), "--dsn", TEST_DSN,
                 "--output", str(wider)]) == 0
    capsys.readouterr()
    assert main(["access", "diff", str(written), str(wider)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "+ signup-1 gained SELECT on public.notes: none -> all" in lines


def test_bad_input_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["access", "record", "--schema", str(tmp_path / "nope"), "--dsn", TEST_DSN]) == 2
    assert "schema directory not found" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text("[recording]\nformat = 99\n")
    assert main(["access", "diff", str(bad), str(bad)]) == 2
    assert "not an access snapshot of format 1" in capsys.readouterr().err
    assert main(["access", "record", "--check", "--output", str(tmp_path / "none.toml"),
                 "--schema", str(PROJECT), "--dsn", TEST_DSN]) == 2
    assert "--check: no snapshot at" in capsys.readouterr().err


def gate(repo: Path, *extra: str) -> tuple[int, dict[str, list[dict[str, object]]]]:
    reports = repo / "reports"
    code = main(["gate", "--base", "HEAD", "--schema", str(repo / "schema"), "--dsn", TEST_DSN,
                 "--gate-only", "--changed-lint", "--report-dir", str(reports),
                 "--format", "json", "-q", *extra])
    data = json.loads((reports / "latest" / "report.json").read_text())
    found: dict[str, list[dict[str, object]]] = {}
    for f in data["findings"]:
        found.setdefault(f["check_id"], []).append(f)
    found["_status"] = [{c["id"]: c["status"] for c in data["checks"]}]
    found["_stats"] = [{c["id"]: c.get("stats", {}) for c in data["checks"]}]
    return code, found


@pytest.fixture(autouse=True)
def _in_repo(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)  # the config is looked up from here


@pytest.mark.proves("ACC001")
def test_gate_fails_when_a_policy_widens(project: Path) -> None:
    shutil.copy(CHANGES / WIDEN, project / "schema" / "migrations")
    code, found = gate(project)
    assert code == 1
    acc = {f["object"]: f for f in found["ACC001"]}
    f = acc["public.notes:select:signup-1"]
    assert f["severity"] == "high"
    assert f["message"] == "signup-1 gained SELECT on public.notes: none -> all"
    assert "public.notes:select:anon" not in acc


@pytest.mark.proves("ACC001", clean=True)
@pytest.mark.proves("ACC002", clean=True)
def test_gate_is_quiet_when_a_column_is_added(project: Path) -> None:
    # the base commits its snapshot; the change adds a column and keeps the snapshot true
    assert main(["access", "record", "-q", "--schema", "schema", "--dsn", TEST_DSN]) == 0
    git(project, "add", "-A")
    git(project, "commit", "-qm", "snapshot")
    shutil.copy(CHANGES / BENIGN, project / "schema" / "migrations")
    _, found = gate(project)  # squawk may still have a word about the migration itself
    assert "ACC001" not in found and "ACC002" not in found
    assert found["_status"][0]["ACC001"] == "passed"
    assert found["_status"][0]["ACC002"] == "passed"


@pytest.mark.proves("ACC002")
def test_gate_says_the_committed_snapshot_is_stale(project: Path) -> None:
    assert main(["access", "record", "-q", "--schema", "schema", "--dsn", TEST_DSN]) == 0
    git(project, "add", "-A")
    git(project, "commit", "-qm", "snapshot")
    shutil.copy(CHANGES / WIDEN, project / "schema" / "migrations")
    code, found = gate(project)
    assert code == 1
    [stale] = found["ACC002"]
    assert stale["object"] == "schema/dbharness/access-snapshot.toml"
    assert "re-run `dbharness access record`" in str(stale["message"])
    assert any(f["severity"] == "high" for f in found["ACC001"])


def test_a_re_recorded_snapshot_approves_the_change(project: Path) -> None:
    assert main(["access", "record", "-q", "--schema", "schema", "--dsn", TEST_DSN]) == 0
    git(project, "add", "-A")
    git(project, "commit", "-qm", "snapshot")
    shutil.copy(CHANGES / WIDEN, project / "schema" / "migrations")
    # the author re-records: the snapshot's diff is what the reviewer approves
    assert main(["access", "record", "-q", "--schema", "schema", "--dsn", TEST_DSN]) == 0
    _, found = gate(project)  # MIG411 still says the policy admits more
    assert "ACC002" not in found and "ACC001" not in found
    assert found["_status"][0]["ACC001"] == "passed"
    stats = cast(dict[str, Any], found["_stats"][0]["ACC001"])
    assert stats["approved_in"] == "schema/dbharness/access-snapshot.toml"
    assert "signup-1 gained SELECT on public.notes: none -> all" in stats["approved_changes"]


def test_schema_without_auth_users_still_records_the_api_keys(tmp_path: Path) -> None:
    schema = tmp_path / "plain"
    (schema / "migrations").mkdir(parents=True)
    (schema / "migrations" / "0001_t.sql").write_text(
        "create table public.t (id int primary key);\n")
    # vanilla PostgreSQL: no auth schema, and the API roles only where another run made them
    rec = parse(_record(schema, platform="none"), "plain")
    assert set(rec.personas) == {"anon", "service_role"} & set(rec.personas)
    assert "signup-1" not in rec.personas
    assert any("no auth.users" in n for n in rec.notes)
    assert rec.relations["public.t"]["anon"]["select"] in ("denied (grant)", "empty")


def test_members_of_two_tenants_are_personas(tmp_path: Path) -> None:
    schema = tmp_path / "teams"
    shutil.copytree(HERE / "teams_project", schema)
    rec = parse(_record(schema), "teams")
    members = ["members.org_id#1/1", "members.org_id#1/2", "members.org_id#2/1",
               "members.org_id#2/2"]
    assert list(rec.personas) == ["anon", "service_role", *members, "signup-1", "signup-2"]
    assert rec.personas["members.org_id#1/1"] == (
        "member 1 of the first org_id in public.members (al@acme.test)")
    projects = rec.relations["public.projects"]
    for who in members:  # each member reaches their organisation's half, not the other's
        mine = f"some (org_id #{who.split('#')[1][0]})"
        assert projects[who] == {"select": mine, "insert": "allowed", "update": mine,
                                 "delete": mine}, who
    assert projects["signup-1"] == {"select": "none", "insert": "denied (policy)",
                                    "update": "none", "delete": "none"}
    assert rec.relations["public.members"]["members.org_id#2/2"]["select"] == "own"
    # the tenants' own table is named by its key: a member reads their organisation only
    assert rec.relations["public.orgs"]["members.org_id#2/1"]["select"] == "some (org_id #2)"


def test_reaching_into_another_tenant_is_a_gain(tmp_path: Path) -> None:
    schema = tmp_path / "teams"
    shutil.copytree(HERE / "teams_project", schema)
    before = parse(_record(schema), "before")
    # a member of acme now also reaches beta's projects: still "some" rows, another tenant
    (schema / "migrations" / "0002_leak.sql").write_text(
        "create policy projects_leak on public.projects for select to authenticated\n"
        "using (name like 'beta: f%' and (select auth.uid()) is not null);\n")
    got = {(c.who, c.command): (c.before, c.after, c.direction)
           for c in diff(before, parse(_record(schema), "after"))
           if c.target == "public.projects"}
    assert got[("members.org_id#1/1", "select")] == (
        "some (org_id #1)", "some (org_id #1, #2)", "gained")
    assert ("members.org_id#2/1", "select") not in got  # beta's members saw it already
