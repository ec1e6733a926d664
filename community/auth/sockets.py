"""Socket.IO connections: who may open one, and how a socket's credential finds its member.

A socket opens with the session cookie or an API token (`auth={"token": …}`); anonymous
sockets and foreign origins are refused at the handshake. Each socket joins its member's room
(`member:<id>`). At every event, `community.core.sockets.acting_member()` asks
`socket_member` below whether the credential still holds.
"""

from __future__ import annotations

from typing import Any

from flask import request
from sqlalchemy import bindparam, exists, false, select
from sqlalchemy.sql.elements import ColumnElement

from community.auth.models import ApiToken
from community.auth.services import member_for_token
from community.core.models import UTCDateTime, utcnow
from community.core.origins import origin_allowed
from community.core.permissions import current_member
from community.core.realtime import enter_room, member_room
from community.core.sockets import SocketAuth, forget_socket, member_resolver, register_socket
from community.extensions import db, socketio
from community.members.models import Member


@socketio.on("connect")
def on_connect(auth: Any = None) -> None:
    """Refuse anonymous connections and foreign origins; the member gets their own room."""
    if not origin_allowed(request.headers.get("Origin"), request.environ):
        raise ConnectionRefusedError("forbidden")
    token = auth.get("token") if isinstance(auth, dict) else None
    if token:
        found = member_for_token(str(token))
        if found is None:
            raise ConnectionRefusedError("unauthenticated")
        member, api_token = found
        socket = SocketAuth(member.id, token_hash=api_token.token_hash)
    else:
        session_member = current_member()
        if session_member is None:
            raise ConnectionRefusedError("unauthenticated")
        member = session_member
        socket = SocketAuth(member.id, session_nonce=member.session_nonce)
    register_socket(request.sid, socket)  # type: ignore[attr-defined]
    enter_room(member_room(member.id))


@socketio.on("disconnect")
def on_disconnect(*_args: Any) -> None:
    forget_socket(request.sid)  # type: ignore[attr-defined]


@member_resolver
def socket_member(auth: SocketAuth) -> Member | None:
    """The socket's member while its credential holds: the session's nonce unchanged (no
    logout since), the very API token it was opened with (same hash, same member) still
    valid. A row id would not do: a database may give a revoked token's id to a new one."""
    member = db.session.get(Member, auth.member_id)
    if member is None:
        return None
    if auth.session_nonce is not None and member.session_nonce != auth.session_nonce:
        return None
    if auth.session_nonce is None and auth.token_hash is None:
        return None
    if auth.token_hash is not None:
        token = db.session.execute(
            select(ApiToken).where(ApiToken.token_hash == auth.token_hash)
        ).scalar_one_or_none()
        if token is None or token.member_id != member.id or not token.is_valid(utcnow()):
            return None
    return member


_CONDITIONS: dict[str, ColumnElement[bool]] = {}


def _condition(kind: str) -> ColumnElement[bool]:
    """Built once per kind of credential, with bind parameters (see `credential_holds`)."""
    if kind not in _CONDITIONS:
        if kind == "session":
            _CONDITIONS[kind] = exists().where(
                Member.id == bindparam("credential_member"),
                Member.session_nonce == bindparam("credential"),
            )
        else:
            _CONDITIONS[kind] = exists().where(
                ApiToken.token_hash == bindparam("credential"),
                ApiToken.member_id == bindparam("credential_member"),
                ApiToken.expires_at > bindparam("credential_now", type_=UTCDateTime()),
            )
    return _CONDITIONS[kind]


def credential_holds(auth: SocketAuth) -> tuple[ColumnElement[bool], dict[str, Any]]:
    """`socket_member`'s check as an SQL condition and its values, for a statement that
    writes on the socket's behalf to test in passing (`threads.posting.store_message`): the
    credential still opens the member's account — the session nonce unchanged, the very API
    token unexpired — at that very statement."""
    if auth.session_nonce is not None:
        return _condition("session"), {
            "credential": auth.session_nonce,
            "credential_member": auth.member_id,
        }
    if auth.token_hash is None:
        return false(), {}
    return _condition("token"), {
        "credential": auth.token_hash,
        "credential_member": auth.member_id,
        "credential_now": utcnow(),
    }
