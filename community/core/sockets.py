"""Who is connected, and as whom: the socket registry and the acting member of every event.

Every Socket.IO handler of every domain asks `acting_member()` who acts: the socket's
credential (the session's nonce, or an API token) is checked again at each event, so a logout
everywhere or a revoked token ends it. The auth domain tells this module how to turn a
socket's credential back into a member (`member_resolver`); core knows no domain.

`event(name)` registers a handler that answers through its acknowledgement: ``{"ok": true,
…}`` or the error ack of a `DomainError` (`core/errors.py`).

`disconnect_member(member_id)` closes every socket of a member in every process (a logout, a
suspension, an erasure); the registry lives in this process and, with `REDIS_URL`, in Redis.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import request
from flask_babel import gettext as _

from community.core.errors import DomainError, Invalid, Unauthenticated
from community.core.redis import redis_client
from community.extensions import socketio

if TYPE_CHECKING:
    from community.members.models import Member

Payload = dict[str, Any]

# sid → credential, for the sockets of this process (the source of truth for
# `disconnect_member` across processes is the Redis set below when REDIS_URL is set).
_LOCAL_SOCKETS: dict[str, SocketAuth] = {}
_LOCAL_GUARD = threading.Lock()
_RESOLVER: list[Callable[[SocketAuth], Member | None]] = []


@dataclass(frozen=True)
class SocketAuth:
    """Who opened a socket, and with what: the session's nonce or an API token's id."""

    member_id: int
    session_nonce: str | None = None
    token_id: int | None = None


def register_socket(sid: str, auth: SocketAuth) -> None:
    with _LOCAL_GUARD:
        _LOCAL_SOCKETS[sid] = auth
    client = redis_client()
    if client is not None:
        client.sadd(f"terreau:sockets:{auth.member_id}", sid)


def forget_socket(sid: str) -> None:
    with _LOCAL_GUARD:
        auth = _LOCAL_SOCKETS.pop(sid, None)
    client = redis_client()
    if client is not None and auth is not None:
        client.srem(f"terreau:sockets:{auth.member_id}", sid)


def socket_auth(sid: str) -> SocketAuth | None:
    return _LOCAL_SOCKETS.get(sid)


def disconnect_member(member_id: int) -> None:
    """Close every socket of the member, in every process (logout, suspension)."""
    sids = {sid for sid, auth in list(_LOCAL_SOCKETS.items()) if auth.member_id == member_id}
    client = redis_client()
    if client is not None:
        key = f"terreau:sockets:{member_id}"
        sids |= {sid.decode() for sid in client.smembers(key)}
        client.delete(key)
    for sid in sids:
        # With a message queue, python-socketio forwards the disconnect to the owning process.
        socketio.server.disconnect(sid, namespace="/")


def member_resolver(
    fn: Callable[[SocketAuth], Member | None],
) -> Callable[[SocketAuth], Member | None]:
    """Register the function that turns a socket's credential into its member, or None when
    the credential no longer holds (the auth domain does, as Flask-Login's `user_loader`)."""
    _RESOLVER[:] = [fn]
    return fn


def acting_member() -> Member:
    """The socket's member, checked again at every event (a logout or a revoked token ends it)."""
    auth = socket_auth(request.sid)  # type: ignore[attr-defined]
    member = _RESOLVER[0](auth) if auth is not None and _RESOLVER else None
    if member is None:
        raise Unauthenticated(_("Please log in first."))
    return member


def event(name: str) -> Callable[[Callable[[Payload], Payload | None]], Callable[..., Payload]]:
    """Register a handler that answers every event through its acknowledgement."""

    def decorate(handler: Callable[[Payload], Payload | None]) -> Callable[..., Payload]:
        @functools.wraps(handler)
        def wrapped(data: Any = None, *_extra: Any) -> Payload:
            try:
                if not isinstance(data, dict):
                    raise Invalid(_("Some fields are not valid."))
                return {"ok": True, **(handler(data) or {})}
            except DomainError as error:
                return error.ack()

        socketio.on_event(name, wrapped)
        return wrapped

    return decorate
