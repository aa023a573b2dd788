"""Concurrent sessions refuse gevent's cooperative threads (locust imported in the process)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
if sys.argv[1] == "locust":
    import locust  # noqa: F401  (monkey-patches threading with gevent)
from harness.errors import HarnessError
from suites.integrity.sessions import require_real_threads
try:
    require_real_threads()
except HarnessError as exc:
    print("refused:", exc)
else:
    print("ok")
"""


def _probe(mode: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, mode], check=True, capture_output=True,
                          text=True)
    return done.stdout.strip().splitlines()[0]  # a HarnessError prints its hint below


def test_real_threads_pass() -> None:
    assert _probe("plain") == "ok"


def test_gevent_patched_threads_are_refused_with_the_reason() -> None:
    assert _probe("locust").startswith("refused: threading is monkey-patched by gevent")
