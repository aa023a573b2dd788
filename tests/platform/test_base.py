"""The Supabase base the harness provisions: what a new hosted project gives its migrations."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from harness.errors import ConfigError
from harness.migrate import apply_schema, install_platform
from harness.platform import PROFILES, profile
from harness.schema_dir import SchemaDir
from harness.server import Server
from harness.signup import _acts_as_auth_admin, sign_up
from harness.workspace import Workspace
from tests.platform.support import PROJECTS
from tests.support import SchemaFactory, scratch_database


def rows(dsn: str, query: str, *args: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute(query, args).fetchall()


@pytest.fixture(scope="module")
def base_dsn() -> Any:
    with scratch_database("dbh_platform") as dsn:
        install_platform(dsn, profile("supabase"))
        yield dsn


def test_roles_and_memberships(base_dsn: str) -> None:
    got = dict(rows(base_dsn, "select rolname, rolbypassrls from pg_roles where rolname = any(%s)",
                    ["anon", "authenticated", "service_role", "authenticator",
                     "supabase_auth_admin", "supabase_storage_admin", "dashboard_user",
                     "supabase_admin"]))
    assert set(got) == {"anon", "authenticated", "service_role", "authenticator",
                        "supabase_auth_admin", "supabase_storage_admin", "dashboard_user",
                        "supabase_admin"}
    assert got["service_role"] is True and got["anon"] is False
    members = rows(base_dsn, "select r from unnest(array['anon', 'authenticated', "
                   "'service_role']) r where pg_has_role('authenticator', r, 'member')")
    assert len(members) == 3


def test_auth_and_storage_belong_to_their_servers(base_dsn: str) -> None:
    owners = dict(rows(base_dsn, "select c.oid::regclass::text, pg_get_userbyid(c.relowner) "
                       "from pg_class c where c.oid = any(array['auth.users', 'auth.identities', "
                       "'storage.objects', 'storage.buckets']::regclass[])"))
    assert owners == {"auth.users": "supabase_auth_admin", "auth.identities": "supabase_auth_admin",
                      "storage.objects": "supabase_storage_admin",
                      "storage.buckets": "supabase_storage_admin"}
    assert rows(base_dsn, "select relrowsecurity from pg_class where oid = "
                "'storage.objects'::regclass") == [(True,)]


def test_signup_runs_as_the_auth_server(base_dsn: str) -> None:
    with psycopg.connect(base_dsn, autocommit=True) as conn:
        assert _acts_as_auth_admin(conn)
        user = sign_up(conn, email="grace@example.com", user_metadata={"name": "Grace"})
        assert conn.execute("select provider, email from auth.identities where user_id = %s",
                            (user.user_id,)).fetchone() == ("email", "grace@example.com")
        conn.execute("delete from auth.users where id = %s", (user.user_id,))


def test_auth_helpers_read_the_claims(base_dsn: str) -> None:
    with psycopg.connect(base_dsn) as conn:
        conn.execute("select set_config('request.jwt.claims', %s, true)",
                     ['{"sub": "00000000-0000-4000-8000-000000000001", "role": "authenticated",'
                      ' "email": "a@example.com"}'])
        assert conn.execute("select auth.uid()::text, auth.role(), auth.email(), "
                            "auth.jwt() ->> 'email'").fetchone() == (
            "00000000-0000-4000-8000-000000000001", "authenticated", "a@example.com",
            "a@example.com")


def test_storage_path_helpers(base_dsn: str) -> None:
    assert rows(base_dsn, "select storage.foldername('u1/pics/cat.tar.gz'), "
                "storage.filename('u1/pics/cat.tar.gz'), storage.extension('u1/pics/cat.tar.gz')"
                ) == [(["u1", "pics"], "cat.tar.gz", "gz")]


def test_extensions_schema_and_search_path(base_dsn: str) -> None:
    exts = dict(rows(base_dsn, "select extname, extnamespace::regnamespace::text from pg_extension"
                     " where extname <> 'plpgsql'"))
    assert exts.get("pgcrypto") == "extensions" and exts.get("uuid-ossp") == "extensions"
    # a new session of the database resolves extension functions unqualified
    assert rows(base_dsn, "select length(uuid_generate_v4()::text), "
                "length(encode(gen_random_bytes(4), 'hex'))") == [(36, 8)]
    assert rows(base_dsn, "select pubname from pg_publication") == [("supabase_realtime",)]


def test_the_base_is_idempotent(base_dsn: str) -> None:
    assert install_platform(base_dsn, profile("supabase"))[-1] == "platform/supabase/50_public.sql"


@pytest.mark.parametrize(("name", "granted"), [("supabase", False), ("supabase-2025", True)])
def test_grant_models(name: str, granted: bool, make_schema: SchemaFactory) -> None:
    schema = make_schema(migrations={"0001_t.sql": "create table public.t (id serial primary key);"
                                     "create function public.f() returns int language sql "
                                     "as 'select 1';"})
    with scratch_database("dbh_grants") as dsn:
        apply_schema(dsn, schema, platform=profile(name))
        assert rows(dsn, "select has_table_privilege('anon', 'public.t', 'SELECT'), "
                    "has_sequence_privilege('authenticated', 'public.t_id_seq', 'USAGE')"
                    ) == [(granted, granted)]
        # functions stay executable by PUBLIC (PostgreSQL's own default) under both models
        assert rows(dsn, "select has_function_privilege('anon', 'public.f()', 'EXECUTE')") == [
            (True,)]


def test_none_provisions_nothing(make_schema: SchemaFactory) -> None:
    schema = make_schema(migrations={"0001_t.sql": "create table public.t (id int);"})
    with scratch_database("dbh_none") as dsn:
        assert apply_schema(dsn, schema, platform=profile("none")) == ["migrations/0001_t.sql"]
        assert rows(dsn, "select to_regnamespace('auth'), to_regnamespace('extensions')") == [
            (None, None)]


def test_unknown_profile_is_a_usage_error() -> None:
    with pytest.raises(ConfigError, match="unknown platform profile 'firebase'"):
        profile("firebase")
    assert set(PROFILES) == {"supabase", "supabase-2025", "none"}


def test_clones_keep_the_search_path(test_server: Server) -> None:
    # CREATE DATABASE ... TEMPLATE copies no ALTER DATABASE setting: the workspace sets it again.
    schema = SchemaDir.open(PROJECTS / "notes_2026")
    with Workspace(test_server, schema, seed_data=True, platform=profile("supabase")) as ws, \
            ws.clone() as dsn:
        assert rows(dsn, "show search_path") == [('"$user", public, extensions',)]
        assert rows(dsn, "select count(*) from public.profiles") == [(2,)]


def test_a_missing_extension_is_named() -> None:
    from harness.errors import SchemaApplyError

    schema = SchemaDir.open(PROJECTS / "needs_graphql")
    with scratch_database("dbh_graphql") as dsn, pytest.raises(SchemaApplyError) as err:
        apply_schema(dsn, schema, platform=profile("supabase"))
    assert "pg_graphql" in err.value.error
    assert "available on hosted Supabase but not packaged" in err.value.error


def test_migrate_applies_the_base_then_a_supabase_project(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from harness.cli import main

    project = str(PROJECTS / "notes_2026")
    with scratch_database("dbh_migrate") as dsn:
        # --no-bootstrap is for Supabase itself: on vanilla PostgreSQL the extensions are missing
        assert main(["migrate", "--dsn", dsn, "--schema", project, "--no-bootstrap"]) == 2
        assert "uuid_generate_v4() does not exist" in capsys.readouterr().err
        assert main(["migrate", "--dsn", dsn, "--schema", project, "--with-seed"]) == 0
        out = capsys.readouterr().out
        assert "applied migrations/20260601120200_avatars.sql" in out
        assert "applied seed/seed.sql" in out
        assert rows(dsn, "select count(*) from public.profiles") == [(2,)]
        assert main(["migrate", "--dsn", dsn, "--schema", project]) == 0
        assert "nothing applied" in capsys.readouterr().out
