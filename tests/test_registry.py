import re
from importlib.metadata import entry_points
from pathlib import Path

import pytest

import harness.registry
from harness.errors import UnknownCheck
from harness.registry import ENTRY_POINT_GROUP, Check, Registry, Severity, load_suites


def _check(id: str, suite: str = "security") -> Check:
    return Check(id, f"title {id}", Severity.HIGH, "security", suite, "why", "fix", lambda ctx: ())


@pytest.fixture
def reg() -> Registry:
    r = Registry()
    for c in (
        _check("SEC001"),
        _check("SEC002"),
        _check("INT001", "integrity"),
        _check("LD001", "load"),
    ):
        r.add(c)
    return r


def test_duplicate_id_refused(reg: Registry) -> None:
    with pytest.raises(ValueError, match="duplicate check id SEC001"):
        reg.add(_check("SEC001", "integrity"))
    assert len(reg) == 4


def test_iterates_in_id_order(reg: Registry) -> None:
    assert [c.id for c in reg] == ["INT001", "LD001", "SEC001", "SEC002"]
    assert reg.suites() == ["integrity", "load", "security"]


def test_select_all_by_default_minus_excluded(reg: Registry) -> None:
    assert [c.id for c in reg.select()] == ["INT001", "LD001", "SEC001", "SEC002"]
    assert [c.id for c in reg.select(exclude_suites=["load"])] == ["INT001", "SEC001", "SEC002"]


def test_select_by_suite(reg: Registry) -> None:
    assert [c.id for c in reg.select(["security"])] == ["SEC001", "SEC002"]


def test_select_by_id_is_case_insensitive(reg: Registry) -> None:
    assert [c.id for c in reg.select(ids=["sec002"])] == ["SEC002"]


def test_select_suite_and_id_is_a_union(reg: Registry) -> None:
    assert [c.id for c in reg.select(["integrity"], ["SEC001"])] == ["INT001", "SEC001"]


def test_unknown_suite(reg: Registry) -> None:
    with pytest.raises(UnknownCheck, match="unknown suite 'nope'") as info:
        reg.select(["nope"])
    assert info.value.hint and "security" in info.value.hint


def test_unknown_id(reg: Registry) -> None:
    with pytest.raises(UnknownCheck, match="unknown check ID 'XXX999'"):
        reg.select(ids=["XXX999"])
    with pytest.raises(UnknownCheck):
        reg.get("XXX999")


def test_finding_helper_carries_check_id() -> None:
    f = _check("SEC001").finding("public.t", "bad", repro_sql="select 1", seed=7)
    assert (f.check_id, f.object, f.repro_sql, f.seed, f.suppressed) == (
        "SEC001",
        "public.t",
        "select 1",
        7,
        False,
    )


def test_sarif_levels() -> None:
    assert Severity.CRITICAL.sarif_level == "error"
    assert Severity.MEDIUM.sarif_level == "warning"
    assert Severity.INFO.sarif_level == "note"


def test_real_suites_load_with_complete_metadata() -> None:
    """Every registered check says what it is, why it matters and how to fix it."""
    reg = load_suites()
    for c in reg:
        assert re.fullmatch(r"[A-Z]{2,5}\d{3}", c.id), c.id
        assert c.title.strip() and c.rationale.strip() and c.remedy.strip(), c.id


def test_each_check_comes_from_the_entry_point_of_its_suite() -> None:
    """Suites are plug-ins: the entry point named after a check's suite registered it."""
    eps = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    reg = load_suites()
    assert reg.suites() == sorted(eps)
    for c in reg:
        module = c.func.__module__
        assert module == eps[c.suite] or module.startswith(eps[c.suite] + "."), (c.id, module)


def test_a_package_outside_the_project_can_ship_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installed distribution with a dbharness.suites entry point adds its checks."""
    pkg = tmp_path / "extra_checks"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(
        "from harness.registry import Severity, check\n"
        "@check('EXT001', title='t', severity=Severity.LOW, family='quality', suite='extra',"
        " rationale='r', remedy='f')\n"
        "def ext(ctx):\n    return iter(())\n"
    )
    dist = tmp_path / "extra_checks-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: extra-checks\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[dbharness.suites]\nextra = extra_checks\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(harness.registry, "REGISTRY", Registry())
    reg = load_suites()
    assert reg.get("EXT001").suite == "extra"
    assert {"extra", "security"} <= {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
