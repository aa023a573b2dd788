"""A change that does not apply is a finding, through the real ``dbharness gate``.

Exit 1 with MIG010 naming file, line, statement, server error and SQLSTATE once, every static
lint of the migration still reported (``--gate-only`` too), and the comparisons that need the
head saying why they did not run. Exit 2 stays for the harness's own troubles.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main
from tests.gate.conftest import git

NOT_APPLYING = (
    "set lock_timeout = '2s';\nset statement_timeout = '30s';\n"
    "-- the view open_work_orders reads the column\n"
    "alter table public.work_orders drop column title;\n"
)


@pytest.fixture(autouse=True)
def _in_repo(catalog_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(catalog_repo)  # the config is looked up from here


def gate(repo: Path, *extra: str, admin_dsn: str) -> tuple[int, dict[str, object]]:
    reports = repo / "reports"
    code = main(["gate", "--base", "HEAD", "--schema", str(repo / "schema"), "--dsn", admin_dsn,
                 "--changed-lint", "--report-dir", str(reports), "--format", "json", "-q",
                 *extra])
    return code, json.loads((reports / "latest" / "report.json").read_text())


def by_check(data: dict[str, object]) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    for f in data["findings"]:  # type: ignore[attr-defined]
        out.setdefault(f["check_id"], []).append(f)
    return out


def statuses(data: dict[str, object]) -> dict[str, str]:
    return {c["id"]: c["status"] for c in data["checks"]}  # type: ignore[attr-defined]


@pytest.mark.parametrize("gate_only", [True, False], ids=["gate-only", "all-suites"])
@pytest.mark.proves("MIG204")
def test_migration_that_does_not_apply_is_one_finding_plus_every_lint(
    catalog_repo: Path, admin_dsn: str, gate_only: bool
) -> None:
    (catalog_repo / "schema" / "migrations" / "0002_drop.sql").write_text(NOT_APPLYING)
    code, data = gate(catalog_repo, *(["--gate-only"] if gate_only else ["--no-baseline"]),
                      admin_dsn=admin_dsn)
    assert code == 1
    found = by_check(data)
    [f] = found["MIG010"]  # once: the replay's failure and the runner's are the same finding
    assert f["details"]["sqlstate"] == "2BP01" and f["details"]["line"] == 4
    assert str(f["details"]["file"]).endswith("migrations/0002_drop.sql")
    assert "drop column title" in f["details"]["statement"]
    assert "open_work_orders" in f["message"]
    # the static lints of the migration are reported, not discarded
    assert [g["object"] for g in found["MIG204"]] == ["public.work_orders.title"]
    assert "ban-drop-column" in {g["details"]["rule"] for g in found["MIG100"]}
    st = statuses(data)
    assert st["MIG400"] == st["MIG411"] == st["MIG402"] == "skipped"
    assert "error" not in st.values()
    if not gate_only:
        assert st["INT002"] == "skipped"


@pytest.mark.proves("MIG202")
def test_statement_rules_judge_when_the_head_cannot_be_built(
    catalog_repo: Path, admin_dsn: str
) -> None:
    """No head catalog to compare: the text rules are the judges (MIG202, MIG203, MIG201)."""
    (catalog_repo / "schema" / "migrations" / "0002_drop.sql").write_text(
        "drop policy work_orders_not_done on public.work_orders;\n"
        "grant select on public.equipment to anon;\n"
        "alter table public.equipment disable row level security;\n" + NOT_APPLYING
    )
    code, data = gate(catalog_repo, "--gate-only", admin_dsn=admin_dsn)
    found = by_check(data)
    assert code == 1 and {"MIG010", "MIG201", "MIG202", "MIG203"} <= set(found)
    assert [f["object"] for f in found["MIG202"]] == ["public.work_orders.work_orders_not_done"]


@pytest.mark.proves("MIG010")
def test_migration_that_breaks_the_seed(catalog_repo: Path, admin_dsn: str) -> None:
    (catalog_repo / "schema" / "migrations" / "0002_code.sql").write_text(
        "set lock_timeout = '2s';\nset statement_timeout = '30s';\n"
        "alter table public.warehouses add column code text not null;\n"
    )
    code, data = gate(catalog_repo, "--gate-only", admin_dsn=admin_dsn)
    assert code == 1
    found = by_check(data)
    [f] = found["MIG010"]
    assert f["details"]["sqlstate"] == "23502" and "seed/0001_demo.sql" in f["object"]
    assert [g["object"] for g in found["MIG205"]] == ["public.warehouses.code"]
    # the migrations apply: the replay and the catalog comparison still judge them
    assert statuses(data)["MIG400"] == statuses(data)["MIG411"] == "passed"


@pytest.mark.proves("MIG200")
def test_unparseable_migration(catalog_repo: Path, admin_dsn: str) -> None:
    (catalog_repo / "schema" / "migrations" / "0002_typo.sql").write_text(
        "-- a typo\ncreate tabel public.vendors (id uuid primary key);\n"
    )
    code, data = gate(catalog_repo, "--gate-only", admin_dsn=admin_dsn)
    found = by_check(data)
    assert code == 1
    [f] = found["MIG200"]
    assert f["details"]["file"] == "schema/migrations/0002_typo.sql"
    assert found["MIG010"][0]["details"]["sqlstate"] == "42601"
    # squawk's own syntax-error findings would say it once per token: not repeated
    assert not [g for g in found.get("MIG100", []) if g["details"]["rule"] == "syntax-error"]


@pytest.mark.proves("MIG401")
def test_bootstrap_that_is_not_idempotent(catalog_repo: Path, admin_dsn: str) -> None:
    (catalog_repo / "schema" / "bootstrap" / "0001_extra.sql").write_text(
        "create schema extra;\n"
    )
    code, data = gate(catalog_repo, "--gate-only", admin_dsn=admin_dsn)
    assert code == 1
    [f] = by_check(data)["MIG401"]
    assert f["details"]["sqlstate"] == "42P06"
    assert f["details"]["file"] == "schema/bootstrap/0001_extra.sql"


@pytest.mark.proves("MIG400")
@pytest.mark.proves("MIG002")
def test_renamed_migration_does_not_upgrade_the_base(catalog_repo: Path, admin_dsn: str) -> None:
    migrations = catalog_repo / "schema" / "migrations"
    (migrations / "0001_tenancy.sql").rename(migrations / "0002_tenancy.sql")
    code, data = gate(catalog_repo, "--gate-only", admin_dsn=admin_dsn)
    found = by_check(data)
    assert code == 1 and [f["object"] for f in found["MIG002"]] == ["0001_tenancy.sql"]
    [f] = found["MIG400"]  # from zero it applies; on the base it runs a second time
    assert f["details"]["sqlstate"] == "42P07"
    assert f["details"]["file"] == "schema/migrations/0002_tenancy.sql"


@pytest.mark.proves("MIG400")
def test_bootstrap_that_depends_on_order_drifts(catalog_repo: Path, admin_dsn: str) -> None:
    """A bootstrap grant on all tables: from zero it runs before any table exists."""
    (catalog_repo / "schema" / "bootstrap" / "0001_grants.sql").write_text(
        "grant select on all tables in schema public to anon;\n"
    )
    code, data = gate(catalog_repo, "--gate-only", admin_dsn=admin_dsn)
    assert code == 1
    drift = {f["object"] for f in by_check(data)["MIG400"]}
    assert "grant:public.equipment" in drift


def test_base_that_does_not_apply_hides_nothing(catalog_repo: Path, admin_dsn: str) -> None:
    """The base revision itself is broken: the head is judged all the same."""
    seed = catalog_repo / "schema" / "seed" / "0001_demo.sql"
    seed.write_text("insert into public.nowhere values (1);\n")
    git(catalog_repo, "commit", "-qam", "broken seed at base")
    seed.write_text("select 1;\n")
    (catalog_repo / "schema" / "migrations" / "0002_idx.sql").write_text(
        "drop index public.work_orders_title_idx;\n"
    )
    code, data = gate(catalog_repo, admin_dsn=admin_dsn)
    assert code == 1
    assert [f["object"] for f in by_check(data)["MIG415"]] == [
        "public.work_orders.work_orders_title_idx"
    ]
    assert "error" not in statuses(data).values()


@pytest.mark.proves("MIG300")
def test_style_is_judged_while_the_suites_run(catalog_repo: Path, admin_dsn: str) -> None:
    """sqlfluff runs in the background of the CLI's gate; MIG300 waits for its report."""
    (catalog_repo / "schema" / "migrations" / "0002_style.sql").write_text("SELECT 1;\n")
    code, data = gate(catalog_repo, "--gate-only", admin_dsn=admin_dsn)
    assert code == 1
    [f] = by_check(data)["MIG300"]
    assert (f["details"]["file"], f["details"]["code"]) == ("schema/migrations/0002_style.sql",
                                                           "CP01")
