"""Rate limits counted by hand (messages, typing), degrading like Flask-Limiter's own.

Flask-Limiter's decorators fall back to memory when their storage (Redis) is unreachable
(`RATELIMIT_IN_MEMORY_FALLBACK_ENABLED`) and go back to it once it answers. `hit()` does the
same for the limits services count themselves: when the storage raises, the hit is counted in
this process's memory (each process then counts alone: the limit is per process for a while,
not off), the log says so once, and the storage is tried again after `RETRY_AFTER` seconds.

Every limit on mails sent to an address counts per *mailbox* (`mailbox_key`), not per
spelling: "a+1@x.fr", "a+2@x.fr" and "A@X.FR" reach one inbox, and each had its own
allowance (the account doors' `ACCOUNT_MAIL_RATE_LIMIT`, the guests' `GUEST_MAIL_RATE_LIMIT`).
"""

from __future__ import annotations

import hashlib
import threading
import time

from flask import current_app
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from community.extensions import limiter

RETRY_AFTER = 5.0
# Providers where dots in the local part are ignored, and the address they all reach.
_DOTLESS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
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


def mailbox(address: str) -> str:
    """The inbox `address` reaches, as the mail rate limits count it: lower-cased, without
    the `+tag` of its local part, and at Gmail without the dots of its local part
    ("A.B+news@GoogleMail.com" → "ab@gmail.com"). Not an address to write to."""
    text = (address or "").strip().casefold()
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    domain = domain.rstrip(".")
    local = local.split("+", 1)[0]
    if domain in _DOTLESS:
        local, domain = local.replace(".", ""), _DOTLESS[domain]
    return f"{local}@{domain}"


def mailbox_key(address: str) -> str:
    """The rate-limit key of the inbox `address` reaches (hashed: no address in the storage)."""
    return hashlib.sha256(mailbox(address).encode()).hexdigest()[:32]
