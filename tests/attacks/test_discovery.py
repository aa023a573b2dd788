"""The attacks' discovery, without a database: what a source or a policy is read to say."""

from __future__ import annotations

import pytest

from harness.access import policy_expr
from suites.attacks.definer_writes import static_writes
from suites.attacks.signup_variants import FIXED_EMAILS, email_shapes, metadata_keys
from suites.attacks.storage_buckets import buckets_named, is_bucket_only


def test_metadata_keys_read_by_triggers_and_policies_are_added() -> None:
    keys = metadata_keys([
        "insert into p values (new.raw_user_meta_data ->> 'department',"
        " (new.raw_user_meta_data->'flags'), new.raw_user_meta_data ->> 'role')",
        "((auth.jwt() -> 'user_metadata'::text) ->> 'clearance'::text) = 'admin'::text",
    ])
    assert keys[-3:] == ["clearance", "department", "flags"]
    assert keys.count("role") == 1  # already a fixed key


@pytest.mark.parametrize(
    ("source", "address"),
    [
        ("if new.email like '%@corp.example' then", "x@corp.example"),
        ("if new.email ilike '%@Staff.Example.org' then", "x@staff.example.org"),
        (r"if new.email ~ '@ops\.example\.net$' then", "dbh@ops.example.net"),
        ("if split_part(new.email, '@', 2) = 'acme.io' then", "dbh@acme.io"),
        ("if new.email = 'boss@acme.io' then", "boss@acme.io"),
        ("if new.email like 'admin%' then", "admin@example.com"),
    ],
)
def test_email_shapes_from_the_patterns_a_trigger_compares(source: str, address: str) -> None:
    got = email_shapes([source])
    assert got[: len(FIXED_EMAILS)] == list(FIXED_EMAILS)
    assert address in got


def test_literals_that_are_no_email_pattern_give_no_address() -> None:
    assert email_shapes(["insert into public.profiles (role) values ('member', 'x y')"]) == list(
        FIXED_EMAILS)


@pytest.mark.parametrize(
    ("source", "writes"),
    [
        ("update auth.users set raw_app_meta_data = '{}' where id = target",
         [("UPDATE", "auth.users")]),
        ('delete from "storage"."objects" where bucket_id = b', [("DELETE", "storage.objects")]),
        ("insert into private.audit values (1); truncate table auth.sessions",
         [("INSERT", "private.audit"), ("TRUNCATE", "auth.sessions")]),
        ("select * from auth.users; insert into public.notes values (1)", []),
        ("insert into t values (1) on conflict (id) do update set n = 1", []),
    ],
)
def test_static_writes(source: str, writes: list[tuple[str, str]]) -> None:
    assert static_writes(source, {"auth", "storage", "private"}) == writes


@pytest.mark.parametrize(
    ("qual", "buckets", "only"),
    [
        ("(bucket_id = 'invoices'::text)", {"invoices"}, True),
        ("((bucket_id = 'a'::text) AND (auth.role() = 'authenticated'::text))", {"a"}, True),
        ("(bucket_id = ANY (ARRAY['a'::text, 'b'::text]))", {"a", "b"}, True),
        ("(bucket_id IN ('a', 'b'))", {"a", "b"}, True),
        ("((bucket_id = 'a'::text) AND (owner = auth.uid()))", {"a"}, False),
        ("((bucket_id = 'a'::text) AND ((storage.foldername(name))[1] = (auth.uid())::text))",
         {"a"}, False),
        ("((bucket_id = 'a'::text) AND private.is_staff())", {"a"}, False),
        ("true", set(), True),
    ],
)
def test_bucket_only_policies(qual: str, buckets: set[str], only: bool) -> None:
    tree = policy_expr.parse(qual)
    assert buckets_named(tree) == buckets
    assert is_bucket_only(tree) is only
