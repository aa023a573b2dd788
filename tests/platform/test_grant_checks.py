"""PLT001 and PRV007 on the fixture projects, under both grant models."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from harness.errors import CheckSkipped
from harness.schema_dir import SqlFile
from harness.server import Server
from suites.platform.legacy_grants import explicit_grants
from tests.platform.support import project_context, run


@pytest.mark.proves("PLT001")
def test_policies_without_grants_are_unreachable_under_the_2026_model(
    test_server: Server,
) -> None:
    with project_context(test_server, "legacy_2025", "supabase") as ctx:
        found = run(ctx, "PLT001")
    assert sorted(f.object for f in found) == [
        "public.posts.posts_insert_own", "public.posts.posts_select_published",
        "public.tags.tags_select_all"]
    assert all("42501" in f.message for f in found)


@pytest.mark.proves("PLT001", clean=True)
def test_the_same_policies_are_reachable_under_the_2025_model(test_server: Server) -> None:
    with project_context(test_server, "legacy_2025", "supabase-2025") as ctx:
        assert run(ctx, "PLT001") == []


@pytest.mark.proves("PLT001", clean=True)
def test_explicit_grants_make_policies_reachable(test_server: Server) -> None:
    with project_context(test_server, "notes_2026", "supabase") as ctx:
        assert run(ctx, "PLT001") == []


def test_schema_usage_counts_for_plt001(test_server: Server) -> None:
    # private_api revokes USAGE on public from anon; its policy names authenticated, which has
    # USAGE but no SELECT under the 2026 model.
    with project_context(test_server, "private_api", "supabase") as ctx:
        found = run(ctx, "PLT001")
    assert [f.object for f in found] == ["public.invoices.invoices_select_own"]
    assert "lacks SELECT on the table" in found[0].message


@pytest.mark.proves("PRV007", clean=True)
def test_the_platforms_default_grants_are_one_note(test_server: Server) -> None:
    with project_context(test_server, "legacy_2025", "supabase-2025") as ctx:
        found = run(ctx, "PRV007")
    assert len(found) == 1
    note = found[0]
    assert note.severity is not None and note.severity.value == "info"
    assert note.object == "platform:supabase-2025"
    assert note.details["objects"]["relations"] == ["public.posts", "public.tags"]


@pytest.mark.proves("PRV007")
def test_a_grant_a_migration_added_is_still_a_finding(test_server: Server) -> None:
    with project_context(test_server, "legacy_2025", "supabase") as ctx:
        with psycopg.connect(ctx.dsn, autocommit=True) as conn:
            conn.execute("grant select on public.tags to anon")
        found = run(ctx, "PRV007")
    assert sorted(f.object for f in found) == ["public.published_count()", "public.tags"]


def test_a_role_without_schema_usage_holds_nothing_to_report(test_server: Server) -> None:
    with project_context(test_server, "private_api", "supabase-2025") as ctx:
        found = run(ctx, "PRV007")
    # anon has no USAGE on public: its default ALL on invoices cannot be used; what is left
    # (TRUNCATE and friends of authenticated and service_role) is the platform's default
    assert [f.object for f in found] == ["platform:supabase-2025"]


def test_policies_on_storage_objects_are_the_projects(test_server: Server) -> None:
    with project_context(test_server, "open_uploads", "supabase") as ctx:
        found = run(ctx, "SEC004")
    assert [f.object for f in found] == ["storage.objects.uploads_insert_anyone"]


def test_the_platforms_own_storage_tables_are_no_finding(test_server: Server) -> None:
    with project_context(test_server, "notes_2026", "supabase") as ctx:
        for check_id in ("SEC003", "SEC004", "SEC005", "SEC006", "PRV007", "PLT001"):
            assert run(ctx, check_id) == [], check_id


@pytest.mark.proves("PLT002")
def test_tables_granted_only_by_the_2025_defaults(test_server: Server) -> None:
    with project_context(test_server, "legacy_2025", "supabase-2025") as ctx:
        found = run(ctx, "PLT002")
    assert sorted(f.object for f in found) == ["public.posts", "public.tags"]
    assert all("30 May 2026" in f.message for f in found)


@pytest.mark.proves("PLT002", clean=True)
def test_explicitly_granted_tables_need_no_defaults(test_server: Server) -> None:
    with project_context(test_server, "notes_2026", "supabase-2025") as ctx:
        assert run(ctx, "PLT002") == []


def test_plt002_reads_schema_wide_and_default_grants(tmp_path: Path) -> None:
    files = {
        "a.sql": "grant select on all tables in schema api to authenticated;",
        "b.sql": "alter default privileges in schema shop grant select on tables to anon;",
        "c.sql": "grant select on t, other.u to public; revoke select on v from anon;",
        "d.sql": "grant select on w to service_role;",
    }
    sql_files = []
    for name, text in files.items():
        (tmp_path / name).write_text(text)
        sql_files.append(SqlFile(tmp_path / name))
    got = explicit_grants(sql_files, {"anon", "authenticated"})
    assert got.schemas == {"api", "shop"}
    assert got.tables == {("public", "t"), ("other", "u")}


def test_plt002_does_not_run_where_nothing_is_granted_by_default(test_server: Server) -> None:
    with project_context(test_server, "legacy_2025", "supabase") as ctx, \
            pytest.raises(CheckSkipped, match="PLT001"):
        run(ctx, "PLT002")
