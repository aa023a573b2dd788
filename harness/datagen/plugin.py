"""Loading a schema's data generator plug-in (``dbharness/datagen.py``) by path."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, cast

import psycopg

from harness.errors import ConfigError
from harness.schema_dir import SchemaDir

PLUGIN_FILE = "datagen.py"

Progress = Callable[[str], None]


class GenerateFunc(Protocol):
    """``generate(conn, scale, seed, progress)``: fill the empty database behind ``conn``.

    ``conn`` is an autocommit superuser connection. The function returns facts worth keeping
    about the data (e.g. the "as of" instant its timestamps end at); they are stored in the
    dataset marker and read back by query catalogs.
    """

    def __call__(
        self, conn: psycopg.Connection[Any], scale: str, seed: int, progress: Progress
    ) -> Mapping[str, Any]:
        """Generate the data; return facts to record."""


@dataclass(frozen=True)
class DatagenPlugin:
    """A loaded generator plug-in: its function, the scales it knows and its source checksum."""

    path: Path
    generate: GenerateFunc
    scales: tuple[str, ...]
    checksum: str

    def check_scale(self, scale: str) -> None:
        """Refuse a scale the plug-in does not define, naming the ones it does."""
        if scale not in self.scales:
            raise ConfigError(
                f"{self.path}: unknown scale {scale!r}",
                hint=f"scales this generator defines: {', '.join(self.scales)}",
            )


def _import(path: Path) -> ModuleType:
    # A unique module name per file: two schemas' plug-ins may be loaded in one process.
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    name = f"dbharness_datagen_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ConfigError(f"cannot import the data generator {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def load_plugin(schema: SchemaDir) -> DatagenPlugin:
    """Load ``<schema>/dbharness/datagen.py``; a usage error when it is missing or malformed."""
    path = schema.plugin(PLUGIN_FILE)
    if path is None:
        raise ConfigError(
            f"{schema.root} has no dbharness/{PLUGIN_FILE}",
            hint="the schema provides its data generator: a module defining "
            "generate(conn, scale, seed, progress) and SCALES",
        )
    module = _import(path)
    func = getattr(module, "generate", None)
    scales = getattr(module, "SCALES", None)
    if not callable(func):
        raise ConfigError(f"{path} must define generate(conn, scale, seed, progress)")
    if not isinstance(scales, Mapping) or not scales:
        raise ConfigError(f"{path} must define SCALES, a mapping of scale name to sizes")
    checksum = hashlib.sha256(path.read_bytes()).hexdigest()
    return DatagenPlugin(path, cast(GenerateFunc, func), tuple(scales), checksum)
