"""What one role reads directly over the API: the yardstick of the embedding and count checks."""

from __future__ import annotations

import urllib.parse
from typing import Any

from harness.api_client import ApiClient
from harness.impersonate import Actor


class Reads:
    """The keys of every row a role reads with a plain ``GET /table``, cached per role and table.

    ``None`` means the read itself was refused (no privilege): then nothing is readable.
    """

    def __init__(self, client: ApiClient) -> None:
        self.client = client
        self._cache: dict[tuple[str, str, str], frozenset[str] | None] = {}

    def keys(self, label: str, actor: Actor, table: str, key: str) -> frozenset[str] | None:
        """Return the keys ``actor`` reads from ``table`` (None when refused)."""
        k = (label, table, key)
        if k not in self._cache:
            resp = self.client.request(
                "GET", f"/{urllib.parse.quote(table)}?select={urllib.parse.quote(key)}",
                actor=actor)
            self._cache[k] = (
                frozenset(str(r.get(key)) for r in resp.body)
                if resp.ok and isinstance(resp.body, list) else None
            )
        return self._cache[k]


def embedded_keys(body: Any, name: str, key: str) -> set[str]:
    """Collect ``key`` of every row embedded under ``name`` in a PostgREST response body."""
    out: set[str] = set()
    if not isinstance(body, list):
        return out
    for row in body:
        inner = row.get(name) if isinstance(row, dict) else None
        items = inner if isinstance(inner, list) else [inner] if isinstance(inner, dict) else []
        out.update(str(i.get(key)) for i in items if isinstance(i, dict))
    return out
