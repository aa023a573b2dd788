"""What ``dbharness gate`` learned about effective access: base, head and the committed file.

The front end records the base and the head (each on a fresh build with its seed data) and
reads the head's committed snapshot; the checks ACC001 and ACC002 (``suites/gate``) turn this
into findings. A change of access is *approved* when the committed snapshot already shows it:
the author re-recorded, the reviewer saw the lines change in the pull request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.access.effective import AccessRecord, Change, diff, differences

OPTION_KEY = "access"  # config.options key holding the AccessDrift
ACC_CHANGED = "ACC001"  # base and head differ
ACC_STALE = "ACC002"  # the committed snapshot differs from head
RECORD_COMMAND = "dbharness access record"


@dataclass
class AccessDrift:
    """The recordings the gate compares; ``skipped`` says why a comparison was not made."""

    head: AccessRecord | None = None
    base: AccessRecord | None = None
    committed: AccessRecord | None = None  # the head's dbharness/access-snapshot.toml
    committed_path: str = ""  # as the user should read it (repository-relative)
    skipped: dict[str, str] = field(default_factory=dict)  # check ID -> why
    timings: dict[str, float] = field(default_factory=dict)

    def changes(self) -> list[Change]:
        """Return what differs between base and head (nothing when one is missing)."""
        if self.base is None or self.head is None:
            return []
        return diff(self.base, self.head)

    def approved(self, change: Change) -> bool:
        """Tell whether the committed snapshot already records the head's outcome."""
        if self.committed is None:
            return False
        key = (change.target, change.who, change.command)
        return self.committed.entries().get(key) == change.after

    def stale(self) -> list[Change]:
        """Return where the committed snapshot disagrees with the head's effective access."""
        if self.committed is None or self.head is None:
            return []
        return differences(self.committed, self.head)
