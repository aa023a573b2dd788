"""Workspace: template once, clones per use, and cleanup of exactly what it created."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from harness.config import HarnessConfig
from harness.errors import HarnessError, SchemaApplyError
from harness.schema_dir import SchemaDir
from harness.server import Server
from harness.workspace import Workspace, make_context, new_run_id
from tests.support import SchemaFactory, database_names, scalar


def test_template_has_schema_and_seed_and_refuses_connections(
    test_server: Server, notes_schema: SchemaDir
) -> None:
    with Workspace(test_server, notes_schema, seed_data=True) as ws:
        assert ws.template == f"dbh_{ws.run_id}_tpl"
        assert ws.template in database_names(test_server)
        assert ws.applied[-1] == "seed/01_notes.sql"
        with pytest.raises(psycopg.OperationalError, match="not currently accepting connections"):
            psycopg.connect(test_server.dsn(ws.template)).close()
        with ws.clone() as dsn:
            assert scalar(dsn, "select count(*) from public.notes") == 3


def test_clones_are_isolated_and_dropped_after_use(
    test_server: Server, notes_schema: SchemaDir
) -> None:
    with Workspace(test_server, notes_schema, seed_data=True) as ws:
        with ws.clone() as a, ws.clone() as b:
            assert a != b
            with psycopg.connect(a, autocommit=True) as conn:
                conn.execute("delete from public.notes")
                conn.execute("create table public.only_in_a (x int)")
            assert scalar(a, "select count(*) from public.notes") == 0
            assert scalar(b, "select count(*) from public.notes") == 3
            assert scalar(b, "select to_regclass('public.only_in_a')") is None
            clone_names = {psycopg.conninfo.conninfo_to_dict(d)["dbname"] for d in (a, b)}
            assert clone_names <= database_names(test_server)
        # A forgotten open session does not block the drop.
        with ws.clone() as c:
            leaked = psycopg.connect(c)
            leaked_name = str(psycopg.conninfo.conninfo_to_dict(c)["dbname"])
        leaked.close()
        remaining = database_names(test_server)
        assert not clone_names & remaining
        assert leaked_name not in remaining
        # Later clones still start from the untouched template.
        with ws.clone() as d:
            assert scalar(d, "select count(*) from public.notes") == 3


def test_close_drops_everything_it_created_and_nothing_else(
    test_server: Server, notes_schema: SchemaDir
) -> None:
    run_id = new_run_id()
    # A bystander whose name looks like one of the run's clones: it must survive.
    bystander = f"dbh_{run_id}_7"
    with test_server.connect() as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(bystander)))
    try:
        # Other runs create and drop databases on a shared server: look at this run's names only.
        before = {n for n in database_names(test_server) if run_id in n}
        ws = Workspace(test_server, notes_schema, seed_data=False, run_id=run_id)
        scratch = ws.scratch_dsn
        assert ws.scratch_dsn == scratch  # created once, kept for the run
        clone_cm = ws.clone()
        clone_cm.__enter__()  # deliberately never exited: close() must still drop it
        created = set(ws.created)
        assert len(created) == 3 and ws.template in created
        with pytest.raises(HarnessError, match="did not create"):
            ws._drop(bystander)

        ws.close()

        after = {n for n in database_names(test_server) if run_id in n}
        assert after == before == {bystander}
        assert bystander in after
        assert not created & after
        assert ws.created == frozenset()
        ws.close()  # idempotent
    finally:
        with test_server.connect() as conn:
            conn.execute(sql.SQL("drop database {}").format(sql.Identifier(bystander)))


def test_failed_schema_leaves_no_database(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    schema = make_schema(migrations={"0001_bad.sql": "create table t (id int); select 1/0;"})
    run_id = new_run_id()
    with pytest.raises(SchemaApplyError, match="division by zero"):
        Workspace(test_server, schema, seed_data=False, run_id=run_id)
    assert not {n for n in database_names(test_server) if run_id in n}


def test_exception_inside_the_block_still_cleans_up(
    test_server: Server, notes_schema: SchemaDir
) -> None:
    run_id = new_run_id()
    with pytest.raises(KeyboardInterrupt), Workspace(
        test_server, notes_schema, seed_data=False, run_id=run_id
    ) as ws, ws.clone():
        _ = ws.scratch_dsn
        raise KeyboardInterrupt
    assert not {n for n in database_names(test_server) if run_id in n}


def test_make_context_points_at_scratch_and_clones(
    test_server: Server, notes_schema: SchemaDir
) -> None:
    messages: list[str] = []
    config = HarnessConfig(seed=7)
    with Workspace(test_server, notes_schema, seed_data=True) as ws:
        ctx = make_context(ws, config, progress=messages.append)
        assert ctx.dsn == ws.scratch_dsn
        assert ctx.seed == 7 and ctx.admin_dsn == test_server.admin_dsn
        # data files (performance.json, plots) go to the folder the caller names for its run,
        # never to the reports root (the gate's baseline pass names none: it writes nothing)
        assert ctx.report_dir is None
        ctx.progress("hello")
        assert messages == ["hello"]
        with ctx.connect() as conn:
            assert conn.execute("select count(*) from public.notes").fetchone() == (3,)
        with ctx.fresh_database() as dsn:
            assert dsn != ctx.dsn
            assert scalar(dsn, "select count(*) from public.notes") == 3


def test_clone_copies_the_template_instead_of_rerunning_migrations(
    test_server: Server, notes_schema: SchemaDir
) -> None:
    """A clone is a file copy of the template: its rows are the template's, the migrations did
    not run again (the ledger rows keep the template's timestamps), and it is dropped after."""
    with Workspace(test_server, notes_schema, seed_data=True) as ws, ws.clone() as dsn:
        name = psycopg.conninfo.conninfo_to_dict(dsn)["dbname"]
        assert name in ws.created
        with psycopg.connect(ws.scratch_dsn, autocommit=True) as conn:
            template_ledger = conn.execute(
                "select name, applied_at from dbharness_meta.applied_migrations order by 1"
            ).fetchall()
        with psycopg.connect(dsn, autocommit=True) as conn:
            clone_ledger = conn.execute(
                "select name, applied_at from dbharness_meta.applied_migrations order by 1"
            ).fetchall()
        assert clone_ledger == template_ledger and clone_ledger
    assert name not in database_names(test_server)
