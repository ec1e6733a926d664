"""Facts and after-commit effects: the one seam through which something that happened travels.

Each domain declares the facts it announces in its own ``signals.py`` with
``signals = namespace("<domain>")`` and one ``signals.signal("name", doc=...)`` per fact, each
with a docstring that says who sends it, with which sender and keyword arguments, and when.
Services send after they flush, inside the caller's transaction; receivers (notifications,
sockets, other domains) react in that same transaction and defer anything that must not happen
on rollback — a socket emit, a mail, a push, removing a file, closing sockets — with
``on_commit``.

``on_commit(fn)`` is the only after-commit queue of the application (Django's and Zulip's
``transaction.on_commit``): the functions run in order once the current transaction commits and
are dropped if it rolls back. ``on_rollback(fn)`` is its mirror, for undoing an effect that had
to happen before the commit (a photo written to disk before its row).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from blinker import NamedSignal, Namespace
from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from community.extensions import db

_ON_COMMIT = "terreau_on_commit"
_ON_ROLLBACK = "terreau_on_rollback"

_NAMESPACES: dict[str, Namespace] = {}


def namespace(domain: str) -> Namespace:
    """The signals namespace of `domain` (one per domain, so names never clash)."""
    return _NAMESPACES.setdefault(domain, Namespace())


def all_signals() -> dict[str, NamedSignal]:
    """Every declared signal, by ``domain.name`` (for documentation and tests)."""
    return {
        f"{domain}.{name}": sig
        for domain, space in _NAMESPACES.items()
        for name, sig in space.items()
    }


def on_commit(fn: Callable[[], Any], session: Session | None = None) -> None:
    """Run `fn()` once the current transaction commits; forget it if the transaction rolls back.

    Call it inside the transaction whose outcome it waits for (after a flush or a query).
    """
    _queue(session, _ON_COMMIT).append(fn)


def on_rollback(fn: Callable[[], Any], session: Session | None = None) -> None:
    """Run `fn()` if the current transaction rolls back; forget it once it commits."""
    _queue(session, _ON_ROLLBACK).append(fn)


def _queue(session: Session | None, key: str) -> list[Callable[[], Any]]:
    target = session if session is not None else db.session()
    queue: list[Callable[[], Any]] = target.info.setdefault(key, [])
    return queue


def _run(functions: list[Callable[[], Any]]) -> None:
    # One effect failing (a mail server down) must not stop the others: the change they report
    # is already stored.
    for fn in functions:
        try:
            fn()
        except Exception:
            if not has_app_context():
                raise
            current_app.logger.exception("an after-commit effect failed: %r", fn)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(_ON_ROLLBACK, None)
    _run(session.info.pop(_ON_COMMIT, []))


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    # Every rollback of the outermost transaction, even one that had not reached the database
    # yet: effects queued for it must not leak into the next transaction.
    if previous_transaction.parent is not None:
        return
    session.info.pop(_ON_COMMIT, None)
    _run(session.info.pop(_ON_ROLLBACK, []))
