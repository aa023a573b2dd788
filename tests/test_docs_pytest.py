"""docs/pytest.md runs as it is written: its files and commands, in a child pytest."""

from __future__ import annotations

import re
import shlex
import shutil
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from tests.support import TEST_DSN

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "pytest.md"
BLOCK = re.compile(r"```(?P<lang>python|sh)\n(?P<body>.*?)```", re.S)
LOAD_PLUGIN = (
    []
    if any(ep.value == "harness.plugin" for ep in entry_points(group="pytest11"))
    else ["-p", "harness.plugin"]
)


def doc_files_and_commands() -> tuple[dict[str, str], list[list[str]]]:
    files: dict[str, str] = {}
    commands: list[list[str]] = []
    for m in BLOCK.finditer(DOC.read_text(encoding="utf-8")):
        body = m["body"]
        if m["lang"] == "python":
            first = body.splitlines()[0]
            assert first.startswith("# ") and first.endswith(".py"), first
            files[first[2:]] = body
        else:
            args = shlex.split(body)
            assert args[0] == "pytest", body
            commands.append(args[1:])
    return files, commands


def test_the_doc_has_a_worked_example() -> None:
    files, commands = doc_files_and_commands()
    assert {"test_access.py", "conftest.py", "test_janitor.py"} <= set(files)
    assert len(commands) == 2


@pytest.mark.parametrize("index", [0, 1], ids=["dbh-fixtures", "pytest-postgresql"])
def test_doc_example_passes_as_written(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, index: int
) -> None:
    files, commands = doc_files_and_commands()
    for name, text in files.items():
        (pytester.path / name).write_text(text, encoding="utf-8")
    shutil.copytree(REPO / "schema", pytester.path / "schema",
                    ignore=shutil.ignore_patterns("dump.sql"))
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.setenv("DATABASE_URL", TEST_DSN)  # the doc's commands take the server from it
    args = commands[index]
    target = next(a for a in args if a.endswith(".py"))
    expected = files[target].count("\ndef test_")
    result = pytester.runpytest_subprocess(*LOAD_PLUGIN, *args, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=expected)
