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

from flask import current_app, g
from sqlalchemy import TextClause, event
from sqlalchemy.orm import Session

from community.extensions import db

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


# --- a memo for one request ---------------------------------------------------------------
#
# What a page asks several times (is the member suspended? banned from this community?) is
# looked up once per request (`g`), and forgotten as soon as the session writes (a flush, or
# a statement that writes: see `_mark_statement`), commits or rolls back, or holds a change it
# has not flushed yet (a query would have flushed it first).


def request_memo(key: Hashable, compute: Callable[[], Any]) -> Any:
    session = db.session()
    if not g or session.new or session.deleted or session.dirty:  # a change not flushed yet
        return compute()
    memo = g.get("_terreau_memo")
    if memo is None:
        memo = g._terreau_memo = {}
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget_request_memo(*_args: Any) -> None:
    if g:
        g.pop("_terreau_memo", None)


for _name in ("after_flush", "after_commit", "after_rollback", "after_soft_rollback"):
    event.listen(Session, _name, forget_request_memo)


# --- what this process has committed ------------------------------------------------------
#
# A generation counter, bumped after each commit that wrote something (an ORM flush or a
# statement other than a SELECT): the caches below key on it, so that whatever this process
# commits shows at once in its own pages. Another process sees it when its own entries expire
# (their TTL). A session that has written and not committed yet bypasses those caches (the
# page must show its own change).

_WROTE = "terreau_wrote"
_generation = 0
_after_write: list[Callable[[], None]] = []


def write_generation() -> int:
    """How many writing commits this process has made (caches key on it)."""
    return _generation


def session_has_written(session: Session | None = None) -> bool:
    """Whether the session holds a change, flushed or not, that it has not committed yet."""
    session = session if session is not None else db.session()
    return bool(session.info.get(_WROTE) or session.new or session.deleted or session.dirty)


def after_writing_commit(fn: Callable[[], None]) -> Callable[[], None]:
    """Call `fn()` after each commit that wrote (in the committing context)."""
    _after_write.append(fn)
    return fn


def _mark_written(session: Session, *_args: Any) -> None:
    session.info[_WROTE] = True


def _mark_statement(state: Any) -> None:
    if state.is_select:
        return
    statement = state.statement
    if isinstance(statement, TextClause) and statement.text.lstrip()[:6].upper() == "SELECT":
        return  # a textual read (the health check's SELECT 1, the search's MATCH)
    state.session.info[_WROTE] = True
    # A statement that writes is no flush: what the request's memo holds may be gone with it
    # (a mandate ended by an UPDATE, memberships deleted by the database's cascade).
    forget_request_memo()


def _committed(session: Session) -> None:
    global _generation
    if session.info.pop(_WROTE, False):
        _generation += 1
        for fn in _after_write:
            fn()


def _rolled_back(session: Session, *_args: Any) -> None:
    session.info.pop(_WROTE, None)


event.listen(Session, "after_flush", _mark_written)
event.listen(Session, "do_orm_execute", _mark_statement)
event.listen(Session, "after_commit", _committed)
event.listen(Session, "after_rollback", _rolled_back)
