"""Point a catalog finding at the change that made it: a line of a new migration.

The catalog says *what* got weaker, not which statement did it (it may be a DO block, dynamic
SQL or a function the migration called). The best place to show is in the new migrations:
the statement that names the object (parsed with pglast, as the object locator does), else
the first line that mentions its name (a string a DO block formats into SQL), else the first
new migration. Without new migrations the runner's locator places the finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pglast import parse_sql
from pglast.parser import ParseError

from harness.migrate import split_statements
from harness.schema_index import objects_of

_ARGS = re.compile(r"\s*\(.*\)$")


def _last_identifier(name: str) -> str:
    return _ARGS.sub("", name).rsplit(".", 1)[-1].strip('"')


@dataclass
class ChangeLocator:
    """Where in the new migrations an object was touched."""

    files: list[Path]
    display: dict[Path, str]
    _index: dict[str, tuple[Path, int]] = field(default_factory=dict, init=False)
    _lines: dict[Path, list[str]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for path in self.files:
            text = path.read_text(encoding="utf-8")
            self._lines[path] = text.splitlines()
            for stmt in split_statements(text):
                try:
                    parsed = parse_sql(stmt.text)
                except ParseError:
                    continue
                for raw in parsed:
                    if raw.stmt is not None:
                        for name in objects_of(raw.stmt):
                            self._index[name] = (path, stmt.line)

    def locate(self, obj: str, table: str | None = None) -> tuple[str, int] | None:
        """Return the file (as displayed) and line for ``obj``; None without new migrations."""
        if not self.files:
            return None
        for name in (obj, table):
            if name:
                hit = self._index.get(_ARGS.sub("", name).replace('"', "").lower())
                if hit:
                    return self.display.get(hit[0], str(hit[0])), hit[1]
        for name in (obj, table):
            if not name:
                continue
            word = re.compile(rf"\b{re.escape(_last_identifier(name))}\b", re.IGNORECASE)
            for path, lines in self._lines.items():
                for i, line in enumerate(lines, 1):
                    if word.search(line) and not line.lstrip().startswith("--"):
                        return self.display.get(path, str(path)), i
        first = self.files[0]
        statements = split_statements(first.read_text(encoding="utf-8"))
        return self.display.get(first, str(first)), statements[0].line if statements else 1
