"""Errors the CLI turns into one clear message and exit code 2 (usage or environment)."""

from __future__ import annotations


class HarnessError(Exception):
    """An error of usage, configuration or environment: reported without a traceback, exit 2."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class ConfigError(HarnessError):
    """A malformed configuration file or option."""


class ConnectionFailed(HarnessError):
    """The PostgreSQL server named by the DSN cannot be reached."""


class ServerBinariesMissing(HarnessError):
    """No PostgreSQL server binaries were found for the embedded cluster."""


class SchemaApplyError(HarnessError):
    """A schema file failed to apply; names the file, the statement and the server's error."""

    def __init__(
        self, file: str, statement: str, error: str, *, sqlstate: str | None = None
    ) -> None:
        short = " ".join(statement.split())
        if len(short) > 200:
            short = short[:200] + " ..."
        state = f" [{sqlstate}]" if sqlstate else ""
        super().__init__(
            f"schema failed to apply: {file}\n  statement: {short}\n  error{state}: {error}"
        )
        self.file = file
        self.statement = statement
        self.error = error
        self.sqlstate = sqlstate


class UnknownCheck(HarnessError):
    """A check ID or suite name that the registry does not know."""


class ToolMissing(HarnessError):
    """An external tool or server extension a check needs is not installed.

    Inside a check it makes the check's status ERROR (the run exits 2): a check that could not
    run must never look like a pass.
    """


class ToolFailed(HarnessError):
    """An external tool, or a check's own probe, failed in a way that leaves no verdict."""


class CheckSkipped(Exception):
    """Raised by a check that does not apply to this schema (nothing of the kind to judge).

    Not for a missing tool or extension: that is :class:`ToolMissing`, an error.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message if not hint else f"{message} ({hint})")
        self.hint = hint
