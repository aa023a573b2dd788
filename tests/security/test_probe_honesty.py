"""A probe that failed is never a pass: SEC102/SEC104 tell "refused as intended" from "our own
SQL failed", and the coverage floors of the behavioural checks are read and validated.

Real database, real roles: the canonical schema with its seed data (``rls_context``).
"""

from __future__ import annotations

import pytest

from harness.config import HarnessConfig
from harness.context import CheckContext
from harness.errors import ConfigError, ToolFailed
from harness.impersonate import Actor
from harness.registry import REGISTRY, load_suites
from harness.runner import run_checks
from harness.schema_dir import SchemaDir
from suites.security.escalation import REFUSED_ROW, Attack, Verdict, run_attack
from suites.security.floors import Floor, read_floors

pytestmark = pytest.mark.slow

load_suites()

ADMIN = "20000001-0000-0000-0000-000000000001"  # seed: the admin of warehouse MAIN
TECH = "20000001-0000-0000-0000-000000000004"


def outcome(ctx: CheckContext, atk: Attack) -> Verdict:
    with ctx.connect() as conn:
        return run_attack(conn, atk).verdict


def test_attack_outcomes_name_who_failed(rls_context) -> None:
    tech = Actor.user(TECH)
    intact = "select true"
    with rls_context(cases=10) as ctx:
        # Refused with a SQLSTATE named for the attack (anon holds no grant: 42501).
        read = "select count(*) from public.system_logs"
        anon = Actor.anon()
        assert outcome(ctx, Attack("r", anon, read, reads=True)) is Verdict.REFUSED
        # The same error, not named for the attack: nobody can tell it was a refusal.
        assert outcome(ctx, Attack("r", anon, read, reads=True, refusals=frozenset({"P0001"}))) is (
            Verdict.PROBE_FAILED
        )
        # Hidden by RLS: no error, nothing changed.
        promote = f"update public.profiles set role = 'admin' where id = '{TECH}'"
        unchanged = f"select role::text = 'technician' from public.profiles where id = '{TECH}'"
        assert outcome(ctx, Attack("p", tech, promote, unchanged, refusals=REFUSED_ROW)) is (
            Verdict.REFUSED
        )
        # Broken attack SQL (42703, 42601) used to count as "refused".
        for broken in ("update public.profiles set no_such_column = 1", "updat public.profiles"):
            assert outcome(ctx, Attack("b", tech, broken, intact, refusals=REFUSED_ROW)) is (
                Verdict.PROBE_FAILED
            )
        # A setup or intact check that fails leaves no verdict either.
        noop = "select 1"
        assert outcome(ctx, Attack("s", tech, noop, intact, setup="select nope")) is (
            Verdict.PROBE_FAILED
        )
        assert outcome(ctx, Attack("i", tech, noop, "select * from no_such_table")) is (
            Verdict.PROBE_FAILED
        )
        assert outcome(ctx, Attack("n", tech, noop, "select null::boolean")) is (
            Verdict.PROBE_FAILED
        )
        # No error and the target changed: the attack succeeded.
        changed = f"select role::text = 'technician' from public.profiles where id = '{TECH}'"
        admin_edit = f"update public.profiles set role = 'supervisor' where id = '{TECH}'"
        assert outcome(ctx, Attack("a", Actor.user(ADMIN), admin_edit, changed)) is (
            Verdict.SUCCEEDED
        )


# The setup of "manager creates an admin profile" inserts into auth.users: a schema where that
# insert fails leaves the attack without a verdict, and SEC102 must say so instead of passing.
AUTH_USERS_REFUSE_INVALID = """
alter table auth.users add constraint no_invalid_domain check (email not like '%.invalid');
"""


def test_sec102_is_an_error_when_an_attack_setup_fails(rls_context) -> None:
    with rls_context(AUTH_USERS_REFUSE_INVALID, cases=10) as ctx:
        with pytest.raises(ToolFailed) as err:
            list(REGISTRY.get("SEC102").func(ctx))
        assert "manager creates an admin profile: its setup failed with 23514" in str(err.value)
        # Through the engine: status error, so the run exits 2 (never a pass).
        ctx.stats = {}
        result = run_checks(ctx, [REGISTRY.get("SEC102")], [])
    assert result.results[0].status.value == "error"
    assert result.exit_code == 2


# A polymorphic argument cannot be given a harmless value of a known type: the call is
# malformed (42804), which says nothing about the function; SEC104 must not call it clean.
POLYMORPHIC = """
create function public.tag(label text, value anyelement) returns text
language sql set search_path = '' as $$ select label $$;
grant execute on function public.tag(text, anyelement) to authenticated;

create function public.joined(sep text, variadic parts text[]) returns text
language sql set search_path = '' as $$ select array_to_string(parts, sep) $$;
grant execute on function public.joined(text, text[]) to authenticated;
"""


def test_sec104_is_an_error_when_its_call_is_malformed(rls_context) -> None:
    with rls_context(POLYMORPHIC, cases=10) as ctx, pytest.raises(ToolFailed) as err:
        list(REGISTRY.get("SEC104").func(ctx))
    message = str(err.value)
    assert "public.tag(text, anyelement) as authenticated: 42804" in message
    assert "joined" not in message  # VARIADIC is passed as VARIADIC: fuzzed like any other
    assert ctx.stats["functions_fuzzed"] == ctx.stats["functions"] - 1


FLOORS = (Floor("min_share", 0.5, "a share", share=True), Floor("min_count", 3, "a count"))


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"X": {"min_other": 1}}, "unknown option(s) min_other"),
        ({"X": {"min_share": 1.5}}, "is a share"),
        ({"X": {"min_count": -1}}, "must be a number >= 0"),
        ({"X": {"min_count": True}}, "must be a number >= 0"),
        ({"X": 3}, "must be a table of floors"),
    ],
)
def test_bad_floor_options_are_config_errors(tmp_path, options, problem) -> None:
    ctx = CheckContext(
        dsn="", schema=SchemaDir(tmp_path), config=HarnessConfig(options=options), seed=1,
        clone=object,
    )
    with pytest.raises(ConfigError) as err:
        read_floors(ctx, "X", FLOORS)
    assert problem in str(err.value)


def test_floor_defaults_and_overrides(tmp_path) -> None:
    def floors(options: dict[str, object]) -> dict[str, float]:
        ctx = CheckContext(
            dsn="", schema=SchemaDir(tmp_path), config=HarnessConfig(options=options), seed=1,
            clone=object,
        )
        return read_floors(ctx, "X", FLOORS)

    assert floors({}) == {"min_share": 0.5, "min_count": 3.0}
    assert floors({"X": {"min_count": 0}}) == {"min_share": 0.5, "min_count": 0.0}
