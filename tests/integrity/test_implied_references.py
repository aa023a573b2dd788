"""INT005 on Supabase-style schemas we did not write: evident references only.

A blog (profiles on auth.users, posts, tags, comments) full of columns that look like
references but are not (external ids, text ids, a keyless analytics log, a self-reference),
and a multi-tenant billing schema whose keys live in another schema, composite with the
tenant column.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main
from tests.support import ROLES_BOOTSTRAP, TEST_DSN, SchemaFactory

# what Supabase provides that these schemas reference
AUTH = ROLES_BOOTSTRAP + """
create schema if not exists auth;
create table if not exists auth.users (id uuid primary key);
create table if not exists auth.sessions (id uuid primary key, user_id uuid);
"""

BLOG = """
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  username text unique
);
create table public.posts (
  id bigint generated always as identity primary key,
  author_id uuid not null references public.profiles (id),
  title text not null,
  stripe_product_id text,
  external_id text,
  legacy_user_id bigint,
  session_id uuid
);
create table public.tags (id bigint generated always as identity primary key, name text unique);
create table public.post_tags (
  post_id bigint references public.posts (id) on delete cascade,
  tag_id bigint references public.tags (id),
  primary key (post_id, tag_id)
);
create table public.comments (
  id bigint generated always as identity primary key,
  post_id bigint not null references public.posts (id),
  user_id uuid not null references public.profiles (id),
  parent_id bigint references public.comments (id),
  body text not null
);
-- an analytics log, keyless by design: no foreign key at all
create table public.post_views (post_id bigint, viewer_id uuid, tag_id bigint);
create table public.reactions (
  id bigint generated always as identity primary key,
  comment_id bigint references public.comments (id),
  tag_id integer,
  kind text
);
"""

BILLING = """
create schema crm;
create schema billing;
create table crm.orgs (id uuid primary key);
create table crm.customers (
  id uuid primary key,
  org_id uuid not null references crm.orgs (id),
  name text,
  unique (org_id, id)
);
create table billing.invoices (
  id uuid primary key,
  org_id uuid not null references crm.orgs (id),
  customer_id uuid not null,
  user_id uuid,
  created_by uuid,
  total numeric
);
"""


def int005(schema: Path, tmp_path: Path) -> tuple[int, list[dict[str, object]]]:
    reports = tmp_path / "reports"
    code = main(["check", "--schema", str(schema), "--dsn", TEST_DSN, "--check", "INT005",
                 "--report-dir", str(reports), "--format", "json", "-q"])
    data = json.loads((reports / "latest" / "report.json").read_text())
    assert [c["status"] for c in data["checks"] if c["id"] == "INT005"] != ["error"]
    return code, data["findings"]


@pytest.mark.proves("INT005", clean=True)
def test_lookalike_columns_are_not_references(
    make_schema: SchemaFactory, tmp_path: Path
) -> None:
    schema = make_schema(migrations={"0001_blog.sql": BLOG}, bootstrap={"00_auth.sql": AUTH})
    assert int005(schema.root, tmp_path) == (0, [])


@pytest.mark.proves("INT005")
def test_dropped_reference_is_found_by_name_and_by_convention(
    make_schema: SchemaFactory, tmp_path: Path
) -> None:
    schema = make_schema(
        migrations={
            "0001_blog.sql": BLOG,
            "0002_loosen.sql": """
                alter table public.comments drop constraint comments_post_id_fkey;
                alter table public.reactions add column user_id uuid;
            """,
        },
        bootstrap={"00_auth.sql": AUTH},
    )
    code, findings = int005(schema.root, tmp_path)
    assert code == 1
    assert {f["object"]: f["details"]["references"] for f in findings} == {
        "public.comments.post_id": "public.posts",  # by name
        "public.reactions.user_id": "public.profiles",  # the schema's user_id convention
    }


@pytest.mark.proves("INT005")
def test_references_across_schemas_composite_and_to_auth_users(
    make_schema: SchemaFactory, tmp_path: Path
) -> None:
    schema = make_schema(migrations={"0001_billing.sql": BILLING},
                         bootstrap={"00_auth.sql": AUTH})
    code, findings = int005(schema.root, tmp_path)
    assert code == 1
    by_object = {f["object"]: f for f in findings}
    assert sorted(by_object) == ["billing.invoices.customer_id", "billing.invoices.user_id"]
    customer = by_object["billing.invoices.customer_id"]
    assert customer["details"]["key"] == ["org_id", "id"]
    assert "FOREIGN KEY (org_id, customer_id) REFERENCES crm.customers (org_id, id)" in str(
        customer["message"]
    )
    assert by_object["billing.invoices.user_id"]["details"]["references"] == "auth.users"
