"""Rate limits counted by hand (messages, typing), degrading like Flask-Limiter's own.

Flask-Limiter's decorators fall back to memory when their storage (Redis) is unreachable
(`RATELIMIT_IN_MEMORY_FALLBACK_ENABLED`) and go back to it once it answers. `hit()` does the
same for the limits services count themselves: when the storage raises, the hit is counted in
this process's memory (each process then counts alone: the limit is per process for a while,
not off), the log says so once, and the storage is tried again after `RETRY_AFTER` seconds.
"""

from __future__ import annotations

import threading
import time

from flask import current_app
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from community.extensions import limiter

RETRY_AFTER = 5.0
_FALLBACK = FixedWindowRateLimiter(MemoryStorage())
_STATE = {"down_until": 0.0, "down": False}
_GUARD = threading.Lock()


def hit(limit: str, namespace: str, *identifiers: str) -> bool:
    """Count one hit of `limit` (Flask-Limiter notation) for `identifiers`; False when over."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    item = parse(limit)
    if time.monotonic() >= _STATE["down_until"]:
        try:
            allowed = limiter.limiter.hit(item, namespace, *identifiers)
        except Exception as error:
            with _GUARD:
                _STATE["down_until"] = time.monotonic() + RETRY_AFTER
                if not _STATE["down"]:
                    _STATE["down"] = True
                    current_app.logger.warning(
                        "degraded: rate-limit storage unreachable (%s); counting in memory", error
                    )
        else:
            if _STATE["down"]:
                _STATE["down"] = False
                current_app.logger.warning("recovered: rate-limit storage answers again")
            return allowed
    return _FALLBACK.hit(item, namespace, *identifiers)


def reset() -> None:
    """Forget the in-memory counts (tests)."""
    _FALLBACK.storage.reset()
    _STATE.update(down_until=0.0, down=False)
