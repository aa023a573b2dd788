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
from typing import TYPE_CHECKING

from harness.errors import UnknownCheck

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

    def finding(self, obj: str, message: str, **kw: object) -> Finding:
        """Build a finding of this check (keeps the ID in one place)."""
        return Finding(self.id, obj, message, **kw)  # type: ignore[arg-type]


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
) -> Callable[[CheckFunc], CheckFunc]:
    """Register the decorated function as check ``id``."""

    def deco(func: CheckFunc) -> CheckFunc:
        REGISTRY.add(Check(id, title, severity, family, suite, rationale, remedy, func, needs))
        return func

    return deco


# Check modules outside the suites package: the load checks live beside the Locust code they judge.
EXTRA_CHECK_MODULES = ("load.checks",)


def load_suites() -> Registry:
    """Import the check modules so their checks register (idempotent)."""
    import suites

    for mod in pkgutil.walk_packages(suites.__path__, prefix="suites."):
        importlib.import_module(mod.name)
    for name in EXTRA_CHECK_MODULES:
        importlib.import_module(name)
    return REGISTRY
