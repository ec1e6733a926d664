"""The header's badges ("à faire", the bell, the moderation entry), in one place (issue 17).

Every page's header shows them to a member; each domain registers what it counts with
`@badge("name")` (the core imports no domain). `badges(member)` computes them all once per
request (`g`), and keeps them per member for `HEADER_CACHE_SECONDS` (10; 0 = never) in this
process. The kept values are dropped:

- at once when this process commits any change (the key holds `cache.write_generation()`):
  a gardener who has just answered a report, or a member who has read a notification, sees
  the badge drop on the next page;
- at once, in any process, when the member's own request wrote something: that request
  stamps the member's session (`_SESSION_KEY`), and the stamp is part of the key;
- otherwise, for what another process committed (someone else's new report, a notification
  sent by another process), at most `HEADER_CACHE_SECONDS` later. The bell follows new
  notifications live anyway.

While the request's own session holds a change not yet committed, nothing is kept or read.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flask import g, has_request_context, session

from community.core.cache import (
    TTLCache,
    after_writing_commit,
    session_has_written,
    write_generation,
)

_SESSION_KEY = "_w"
_BADGES: dict[str, Callable[[Any], Any]] = {}
_cache = TTLCache("HEADER_CACHE_SECONDS", size=1024)


def badge(name: str) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
    """Register `fn(member)` as the header's badge `name` (a count, a flag)."""

    def register(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
        _BADGES[name] = fn
        return fn

    return register


def _compute(member: Any) -> dict[str, Any]:
    return {name: fn(member) for name, fn in _BADGES.items()}


def badges(member: Any) -> dict[str, Any]:
    """Every badge of `member`'s header, computed once per request (see the module's doc)."""
    if member is None:
        return {}
    if session_has_written():
        return _compute(member)
    memo = g.get("_terreau_badges") if has_request_context() else None
    if memo is not None and memo[0] == member.id:
        found: dict[str, Any] = memo[1]
        return found
    stamp = session.get(_SESSION_KEY) if has_request_context() else None
    key = (member.id, write_generation(), stamp)
    values: dict[str, Any] = _cache.get(key, lambda: _compute(member))
    if has_request_context():
        g._terreau_badges = (member.id, values)
    return values


def forget() -> None:
    """Drop every kept badge (tests)."""
    _cache.clear()


@after_writing_commit
def _stamp_member_session() -> None:
    """A member's request that wrote stamps her session: her next page, in any process, does
    not read badges kept from before."""
    if has_request_context():
        g.pop("_terreau_badges", None)
    # Only a session that carries a login (not an API token's request, not a visitor's).
    if has_request_context() and "_user_id" in session:
        session[_SESSION_KEY] = time.time_ns() % 1_000_000_007
