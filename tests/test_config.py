from pathlib import Path

import pytest

from harness.cli import main
from harness.config import HarnessConfig, Suppression, load_config
from harness.errors import ConfigError


def _write(tmp_path: Path, text: str, name: str = "dbharness.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_defaults_when_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGSERVICE"):
        monkeypatch.delenv(var, raising=False)
    cfg = load_config(start=tmp_path)
    assert cfg == HarnessConfig()


def test_values_and_relative_paths(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        'schema = "db"\nsuites = ["security"]\nseed = 5\nrls_cases = 10\n'
        '[[suppressions]]\ncheck = "sec001"\nobject = "public.lookup_*"\n'
        'reason = "public lookup"\n',
    )
    cfg = load_config(p)
    assert cfg.schema == tmp_path / "db"
    assert (cfg.suites, cfg.seed, cfg.rls_cases) == (("security",), 5, 10)
    assert cfg.suppression_for("SEC001", "public.lookup_units") == Suppression(
        "sec001", "public.lookup_*", "public lookup"
    )
    assert cfg.suppression_for("SEC001", "public.work_orders") is None
    assert cfg.suppression_for("SEC002", "public.lookup_units") is None


def test_pyproject_table(tmp_path: Path) -> None:
    p = _write(tmp_path, '[tool.dbharness]\nreport_dir = "out"\n', "pyproject.toml")
    assert load_config(start=tmp_path).report_dir == tmp_path / "out"
    assert load_config(p).report_dir == tmp_path / "out"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("seed = ", "malformed TOML"),
        ("colour = 'red'\n", "unknown setting(s) colour"),
        ("[[suppressions]]\ncheck = 'SEC001'\n", "has no 'reason'"),
        ("[[suppressions]]\ncheck = 'SEC001'\nreason = '  '\n", "has no 'reason'"),
        ("[[suppressions]]\nreason = 'x'\n", "needs a 'check' key"),
        ("seed = 'abc'\n", "'seed' must be an integer"),
        ("suites = [1]\n", "'suites' must be a list of strings"),
    ],
)
def test_bad_config_raises(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config(_write(tmp_path, text))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("seed = ", "malformed TOML"),
        ("colour = 'red'\n", "unknown setting(s) colour"),
        ("[[suppressions]]\ncheck = 'SEC001'\n", "has no 'reason'"),
    ],
)
def test_bad_config_exits_2_through_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    rc = main(["check", "--config", str(_write(tmp_path, text))])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("error: ") and message in err
    assert "Traceback" not in err


def test_missing_config_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "config file not found" in capsys.readouterr().err


def test_cli_overrides_win(tmp_path: Path) -> None:
    cfg = load_config(_write(tmp_path, "seed = 5\nsuites = ['security']\n"))
    cfg = cfg.with_overrides(seed=9, suites=(), checks=("SEC001",), dsn=None)
    assert (cfg.seed, cfg.suites, cfg.checks) == (9, ("security",), ("SEC001",))
