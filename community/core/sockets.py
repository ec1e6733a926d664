"""Who is connected, and as whom: the socket registry and the acting member of every event.

Every Socket.IO handler of every domain asks `acting_member()` who acts: the socket's
credential (the session's nonce, or an API token) is checked again at each event, so a logout
everywhere or a revoked token ends it. The auth domain tells this module how to turn a
socket's credential back into a member (`member_resolver`); core knows no domain.

`event(name)` registers a handler that answers through its acknowledgement: ``{"ok": true,
…}`` or the error ack of a `DomainError` (`core/errors.py`). A member who may only read right
now (suspended from the platform, `core/standing.py`) gets the ``forbidden`` error ack for
every event but those marked `kept_while_suspended` (joining and leaving rooms: reading).

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

from community.core.cache import request_memo
from community.core.edge import has_control_characters, out_of_range, refused_characters
from community.core.errors import DomainError, Invalid, Unauthenticated, new_reference
from community.core.handlers import transaction
from community.core.inputs import load_input
from community.core.redis import call
from community.core.standing import kept_reason, require_standing
from community.extensions import db, socketio

if TYPE_CHECKING:
    from community.members.models import Member

Payload = dict[str, Any]

# sid → credential, for the sockets of this process (the source of truth for
# `disconnect_member` across processes is the Redis set below when REDIS_URL is set).
_LOCAL_SOCKETS: dict[str, SocketAuth] = {}
# sid → what a domain remembers for the socket's life (`socket_memo`), gone with the socket.
_LOCAL_MEMOS: dict[str, dict[Any, Any]] = {}
_LOCAL_GUARD = threading.Lock()
_RESOLVER: list[Callable[[SocketAuth], Member | None]] = []
# The key of `socket_memo` that says the socket's member was found in good standing.
_IN_GOOD_STANDING = "terreau:in-good-standing"
# name → the registered wrapper, for every event declared through `event()`.
_EVENTS: dict[str, Callable[..., Payload]] = {}


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
        _LOCAL_MEMOS.pop(sid, None)
    if auth is not None:
        call("socket registry", lambda client: client.hdel(_key(auth.member_id), sid))


def socket_auth(sid: str) -> SocketAuth | None:
    return _LOCAL_SOCKETS.get(sid)


def socket_memo(sid: str) -> dict[Any, Any] | None:
    """A dict a domain may keep things in for the life of this process's socket `sid` (None
    when the socket is not, or no longer, registered here): dropped when it disconnects —
    which every ended credential, suspension and erasure causes, in every process."""
    with _LOCAL_GUARD:
        if sid not in _LOCAL_SOCKETS:
            return None
        return _LOCAL_MEMOS.setdefault(sid, {})


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


def socket_member() -> Member | None:
    """The socket's member, or None when its credential no longer holds (or it has none):
    checked once per event (and again after a commit inside it)."""
    auth = socket_auth(request.sid)  # type: ignore[attr-defined]
    if auth is None or not _RESOLVER:
        return None
    resolve = _RESOLVER[0]
    member: Member | None = request_memo(("socket_member", auth), lambda: resolve(auth))
    return member


def acting_member() -> Member:
    """The socket's member, checked again at every event (a logout or a revoked token ends it)."""
    member = socket_member()
    if member is None:
        raise Unauthenticated(_("Please log in first."))
    return member


def registered_events() -> dict[str, Callable[..., Payload]]:
    """Every event declared through `event()`, by name (the standing walk reads them)."""
    return dict(_EVENTS)


def event(
    name: str, schema: Schema | None = None
) -> Callable[[Callable[[Payload], Payload | None]], Callable[..., Payload]]:
    """Register a handler that answers every event through its acknowledgement.

    With `schema` (the act's input schema, `core/inputs.py`), the payload is loaded by it
    first — the same messages as the API's and the page's — and the handler gets it loaded
    (fields the schema does not know are passed on as they came).

    Each event runs in one transaction (`core.handlers.transaction()`): committed when the
    handler returns, before the ``{"ok": true, …}`` ack; rolled back on any error, whose ack
    then answers. A member who may only read right now is refused first (`core/standing.py`),
    unless the handler is marked `kept_while_suspended`. A write to a thread commits earlier,
    inside the thread's write turn and before its broadcast leaves
    (`threads.use_cases.send_message`, `transaction()` inside `thread_sequence`): this commit
    then has nothing left to do.
    """

    def decorate(handler: Callable[[Payload], Payload | None]) -> Callable[..., Payload]:
        @functools.wraps(handler)
        def wrapped(data: Any = None, *_extra: Any) -> Payload:
            try:
                with transaction():
                    if kept_reason(wrapped) is None:
                        _require_socket_standing()
                    if not isinstance(data, dict):
                        raise Invalid(_("Some fields are not valid."))
                    if has_control_characters(data):
                        raise Invalid(refused_characters())
                    if out_of_range(data):
                        raise Invalid(
                            _("Some fields are not valid."),
                            {"_payload": [_("Control characters or numbers out of range.")]},
                        )
                    if schema is not None:
                        data = load_input(schema, data, unknown=INCLUDE)
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
        _EVENTS[name] = wrapped
        return wrapped

    return decorate


def _require_socket_standing() -> None:
    """Refuse the event of a member who may only read right now (`core/standing.py`).

    A socket found in good standing keeps that answer for its life: whatever ends a member's
    standing closes all their sockets, in every process (a suspension does: moderation's
    receiver of `member_suspended`), and a socket opened again is asked again. So a thread's
    messages keep their flat cost (`threads/live.py`); a refusal is never remembered (a
    suspension that ends lets the same socket act)."""
    memo = socket_memo(request.sid)  # type: ignore[attr-defined]
    if memo is not None and memo.get(_IN_GOOD_STANDING):
        return
    member = socket_member()
    require_standing(member)
    if memo is not None and member is not None:
        memo[_IN_GOOD_STANDING] = True


def _release() -> None:
    """Roll the event's transaction back (nothing half-written), whatever state it is in."""
    try:
        db.session.rollback()
    except Exception:
        current_app.logger.exception("rollback failed while answering a socket event")
