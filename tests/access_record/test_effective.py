"""The snapshot file and its diff, without a database."""

from __future__ import annotations

import pytest

from harness.access import policy_expr
from harness.access.effective import AccessRecord, diff, differences, parse, summarize, to_toml
from harness.errors import ConfigError


def _rec(select: str, *, fn: str = "denied (grant)", who: str = "signup-1") -> AccessRecord:
    return AccessRecord(
        schemas=("public",),
        personas={"anon": "anon key", who: "a sign-up", "a@b.test": "seed user"},
        relations={"public.notes": {
            who: {"select": select, "insert": "allowed", "update": "none", "delete": "none"},
            "anon": {"select": "denied (grant)", "insert": "denied (grant)",
                     "update": "denied (grant)", "delete": "denied (grant)"},
        }},
        functions={"public.f(x integer)": {"anon": fn, "authenticated": "allowed"}},
    )


def test_file_round_trips_and_is_sorted_with_api_keys_first() -> None:
    rec = _rec("own")
    text = to_toml(rec, made_by="test")
    assert parse(text, "t") == rec
    body = text.split("[relations.")[1]
    assert body.index("anon =") < body.index("signup-1 =")  # the persona order, not the dict's
    assert '"public.f(x integer)" = { anon = "denied (grant)", authenticated = "allowed" }' in text


@pytest.mark.parametrize(("before", "after", "direction"), [
    ("none", "all", "gained"), ("own", "some", "gained"), ("denied (policy)", "own", "gained"),
    ("all", "own", "lost"), ("some", "denied (grant)", "lost"),
    ("denied (grant)", "denied (policy)", "changed"), ("error P0001", "all", "changed"),
    ("some (warehouse_id #1)", "some (warehouse_id #1, #3)", "gained"),
    ("some (warehouse_id #1, #2)", "some (warehouse_id #2)", "lost"),
    ("some (warehouse_id #1)", "some (warehouse_id #2)", "changed"),
    ("some", "some (warehouse_id #1, other)", "changed"),
])
def test_direction_follows_the_amount_of_access(before: str, after: str, direction: str) -> None:
    [change] = diff(_rec(before), _rec(after))
    assert (change.who, change.command, change.direction) == ("signup-1", "select", direction)


def test_function_grant_and_new_relation_count_but_unknown_personas_do_not() -> None:
    head = _rec("own", fn="allowed")
    head.relations["public.new"] = {"anon": {"select": "all", "insert": "denied (grant)",
                                             "update": "denied (grant)",
                                             "delete": "denied (grant)"}}
    lines = list(summarize(diff(_rec("own"), head)))
    assert lines == ["+ anon gained EXECUTE on public.f(x integer): denied (grant) -> allowed",
                     "+ anon gained SELECT on public.new: not recorded -> all"]
    # a persona only one side has says nothing about access
    assert diff(_rec("own"), _rec("all", who="signup-9")) == []


def test_differences_name_personas_and_outcomes() -> None:
    got = [c.describe() for c in differences(_rec("own"), _rec("all", who="signup-9"))]
    assert "personas: signup-9 was absent, now a sign-up" in got
    assert "signup-1 lost SELECT on public.notes: own -> not recorded" in got
    assert differences(_rec("own"), _rec("own")) == []


@pytest.mark.parametrize(("text", "says"), [
    ("not toml = = 1", "not valid TOML"),
    ("[recording]\nformat = 2\n", "format 1"),
    ('[recording]\nformat = 1\n[relations."public.t"]\nanon = 3\n', "table of strings"),
])
def test_malformed_file_is_a_usage_error(text: str, says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        parse(text, "snap.toml")


@pytest.mark.parametrize(("policy", "owners"), [
    ("(owner_id = auth.uid())", ("owner_id",)),
    ("(user_id = ( SELECT auth.uid() AS uid))", ("user_id",)),
    ("((auth.uid() = author) OR is_public)", ("author",)),
    ("(assigned_to @> ARRAY[auth.uid()])", ()),  # membership in an array is not ownership
    ("(org_id IN ( SELECT m.org_id FROM members m WHERE (m.user_id = auth.uid())))", ()),
])
def test_owner_columns_as_postgresql_prints_policies(policy: str,
                                                     owners: tuple[str, ...]) -> None:
    assert policy_expr.owner_columns_of(policy_expr.parse(policy)) == set(owners)
