"""The check registry: every check is data plus one function.

The data is a stable ID, title, severity, family, rationale and remedy. Suites register checks
with the ``@check`` decorator; the registry refuses duplicate IDs so an ID always means one thing.
"""

from __future__ import annotations

import builtins
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from harness.errors import ConfigError, UnknownCheck

if TYPE_CHECKING:
    from harness.context import CheckContext


class Severity(StrEnum):
    """How bad a finding is; SARIF levels derive from it."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def sarif_level(self) -> str:
        """The SARIF result level: error, warning or note."""
        return {"critical": "error", "high": "error", "medium": "warning"}.get(self.value, "note")

    @property
    def rank(self) -> int:
        """Order from info (0) to critical (4): ``a.rank >= b.rank`` means a is at least b."""
        return _RANKS[self]

    @classmethod
    def parse(cls, name: str, *, where: str = "severity") -> Severity:
        """Look a severity up by name; an unknown name is a usage error naming ``where``."""
        try:
            return cls(name.lower())
        except ValueError:
            raise ConfigError(
                f"{where}: unknown severity {name!r}",
                hint=f"one of: {', '.join(s.value for s in cls)}",
            ) from None


_RANKS = {s: i for i, s in enumerate(reversed(list(Severity)))}


@dataclass(frozen=True)
class Finding:
    """One violation of a check, on one database object, with a way to reproduce it."""

    check_id: str
    object: str
    message: str
    repro_sql: str | None = None
    seed: int | None = None
    # builtins.: inside this class ``object`` names the field above, not the type.
    details: dict[str, builtins.object] = field(default_factory=dict)
    suppressed_reason: str | None = None
    # None: the check's severity. Set when this finding is worse (or milder) than the check's
    # usual one, e.g. a search_path lint on a SECURITY DEFINER function.
    severity: Severity | None = None

    @property
    def suppressed(self) -> bool:
        """Whether a suppression in the config silenced this finding."""
        return self.suppressed_reason is not None


CheckFunc = Callable[["CheckContext"], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    """A registered check: metadata plus the function that yields findings."""

    id: str
    title: str
    severity: Severity
    family: str
    suite: str
    rationale: str
    remedy: str
    func: CheckFunc
    needs: tuple[str, ...] = ()  # schema plug-in data the check needs, e.g. "access"
    # True: the check reads only what the front end computed (config.options), no database; it
    # still runs when the schema did not apply.
    offline: bool = False

    def finding(self, obj: str, message: str, **kw: object) -> Finding:
        """Build a finding of this check (keeps the ID in one place)."""
        return Finding(self.id, obj, message, **kw)  # type: ignore[arg-type]

    def severity_of(self, f: Finding) -> Severity:
        """Return the effective severity of ``f``: its own when set, else this check's."""
        return f.severity if f.severity is not None else self.severity


class Registry:
    """Checks by ID. Suites are loaded lazily by importing the ``suites`` package tree."""

    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}

    def add(self, chk: Check) -> None:
        """Register ``chk``; an ID already taken is refused."""
        if chk.id in self._checks:
            raise ValueError(f"duplicate check id {chk.id}")
        self._checks[chk.id] = chk

    def __iter__(self) -> Iterator[Check]:
        return iter(sorted(self._checks.values(), key=lambda c: c.id))

    def __len__(self) -> int:
        return len(self._checks)

    def get(self, check_id: str) -> Check:
        """Look a check up by ID (any case); an unknown ID is a usage error."""
        try:
            return self._checks[check_id.upper()]
        except KeyError:
            raise UnknownCheck(
                f"unknown check ID {check_id!r}",
                hint="`dbharness list-checks` prints every ID",
            ) from None

    def suites(self) -> list[str]:
        """Return the names of the suites that have checks, sorted."""
        return sorted({c.suite for c in self._checks.values()})

    def select(
        self,
        suites: Iterable[str] = (),
        ids: Iterable[str] = (),
        exclude_suites: Iterable[str] = (),
    ) -> list[Check]:
        """Return the checks of the named suites and/or IDs (all when none named), in ID order."""
        suites, ids, exclude = list(suites), [i.upper() for i in ids], set(exclude_suites)
        known = set(self.suites())
        for s in suites:
            if s not in known:
                raise UnknownCheck(
                    f"unknown suite {s!r}", hint=f"known suites: {', '.join(sorted(known))}"
                )
        for i in ids:
            self.get(i)
        chosen = [
            c
            for c in self
            if ((not suites and not ids) or c.suite in suites or c.id in ids)
            and c.suite not in exclude
        ]
        return chosen


REGISTRY = Registry()


def check(
    id: str,
    *,
    title: str,
    severity: Severity,
    family: str,
    suite: str,
    rationale: str,
    remedy: str,
    needs: tuple[str, ...] = (),
    offline: bool = False,
) -> Callable[[CheckFunc], CheckFunc]:
    """Register the decorated function as check ``id``."""

    def deco(func: CheckFunc) -> CheckFunc:
        REGISTRY.add(
            Check(id, title, severity, family, suite, rationale, remedy, func, needs, offline)
        )
        return func

    return deco


# Suites are plug-ins: each entry point of this group names a module or package whose modules
# register checks with @check. Another installed package can ship checks the same way.
ENTRY_POINT_GROUP = "dbharness.suites"


def _import_tree(name: str) -> None:
    module = importlib.import_module(name)
    for sub in pkgutil.walk_packages(getattr(module, "__path__", []), prefix=f"{name}."):
        importlib.import_module(sub.name)


def load_suites() -> Registry:
    """Import every suite named by a ``dbharness.suites`` entry point (idempotent)."""
    found = entry_points(group=ENTRY_POINT_GROUP)
    if not found:
        raise ConfigError(
            f"no check suites found (entry-point group {ENTRY_POINT_GROUP!r} is empty)",
            hint="install the package (pip install -e .) so its entry points are registered",
        )
    for ep in sorted(found, key=lambda e: e.name):
        _import_tree(ep.value)
    return REGISTRY
