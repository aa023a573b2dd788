"""``dbharness load-worker``: a Locust worker of a distributed ``dbharness load`` run.

Run it on each machine that should generate load, pointing at the machine where
``dbharness load --expect-workers N --bind ADDRESS`` runs. The worker needs no database access
of its own beyond the pooler: the master sends it the pooler's address, the think time and how
many workers there are, and the worker reads the run's callers from the database, so every
worker acts as its own share of the same profiles. It exits when the master ends the run.
"""

from __future__ import annotations

import subprocess

import click

from harness.events import EXIT_ERROR, EXIT_OK
from load.pooler import find_binary
from load.runner import raise_fd_limit
from load.swarm import child_env, worker_command

FD_MARGIN = 1024


@click.command("load-worker")
@click.option("--master", "master_host", required=True, metavar="HOST",
              help="Address of the machine running `dbharness load --expect-workers`.")
@click.option("--master-port", type=click.IntRange(1, 65535), default=5557, show_default=True,
              help="The master's port.")
@click.option("--users", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="The most users this worker may be given (for the open-files limit).")
@click.option("--locust-bin", default="locust", show_default=True, help="locust executable.")
def command(master_host: str, master_port: int, users: int, locust_bin: str) -> int:
    """Run one Locust worker of a distributed load run until its master ends the run."""
    locust = find_binary(locust_bin, "locust", "pip install 'dbharness[load]' (locust) or pass "
                         "--locust-bin")
    raise_fd_limit(users + FD_MARGIN)
    click.echo(f"load-worker: connecting to the master at {master_host}:{master_port}",
               err=True)
    proc = subprocess.Popen(worker_command(locust, master_host, master_port), env=child_env())
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
        raise
    return EXIT_OK if code == 0 else EXIT_ERROR
