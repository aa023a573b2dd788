"""Run configuration, in layers.

Defaults, then ``[tool.dbharness]`` in pyproject.toml or ``dbharness.toml``, then command-line
options. One frozen object is passed down; nothing reads globals.
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from harness.errors import ConfigError

DEFAULT_SEED = 20261125
MIN_POSTGRES = 10  # majors are single integers from 10 on
API_MODES = ("auto", "postgrest", "none")
# The platform profiles harness.platform provides (the names only: the bases live there).
PLATFORMS = ("supabase", "supabase-2025", "none")


@dataclass(frozen=True)
class ApiSettings:
    """The ``api`` section: the private PostgREST the API suite talks to.

    ``mode``: ``postgrest`` (required: missing binary is an error), ``none`` (API checks are
    skipped), ``auto`` (on when the binary is installed). The other keys are PostgREST's own
    settings of the same names (``db-schemas``, ``db-anon-role``, ``db-pre-request``).
    """

    mode: str = "auto"
    postgrest: str | None = None  # the executable; default: .tools/bin/postgrest, else PATH
    schemas: tuple[str, ...] = ("public",)
    anon_role: str = "anon"
    login_role: str = "authenticator"
    pre_request: str | None = None
    # Requests per user per hour the db-pre-request hook promises to allow (API014 tests it).
    rate_limit: int | None = None
    db_pool: int = 10  # server connections of one PostgREST (CI has max_connections = 100)


_API_KEYS = {f.name: f for f in fields(ApiSettings)}


@dataclass(frozen=True)
class Suppression:
    """Silences one check on matching objects; a reason is mandatory so reviews can judge it."""

    check: str
    object: str = "*"
    reason: str = ""

    def matches(self, check_id: str, obj: str) -> bool:
        """Whether this suppression covers ``obj`` (a glob) for ``check_id`` (any case)."""
        return self.check.upper() == check_id.upper() and fnmatch.fnmatchcase(obj, self.object)


@dataclass(frozen=True)
class Tolerance:
    """Lets one check's errors (tool or extension missing) not fail the run; says why.

    ``postgres``: the server majors it applies to (empty: any), for what one major lacks.
    """

    check: str
    reason: str
    postgres: tuple[int, ...] = ()

    def applies(self, check_id: str, major: int | None) -> bool:
        """Whether it covers ``check_id`` on a server of ``major`` (None: not known)."""
        return self.check.upper() == check_id.upper() and (
            not self.postgres or major in self.postgres
        )


@dataclass(frozen=True)
class HarnessConfig:
    """Every setting of a run. Field names are the keys accepted in the config file."""

    schema: Path = Path("schema")
    dsn: str | None = None
    # The platform base provisioned before the schema (harness.platform): supabase (the grant
    # model since 2026), supabase-2025 (default grants in public) or none (vanilla PostgreSQL).
    platform: str = "supabase"
    # Major of the embedded server (None: the first server binaries found); with a DSN, the
    # server's major must be this one.
    postgres_version: int | None = None
    suites: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    exclude_suites: tuple[str, ...] = ("load",)
    seed: int = DEFAULT_SEED
    report_dir: Path = Path("reports")
    formats: tuple[str, ...] = ("junit", "json", "sarif", "markdown")
    suppressions: tuple[Suppression, ...] = ()
    # The lowest severity that fails a run: info findings are reported but pass by default.
    fail_on: str = "low"
    tolerate_errors: tuple[Tolerance, ...] = ()
    # API roles and exposed schemas as Supabase names them; another platform may rename them.
    api_roles: tuple[str, ...] = ("anon", "authenticated", "service_role")
    exposed_schemas: tuple[str, ...] = ("public",)
    rls_cases: int = 2000
    scale: str = "ci"
    load_seed_data: bool = True
    api: ApiSettings = field(default_factory=ApiSettings)
    options: dict[str, Any] = field(default_factory=dict)  # per-suite options, free form

    def suppression_for(self, check_id: str, obj: str) -> Suppression | None:
        """Return the first suppression covering ``check_id`` on ``obj``, if any."""
        return next((s for s in self.suppressions if s.matches(check_id, obj)), None)

    def tolerance_for(self, check_id: str, major: int | None = None) -> Tolerance | None:
        """Return the config's tolerance of ``check_id``'s errors on a ``major`` server, if any."""
        return next((t for t in self.tolerate_errors if t.applies(check_id, major)), None)

    def with_overrides(self, **kw: Any) -> HarnessConfig:
        """Apply CLI values; ``None`` and empty tuples mean "not given"."""
        given = {k: v for k, v in kw.items() if v is not None and v != ()}
        return replace(self, **given)


_FIELDS = {f.name: f for f in fields(HarnessConfig)}


def _tolerances(value: Any, where: Path) -> tuple[Tolerance, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: 'tolerate_errors' must be a list of tables")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or "check" not in item:
            raise ConfigError(f"{where}: tolerate_errors[{i}] needs a 'check' key")
        if not str(item.get("reason", "")).strip():
            raise ConfigError(
                f"{where}: tolerate_errors[{i}] ({item['check']}) has no 'reason'",
                hint='say why the check may not run, e.g. reason = "no plpgsql_check in CI"',
            )
        unknown = set(item) - {"check", "reason", "postgres"}
        if unknown:
            raise ConfigError(f"{where}: tolerate_errors[{i}] has unknown keys {sorted(unknown)}")
        majors = item.get("postgres", [])
        if not isinstance(majors, list) or not all(
            isinstance(m, int) and not isinstance(m, bool) and m >= MIN_POSTGRES for m in majors
        ):
            raise ConfigError(
                f"{where}: tolerate_errors[{i}].postgres must be a list of PostgreSQL majors",
                hint="e.g. postgres = [17]",
            )
        out.append(Tolerance(str(item["check"]), str(item["reason"]), tuple(majors)))
    return tuple(out)


def _api(value: Any, where: Path) -> ApiSettings:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: 'api' must be a table")
    unknown = set(value) - set(_API_KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: api has unknown key(s) {', '.join(sorted(unknown))}",
            hint=f"known keys: {', '.join(_API_KEYS)}",
        )
    out: dict[str, Any] = {}
    for key, raw in value.items():
        if key == "schemas":
            items = [raw] if isinstance(raw, str) else raw
            if not isinstance(items, list) or not items or not all(
                isinstance(v, str) and v for v in items
            ):
                raise ConfigError(f"{where}: api.schemas must be a non-empty list of schema names")
            out[key] = tuple(items)
        elif key in ("db_pool", "rate_limit"):
            if not isinstance(raw, int) or isinstance(raw, bool) or raw < 1:
                raise ConfigError(f"{where}: api.{key} must be a positive integer")
            out[key] = raw
        elif not isinstance(raw, str) or not raw:
            raise ConfigError(f"{where}: api.{key} must be a non-empty string")
        else:
            out[key] = raw
    if out.get("mode", "auto") not in API_MODES:
        raise ConfigError(f"{where}: api.mode must be one of {', '.join(API_MODES)}")
    return ApiSettings(**out)


def _coerce(name: str, value: Any, where: Path) -> Any:
    default = getattr(HarnessConfig(), name)
    if name == "tolerate_errors":
        return _tolerances(value, where)
    if name == "fail_on":
        from harness.registry import Severity  # the registry imports this module's errors only

        if not isinstance(value, str):
            raise ConfigError(f"{where}: 'fail_on' must be a string")
        return Severity.parse(value, where=f"{where}: fail_on").value
    if name == "api":
        return _api(value, where)
    if name == "platform":
        if value not in PLATFORMS:
            raise ConfigError(
                f"{where}: unknown platform {value!r}", hint=f"known: {', '.join(PLATFORMS)}"
            )
        return value
    if name == "postgres_version":
        if not isinstance(value, int) or isinstance(value, bool) or value < MIN_POSTGRES:
            raise ConfigError(f"{where}: 'postgres_version' must be a PostgreSQL major "
                              f"version (an integer, e.g. 17)")
        return value
    if name == "suppressions":
        if not isinstance(value, list):
            raise ConfigError(f"{where}: 'suppressions' must be a list of tables")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict) or "check" not in item:
                raise ConfigError(f"{where}: suppressions[{i}] needs a 'check' key")
            if not str(item.get("reason", "")).strip():
                raise ConfigError(
                    f"{where}: suppressions[{i}] ({item['check']}) has no 'reason'",
                    hint='every suppression must say why, e.g. reason = "public lookup table"',
                )
            unknown = set(item) - {"check", "object", "reason"}
            if unknown:
                raise ConfigError(f"{where}: suppressions[{i}] has unknown keys {sorted(unknown)}")
            obj = str(item.get("object", "*"))
            out.append(Suppression(str(item["check"]), obj, str(item["reason"])))
        return tuple(out)
    if isinstance(default, Path) or name in ("schema", "report_dir"):
        if not isinstance(value, str):
            raise ConfigError(f"{where}: '{name}' must be a string path")
        return (where.parent / value) if not Path(value).is_absolute() else Path(value)
    if isinstance(default, tuple):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: '{name}' must be a list of strings")
        return tuple(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: '{name}' must be true or false")
        return value
    if isinstance(default, int):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConfigError(f"{where}: '{name}' must be an integer")
        return value
    if name == "options":
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: 'options' must be a table")
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{where}: '{name}' must be a string")
    return value


def parse_table(table: dict[str, Any], where: Path) -> HarnessConfig:
    """Build a config from a settings table read from ``where`` (named in errors)."""
    unknown = set(table) - set(_FIELDS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown setting(s) {', '.join(sorted(unknown))}",
            hint=f"known settings: {', '.join(sorted(_FIELDS))}",
        )
    return HarnessConfig(**{k: _coerce(k, v, where) for k, v in table.items()})


def find_config_file(start: Path) -> Path | None:
    """``dbharness.toml`` or a pyproject.toml with ``[tool.dbharness]``, from ``start`` upwards."""
    for d in [start, *start.parents]:
        if (d / "dbharness.toml").is_file():
            return d / "dbharness.toml"
        pp = d / "pyproject.toml"
        if pp.is_file() and "[tool.dbharness]" in pp.read_text(encoding="utf-8"):
            return pp
    return None


def load_config(path: Path | None = None, *, start: Path | None = None) -> HarnessConfig:
    """Read the config file (explicit path, or discovered from ``start``/cwd); defaults if none."""
    if path is None:
        path = find_config_file(start or Path.cwd())
        if path is None:
            return HarnessConfig(dsn=_env_dsn())
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: malformed TOML: {exc}") from None
    nested = data.get("tool", {}).get("dbharness") if isinstance(data.get("tool"), dict) else None
    if path.name == "pyproject.toml":
        table = nested or {}
    else:
        # a dbharness.toml may hold the settings at top level or, pasted from pyproject.toml,
        # under [tool.dbharness]; both mean the same.
        table = nested if nested is not None and set(data) == {"tool"} else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.dbharness] must be a table")
    cfg = parse_table(table, path)
    return cfg if cfg.dsn else replace(cfg, dsn=_env_dsn())


def _env_dsn() -> str | None:
    """``DATABASE_URL``, else libpq's ``PG*`` variables when any is set (libpq fills the rest)."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if any(os.environ.get(v) for v in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGSERVICE")):
        return ""  # empty conninfo: libpq reads the PG* variables itself
    return None
