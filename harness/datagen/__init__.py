"""Deterministic bulk data for performance work.

The harness owns the mechanics (a fresh database, a loader session that skips triggers, COPY
and parallel server-side statements, deferred index builds, ANALYZE, a marker recording what was
generated); the schema owns the content, as a plug-in ``dbharness/datagen.py`` defining
``generate(conn, scale, seed, progress)``. Another schema brings its own plug-in.
"""

from harness.datagen.plugin import DatagenPlugin, load_plugin
from harness.datagen.run import DatasetInfo, dataset_info, generate_dataset

__all__ = ["DatagenPlugin", "DatasetInfo", "dataset_info", "generate_dataset", "load_plugin"]
