"""Short-lived, per-process caches for figures that many requests read and few change (issue 17).

A `TTLCache` keeps each value for `seconds` (read from the app's config at each call, so a test
or a deployment can set it to 0: then nothing is kept) and forgets everything on `clear()`.
What is cached, for how long and what it may show late is written where each cache is
declared; the list is in the README's performance section. Values must not be ORM objects
that lazy-load later (they outlive their session): plain data, or objects fully loaded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app

_CACHES: list[TTLCache] = []


class TTLCache:
    def __init__(self, setting: str, *, size: int = 64) -> None:
        self.setting = setting  # the config key giving the lifetime in seconds
        self.size = size
        self._values: dict[Hashable, tuple[float, Any]] = {}
        _CACHES.append(self)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        seconds = float(current_app.config.get(self.setting, 0) or 0)
        if seconds <= 0:
            return compute()
        now = time.monotonic()
        found = self._values.get(key)
        if found is not None and found[0] > now:
            return found[1]
        value = compute()
        if len(self._values) >= self.size:
            self._values = {k: v for k, v in self._values.items() if v[0] > now}
            if len(self._values) >= self.size:
                self._values.clear()
        self._values[key] = (now + seconds, value)
        return value

    def clear(self) -> None:
        self._values.clear()


def clear_all() -> None:
    """Forget every cached value (tests, and whatever must show at once)."""
    for cache in _CACHES:
        cache.clear()
