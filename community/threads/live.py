"""Posting grants: a socket's right to post in a thread, checked once and kept while it holds.

`message:send` must not pay for the whole posting check (membership, gardener, visibility,
suspensions: seven statements) at every message. The first message of a socket in a thread
checks it (`threads.posting.authorise_post`) and leaves a grant in the socket's memo
(`core.sockets.socket_memo`); the next ones use it while both hold:

- **the socket is in the thread's room.** Every right that ends takes the socket out of it,
  in whichever process holds the socket, through the message queue (`threads.readers`, which
  watches what the visibility layer reads): leaving, being refused or banned from a community,
  a gardener replaced (`revoke_rooms`), a community turned on-request, an initiative hidden, a
  thread moved (`reset_rooms`); a suspension, an erasure, an ended credential, a staff member
  no longer staff close the socket (`disconnect_member`), and its memo goes with it.
- **the socket has not joined the thread again since the grant was made.** A socket taken
  out of the room may join again if it may still read: joining again drops the grant
  (`joined`), so the next message checks the right afresh.

- **it is younger than `GRANT_SECONDS`.** Should a revocation from another process be lost
  (Redis down while it was sent), the right is checked again within a minute anyway.

What a grant does not cover is checked by the statement that allocates the `seq`, at every
message: the thread locked, its initiative hidden, and the socket's credential (its session
nonce, its API token unexpired — `auth.sockets.credential_holds`).
"""

from __future__ import annotations

import time

from flask_socketio import SocketIO

from community.core.realtime import thread_room
from community.core.sockets import socket_memo
from community.extensions import socketio

GRANT_SECONDS = 60.0
_TURN = "threads.join-turn"
_GRANT = "threads.grant"


def _in_room(server: SocketIO, sid: str, room: str) -> bool:
    participants = server.server.manager.rooms.get("/", {}).get(room)
    return participants is not None and sid in participants


def turn(sid: str, thread_id: int) -> int:
    """How many times this socket joined the thread: a grant is made for one turn."""
    memo = socket_memo(sid)
    return -1 if memo is None else memo.get((_TURN, thread_id), 0)


def joined(sid: str, thread_id: int) -> None:
    """The socket joins the thread (again): a new turn, its grant dropped."""
    memo = socket_memo(sid)
    if memo is not None:
        memo[(_TURN, thread_id)] = memo.get((_TURN, thread_id), 0) + 1
        memo.pop((_GRANT, thread_id), None)


def remember(sid: str, thread_id: int, member_id: int, at_turn: int) -> None:
    """Keep the right to post the socket's member was just found to have (checked during
    `at_turn`, which `turn` gave before the check)."""
    memo = socket_memo(sid)
    if memo is not None and at_turn >= 0:
        memo[(_GRANT, thread_id)] = (member_id, at_turn, time.monotonic())


def grant(sid: str, thread_id: int) -> int | None:
    """The member id the socket may post as in the thread, if its grant still holds."""
    memo = socket_memo(sid)
    if memo is None:
        return None
    kept = memo.get((_GRANT, thread_id))
    if kept is None:
        return None
    member_id, at_turn, made = kept
    if (
        at_turn != memo.get((_TURN, thread_id), 0)
        or time.monotonic() - made > GRANT_SECONDS
        or not _in_room(socketio, sid, thread_room(thread_id))
    ):
        memo.pop((_GRANT, thread_id), None)
        return None
    return int(member_id)
