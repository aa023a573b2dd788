"""SEC113: storage policies that check only the bucket."""

from __future__ import annotations

from typing import Any

import pytest

from harness.events import Status
from harness.server import Server
from tests.attacks.support import replay, run_on
from tests.support import SchemaFactory

BUCKETS = """
insert into storage.buckets (id, name, public) values
  ('invoices', 'invoices', false), ('avatars', 'avatars', true);
create policy avatars_read on storage.objects for select to public
  using (bucket_id = 'avatars');
create policy avatars_write on storage.objects for insert to authenticated
  with check (bucket_id = 'avatars' and owner = (select auth.uid()));
"""
# Every signed-up user may read and delete every invoice.
BUCKET_ONLY = """
create policy invoices_read on storage.objects for select to authenticated
  using (bucket_id = 'invoices');
create policy invoices_delete on storage.objects for delete to authenticated
  using (bucket_id = 'invoices' and (select auth.role()) = 'authenticated');
"""
# Per-user folders: the first path segment is the owner's id.
PER_USER = """
create policy invoices_read on storage.objects for select to authenticated
  using (bucket_id = 'invoices'
         and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy invoices_delete on storage.objects for delete to authenticated
  using (bucket_id = 'invoices' and owner = (select auth.uid()));
"""


@pytest.mark.proves("SEC113")
def test_bucket_only_policy_lets_another_user_read_and_delete(
    test_server: Server, make_schema: SchemaFactory
) -> None:
    replayed: list[tuple[Any, ...]] = []
    r = run_on(test_server, make_schema, BUCKETS + BUCKET_ONLY, "SEC113",
               then=lambda v, dsn: replayed.extend(replay(dsn, v["SEC113"].findings[0].repro_sql
                                                          or "")))["SEC113"]
    assert r.status is Status.FAILED, r.error
    (f,) = r.findings
    assert f.object == "storage.objects:invoices:user B"
    assert f.details["attempts"]["read"] == "1 row(s)"
    assert f.details["attempts"]["delete"] == "reached it"
    assert f.details["attempts"]["update"] == "no effect"
    assert f.severity is not None and f.severity.value == "critical"
    assert "invoices_read (SELECT)" in f.message and "delete from storage.objects" in (
        f.repro_sql or "")
    # avatars is public: anyone reading it is the design, and nobody else may write it
    assert r.stats["bucket_only"] == {
        "avatars": ["avatars_read (SELECT)"],
        "invoices": ["invoices_delete (DELETE)", "invoices_read (SELECT)"],
    }
    assert r.stats["buckets_tested"] == 2
    # replayed on a fresh copy: B's delete went through, the final look finds no object
    assert not any("dbh-probe.txt" in str(row) for row in replayed), replayed
    assert replayed, "the script ran (its set_config row at least)"


@pytest.mark.proves("SEC113", clean=True)
def test_per_user_folders_pass(test_server: Server, make_schema: SchemaFactory) -> None:
    r = run_on(test_server, make_schema, BUCKETS + PER_USER, "SEC113")["SEC113"]
    assert r.status is Status.PASSED, (r.error, r.findings)
    assert r.stats["buckets_tested"] == 2 and r.stats["attempts"] > 0


def test_no_storage_policy_is_a_skip(test_server: Server, make_schema: SchemaFactory) -> None:
    r = run_on(test_server, make_schema, "select 1;", "SEC113")["SEC113"]
    assert r.status is Status.SKIPPED
