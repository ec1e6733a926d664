"""Who is connected, and as whom: the socket registry and the acting member of every event.

Every Socket.IO handler of every domain asks `acting_member()` who acts: the socket's
credential (the session's nonce, or an API token) is checked again at each event, so a logout
everywhere or a revoked token ends it. The auth domain tells this module how to turn a
socket's credential back into a member (`member_resolver`); core knows no domain.

`event(name)` registers a handler that answers through its acknowledgement: ``{"ok": true,
…}`` or the error ack of a `DomainError` (`core/errors.py`).

The registry keeps, for each socket, its member and the credential it was opened with (the
session nonce or the token's hash), in this process and, with `REDIS_URL`, in Redis (a hash
per member). `disconnect_member(member_id, …)` closes a member's sockets in every process —
all of them, or those of one credential; `revoke_rooms` and `reset_rooms` take sockets out of
rooms when a right ends. Redis down: the registry works for this process and says so once in
the log (`core/redis.py`).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import current_app, request
from flask_babel import gettext as _
from marshmallow import INCLUDE, Schema

from community.core.edge import has_control_characters, out_of_range
from community.core.errors import DomainError, Invalid, Unauthenticated, new_reference
from community.core.handlers import transaction
from community.core.inputs import load_input
from community.core.redis import call
from community.extensions import db, socketio

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
    """Who opened a socket, and with what credential: the session's nonce, or the SHA-256 of
    the API token — never a row id, which a database may give again to another token."""

    member_id: int
    session_nonce: str | None = None
    token_hash: str | None = None

    def encode(self) -> str:
        return f"s:{self.session_nonce}" if self.session_nonce else f"t:{self.token_hash}"

    @classmethod
    def decode(cls, member_id: int, value: str) -> SocketAuth:
        kind, _, credential = value.partition(":")
        if kind == "s":
            return cls(member_id, session_nonce=credential)
        return cls(member_id, token_hash=credential)


def _key(member_id: int) -> str:
    return f"terreau:sockets:{member_id}"


def register_socket(sid: str, auth: SocketAuth) -> None:
    with _LOCAL_GUARD:
        _LOCAL_SOCKETS[sid] = auth
    call("socket registry", lambda client: client.hset(_key(auth.member_id), sid, auth.encode()))


def forget_socket(sid: str) -> None:
    with _LOCAL_GUARD:
        auth = _LOCAL_SOCKETS.pop(sid, None)
    if auth is not None:
        call("socket registry", lambda client: client.hdel(_key(auth.member_id), sid))


def socket_auth(sid: str) -> SocketAuth | None:
    return _LOCAL_SOCKETS.get(sid)


def sockets_of(member_id: int) -> dict[str, SocketAuth]:
    """Every socket of the member, in every process (this one's, plus Redis's registry)."""
    found = {sid: auth for sid, auth in list(_LOCAL_SOCKETS.items()) if auth.member_id == member_id}
    shared = call("socket registry", lambda client: client.hgetall(_key(member_id)), {}) or {}
    for sid, value in shared.items():
        found.setdefault(sid.decode(), SocketAuth.decode(member_id, value.decode()))
    return found


def disconnect_member(
    member_id: int,
    session_nonce: str | None = None,
    token_hashes: Iterable[str] | None = None,
) -> None:
    """Close sockets of the member in every process: all of them (a suspension, an erasure),
    or only those opened with the given session nonce or API tokens (a logout, a password
    reset, a revoked token). With a message queue, python-socketio forwards the disconnect to
    the process that holds the socket."""
    everything = session_nonce is None and token_hashes is None
    hashes = set(token_hashes or ())
    for sid, auth in sockets_of(member_id).items():
        if everything or (
            (session_nonce is not None and auth.session_nonce == session_nonce)
            or (auth.token_hash is not None and auth.token_hash in hashes)
        ):
            socketio.server.disconnect(sid, namespace="/")
            if sid not in _LOCAL_SOCKETS:  # another process's: its own disconnect forgets it
                _forget_shared(member_id, sid)


def _forget_shared(member_id: int, sid: str) -> None:
    call("socket registry", lambda client: client.hdel(_key(member_id), sid))


def revoke_rooms(member_id: int, rooms: Iterable[str]) -> None:
    """The member's sockets leave `rooms`, in every process, and are told so
    (``rooms:revoked``): the page joins again, and the right is checked again."""
    rooms = list(rooms)
    if not rooms:
        return
    for sid in sockets_of(member_id):
        for room in rooms:
            socketio.server.leave_room(sid, room, namespace="/")
    socketio.emit("rooms:revoked", {"rooms": rooms}, to=f"member:{member_id}")


def reset_rooms(rooms: Iterable[str]) -> None:
    """Every socket leaves `rooms` in every process, told first (``rooms:revoked``): those
    who still may read join again (a community turned on-request keeps its members only)."""
    for room in rooms:
        socketio.emit("rooms:revoked", {"rooms": [room]}, to=room)
        socketio.server.close_room(room, namespace="/")


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


def event(
    name: str, schema: Schema | None = None
) -> Callable[[Callable[[Payload], Payload | None]], Callable[..., Payload]]:
    """Register a handler that answers every event through its acknowledgement.

    With `schema` (the act's input schema, `core/inputs.py`), the payload is loaded by it
    first — the same messages as the API's and the page's — and the handler gets it loaded
    (fields the schema does not know are passed on as they came).

    Each event runs in one transaction (`core.handlers.transaction()`): committed when the
    handler returns, before the ``{"ok": true, …}`` ack; rolled back on any error, whose ack
    then answers. A write to a thread commits earlier, inside the thread's write turn and
    before its broadcast leaves (`threads.use_cases.send_message`, `transaction()` inside
    `thread_sequence`): this commit then has nothing left to do.
    """

    def decorate(handler: Callable[[Payload], Payload | None]) -> Callable[..., Payload]:
        @functools.wraps(handler)
        def wrapped(data: Any = None, *_extra: Any) -> Payload:
            try:
                if not isinstance(data, dict):
                    raise Invalid(_("Some fields are not valid."))
                if has_control_characters(data) or out_of_range(data):
                    raise Invalid(
                        _("Some fields are not valid."),
                        {"_payload": [_("Control characters or numbers out of range.")]},
                    )
                if schema is not None:
                    data = load_input(schema, data, unknown=INCLUDE)
                with transaction():
                    answer = handler(data) or {}
                return {"ok": True, **answer}
            except DomainError as error:
                return error.ack()  # rolled back by `transaction()`
            except Exception:
                # Any other failure still answers: the page must not wait forever. The log has
                # the details under a reference the person can quote. Roll back first: the
                # answer must not meet a broken session (an aborted PostgreSQL transaction).
                _release()
                reference = new_reference()
                current_app.logger.exception("socket event %s failed [ref %s]", name, reference)
                return {
                    "ok": False,
                    "error": {
                        "code": "server_error",
                        "message": _(
                            "Something went wrong on our side (reference %(ref)s).",
                            ref=reference,
                        ),
                        "reference": reference,
                    },
                }

        socketio.on_event(name, wrapped)
        return wrapped

    return decorate


def _release() -> None:
    """Roll the event's transaction back (nothing half-written), whatever state it is in."""
    try:
        db.session.rollback()
    except Exception:
        current_app.logger.exception("rollback failed while answering a socket event")
