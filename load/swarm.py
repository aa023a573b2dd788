"""Starting Locust: one process, a master with local workers, or a master alone.

A master alone waits for workers that run elsewhere (``dbharness load-worker``). Every process
started is stopped, whatever happens.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from harness.errors import HarnessError
from load.pooler import free_port, stop_group
from load.settings import LoadSettings

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
REPO_ROOT = Path(__file__).resolve().parent.parent
STARTUP_GRACE_S = 90
WORKER_WAIT_S = 60  # a master waits this long for its workers before it gives up
REMOTE_WORKER_WAIT_S = 600  # workers on other machines are started by hand: wait longer
WORKER_EXIT_S = 15  # a worker's own exit after the master's, before it is terminated


@dataclass(frozen=True)
class SwarmOptions:
    """What every Locust process of the run is told (the locustfile's ``--dbh-*`` options)."""

    dsn: str
    think: tuple[float, float]
    batched: bool
    workers: int
    latency_dir: Path

    def args(self) -> list[str]:
        """Return the locustfile's own command-line options."""
        out = ["--dbh-dsn", self.dsn, "--dbh-think", f"{self.think[0]},{self.think[1]}",
               "--dbh-workers", str(self.workers), "--dbh-latency-dir", str(self.latency_dir)]
        return out if self.batched else [*out, "--dbh-per-statement"]


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Return the environment of a Locust process: this one's, with the project importable."""
    env = {**os.environ, **(extra or {})}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    return env


@contextmanager
def started(
    cmd: list[str], log: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``cmd`` in a process group of its own, output to ``log``; stop the group at exit."""
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            cmd, env=child_env(env), stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        yield proc
    finally:
        stop_group(proc)


def worker_command(
    locust: str, master_host: str, master_port: int, locustfile: Path = LOCUSTFILE
) -> list[str]:
    """Return a Locust worker command of this project's locustfile, connecting to a master."""
    return [locust, "-f", str(locustfile), "--loglevel", "WARNING", "--worker",
            "--master-host", master_host, "--master-port", str(master_port)]


@dataclass
class Swarm:
    """The Locust processes of a run (their pids, for CPU accounting)."""

    master: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def pids(self) -> list[int]:
        """Pids of every Locust process this run started."""
        return [p.pid for p in ([self.master] if self.master else []) + self.workers]


def run_locust(
    s: LoadSettings, locust: str, opts: SwarmOptions | None, prefix: Path, logdir: Path,
    swarm: Swarm | None = None, *, locustfile: Path = LOCUSTFILE,
    env: dict[str, str] | None = None,
) -> int:
    """Run Locust headless; return the master's (or the single process's) exit code.

    One process when ``s.processes`` is 1; otherwise a master with ``s.processes`` local
    workers; with ``s.expect_workers`` a master alone, bound to ``s.bind``, waiting for workers
    started on other machines. ``swarm`` is filled with the processes as they start. Another
    ``locustfile`` (the HTTP users) takes its settings from ``env`` instead of ``opts``.
    """
    swarm = swarm if swarm is not None else Swarm()
    # INFO on the master: why a test stopped early ("worker went missing") is logged there
    common = ["-f", str(locustfile), "--loglevel", "INFO"]
    run = ["--headless", "-u", str(s.users), "-r", str(s.spawn_rate), "-t", f"{s.duration_s}s",
           "--csv", str(prefix), "--csv-full-history", "--only-summary", "--stop-timeout", "5",
           *(opts.args() if opts is not None else [])]
    wait_workers = REMOTE_WORKER_WAIT_S if s.distributed else WORKER_WAIT_S
    timeout = s.duration_s + s.users / max(s.spawn_rate, 0.1) + STARTUP_GRACE_S + (
        wait_workers if s.worker_count > 1 or s.distributed else 0)
    with ExitStack() as stack:
        if s.worker_count <= 1 and not s.distributed:
            swarm.master = stack.enter_context(
                started([locust, *common, *run], logdir / "locust.log", env))
        else:
            port = s.master_port if s.distributed else free_port()
            host = s.bind if s.distributed else "127.0.0.1"
            swarm.master = stack.enter_context(started(
                [locust, *common, *run, "--master", "--master-bind-host", host,
                 "--master-bind-port", str(port), "--expect-workers", str(s.worker_count),
                 "--expect-workers-max-wait", str(wait_workers)],
                logdir / "locust.log", env))
            if not s.distributed:
                swarm.workers = [stack.enter_context(started(
                    worker_command(locust, "127.0.0.1", port, locustfile),
                    logdir / f"locust-worker{i}.log", env))
                    for i in range(s.processes)]
        try:
            code = swarm.master.wait(timeout)
        except subprocess.TimeoutExpired:
            raise HarnessError(
                f"Locust did not finish within {timeout:.0f} s; see {logdir}/locust*.log"
            ) from None
        # Workers quit on the master's word after sending their latency (test_stop): let them,
        # rather than cut them off with the process group's TERM.
        for w in swarm.workers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                w.wait(WORKER_EXIT_S)
        return code
