"""Test hosts on this machine: Linux network namespaces joined by veth pairs on a bridge.

Each host is a namespace of its own with one address on a private test network; the bridge
lives in a further "hub" namespace, so nothing changes in the machine's own network stack.
Everything made is removed when the context ends (deleting a namespace deletes its veth ends),
whatever happened; names carry a random suffix so that runs side by side do not meet.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

# RFC 2544's benchmarking range: addresses no real network uses, here only inside the namespaces.
NETWORK = "198.18.{net}.{host}"
PREFIX_LEN = 24


def available() -> str | None:
    """Return why namespaces cannot be made here (None when they can)."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None:
        return "iproute2 (ip) is not installed"
    return None


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True, timeout=30)


@dataclass(frozen=True)
class Hosts:
    """The namespaces made, by host name, and their addresses."""

    namespace: dict[str, str]
    address: dict[str, str]

    def run(self, host: str, cmd: list[str]) -> list[str]:
        """Return ``cmd`` prefixed to run inside ``host``'s namespace."""
        return ["ip", "netns", "exec", self.namespace[host], *cmd]


@contextmanager
def network_hosts(names: list[str]) -> Iterator[Hosts]:
    """Make one namespace per name, all on one bridged test network; remove them at exit."""
    why = available()
    if why:
        pytest.skip(why)
    tag = secrets.token_hex(3)
    net = int(tag[:2], 16) % 250 + 1  # a different /24 per run: runs side by side never meet
    hub = f"dbh-{tag}-hub"
    made: list[str] = []
    try:
        _ip("netns", "add", hub)
        made.append(hub)
        _ip("-n", hub, "link", "add", "br0", "type", "bridge")
        _ip("-n", hub, "link", "set", "br0", "up")
        namespace, address = {}, {}
        for i, name in enumerate(names, start=1):
            ns = f"dbh-{tag}-{name}"
            _ip("netns", "add", ns)
            made.append(ns)
            host_end, hub_end = f"v{tag}{i}a", f"v{tag}{i}b"
            _ip("link", "add", host_end, "netns", ns, "type", "veth", "peer", "name", hub_end,
                "netns", hub)
            _ip("-n", hub, "link", "set", hub_end, "master", "br0")
            _ip("-n", hub, "link", "set", hub_end, "up")
            addr = NETWORK.format(net=net, host=i)
            _ip("-n", ns, "addr", "add", f"{addr}/{PREFIX_LEN}", "dev", host_end)
            _ip("-n", ns, "link", "set", host_end, "up")
            _ip("-n", ns, "link", "set", "lo", "up")
            namespace[name], address[name] = ns, addr
        yield Hosts(namespace, address)
    finally:
        for ns in reversed(made):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=30)


def namespaces_left(tag_prefix: str = "dbh-") -> list[str]:
    """Return the namespaces whose name starts with ``tag_prefix`` (what a test may leave)."""
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, timeout=30)
    return [ln.split()[0] for ln in out.stdout.splitlines() if ln.startswith(tag_prefix)]
