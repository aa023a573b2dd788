"""Coverage floors of the behavioural checks: how little a check may exercise and still pass.

A behavioural check that tried nothing proves nothing, yet it reports no finding. Each one states
what it exercised in ``ctx.stats`` and compares it with floors read from the config, per check::

    [tool.dbharness.options.SEC100]
    min_cell_coverage = 1.0       # share of principal kind x table x command cells tried
    min_conclusive_share = 0.9    # share of cases whose outcome confirmed or refuted the matrix

A measure below its floor is a finding of the check itself (object ``coverage:<option>``), so a
run that checked too little fails instead of passing quietly. Set a floor to 0 to switch it off.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from harness.context import CheckContext
from harness.errors import ConfigError
from harness.registry import REGISTRY, Finding


@dataclass(frozen=True)
class Floor:
    """One floor: its option name, default and what it measures (said in findings)."""

    option: str
    default: float
    measures: str
    share: bool = False  # a share must lie in [0, 1]


def read_floors(ctx: CheckContext, check_id: str, known: tuple[Floor, ...]) -> dict[str, float]:
    """Return the floors of ``check_id``: the defaults overridden by ``options.<check_id>``."""
    raw = ctx.config.options.get(check_id, {})
    where = f"options.{check_id}"
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where} must be a table of floors")
    names = {f.option: f for f in known}
    unknown = set(raw) - set(names)
    if unknown:
        raise ConfigError(
            f"{where}: unknown option(s) {', '.join(sorted(unknown))}",
            hint=f"{check_id} knows {', '.join(sorted(names))}",
        )
    out = {f.option: float(f.default) for f in known}
    for name, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"{where}.{name} must be a number >= 0, got {value!r}")
        if names[name].share and value > 1:
            raise ConfigError(f"{where}.{name} is a share: between 0 and 1, got {value!r}")
        out[name] = float(value)
    return out


def below_floor(
    ctx: CheckContext,
    check_id: str,
    known: tuple[Floor, ...],
    measured: Mapping[str, float],
    why: Mapping[str, str] | None = None,
) -> Iterator[Finding]:
    """Yield a finding of ``check_id`` per measure under its floor; record both in ``ctx.stats``.

    ``measured`` maps a floor's option to the value the run reached; ``why`` may add a reason
    per option (what was missing), shown in the finding.
    """
    floors = read_floors(ctx, check_id, known)
    ctx.stats["floors"] = dict(floors)
    chk = REGISTRY.get(check_id)
    for f in known:
        got, need = measured[f.option], floors[f.option]
        if got >= need:
            continue
        shown = f"{got:.2f}" if f.share else f"{got:g}"
        extra = f": {why[f.option]}" if why and why.get(f.option) else ""
        yield chk.finding(
            f"coverage:{f.option}",
            f"{check_id} exercised too little to be trusted: {f.measures} is {shown}, below the "
            f"floor {need:g} (options.{check_id}.{f.option}){extra}",
            details={"option": f.option, "measured": got, "floor": need},
        )
