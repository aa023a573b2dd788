"""Where the performance checks find their data: the scratch database, or a clone they fill.

The dataset is expensive (seconds at "ci", a minute or two at "full"), so it is built once per
run, scale and seed and shared by every check of the suite.
"""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from typing import Any

from harness.context import CheckContext
from harness.datagen import dataset_info, generate_dataset

_DATASETS: dict[tuple[str, str, int], str] = {}
_CLONES = ExitStack()
atexit.register(_CLONES.close)  # a workspace drops its clones first; this is the fallback


def options(ctx: CheckContext) -> dict[str, Any]:
    """Return the ``[tool.dbharness.options.performance]`` table (empty when not configured)."""
    opts = ctx.config.options.get("performance", {})
    return opts if isinstance(opts, dict) else {}


def dataset_dsn(ctx: CheckContext, scale: str | None = None) -> str:
    """Return the DSN of a database holding the generated dataset at ``scale`` (config default).

    The scratch database is used when it already holds that scale and seed (e.g. prepared by
    ``dbharness bench``); otherwise a clone of the schema template is generated into, once.
    """
    scale = scale or ctx.config.scale
    with ctx.connect() as conn:
        info = dataset_info(conn)
    if info is not None and info.scale == scale and info.seed == ctx.seed:
        return ctx.dsn
    key = (ctx.dsn, scale, ctx.seed)
    if key not in _DATASETS:
        dsn: str = _CLONES.enter_context(ctx.clone())
        ctx.progress(f"generating the {scale} dataset (seed {ctx.seed})")
        done = generate_dataset(dsn, ctx.schema, scale, ctx.seed, ctx.progress)
        ctx.progress(f"{scale} dataset generated in {done.seconds:.1f}s")
        _DATASETS[key] = dsn
    return _DATASETS[key]
