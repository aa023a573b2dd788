"""Reading the integrity suite's plug-in data (``dbharness/invariants.toml``, ``concurrency.toml``).

The files are the schema's own; a schema without one gets its checks skipped (the runner does
that from ``needs``; direct callers get :class:`SkipCheck` from here). A malformed file is a
configuration error naming the file and the key, never a silent pass.
"""

from __future__ import annotations

import tomllib
from typing import Any

from harness.context import CheckContext
from harness.errors import CheckSkipped as SkipCheck
from harness.errors import ConfigError

ExampleRows = list[dict[str, Any]]
MAX_EXAMPLES = 5  # rows shown per violated invariant: enough to see the pattern, short to read


def load(ctx: CheckContext, need: str) -> dict[str, Any]:
    """Return the parsed ``dbharness/<need>.toml``; SkipCheck when the schema has none."""
    path = ctx.schema.plugin(f"{need}.toml")
    if path is None:
        raise SkipCheck(f"the schema has no dbharness/{need}.toml")
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def entries(
    data: dict[str, Any], key: str, where: str, required: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Return the ``[[key]]`` tables of ``data``, each checked to hold the ``required`` keys."""
    items = data.get(key, [])
    if not isinstance(items, list):
        raise ConfigError(f"{where}: '{key}' must be an array of tables ([[{key}]])")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: {key}[{i}] must be a table")
        missing = [k for k in required if k not in item]
        if missing:
            label = item.get("name", i)
            raise ConfigError(f"{where}: {key}[{label}] lacks {', '.join(missing)}")
    return items


def jsonable(value: Any) -> Any:
    """Return ``value`` as something a JSON report can hold (uuid, dates, decimals as text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return str(value)
