"""Socket.IO handlers of the real-time protocol (DESIGN.md, "Real-time protocol").

Each handler: load → authorise (the shared predicates) → one service → commit once → the
broadcast leaves after commit → acknowledge `{"ok": true, …}` or the error ack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from flask_socketio import leave_room

from community.auth.sockets import credential_holds
from community.core.database import begin_write
from community.core.edge import INT_MAX
from community.core.errors import Invalid, NotFound, RateLimited
from community.core.handlers import transaction
from community.core.permissions import require
from community.core.ratelimit import hit
from community.core.realtime import enter_room, thread_room
from community.core.sockets import Payload, acting_member, event, socket_auth
from community.core.standing import kept_while_suspended
from community.extensions import db, socketio
from community.members.models import Member
from community.moderation.suspensions import posting_refusal
from community.threads import live, posting, reading, services
from community.threads.permissions import (
    can_edit_message,
    can_moderate_message,
    can_moderate_thread,
    can_post_in_thread,
    can_see_hidden,
    is_author,
)
from community.threads.realtime import (
    broadcast_updated,
    moderators_room,
    thread_sequence,
)
from community.threads.schemas import (
    MessageEditInput,
    MessageInput,
    ReadInput,
    ReasonInput,
    message_payload,
)
from community.threads.use_cases import send_message


def _id(data: Payload, key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= INT_MAX:
        raise Invalid(_("Some fields are not valid."), {key: [_("An integer is expected.")]})
    return value


def _slow_down_over(setting: str, namespace: str, *identifiers: str) -> None:
    """Count one hit of the limit `setting` names; over it, the error ack `rate_limited`."""
    if not hit(current_app.config[setting], namespace, *identifiers):
        raise RateLimited(_("Slow down a little."))


@event("thread:join")
@kept_while_suspended("reading a thread live (and her own read marker)")
def on_join(data: Payload) -> Payload:
    """Enter the thread's room and get what was missed since `after_seq`; it counts as read
    unless `read` is false (a page in the background: `thread:read` follows when it shows)."""
    thread_id = _id(data, "thread_id")
    read = data.get("read", True)
    if not isinstance(read, bool):
        raise Invalid(_("Some fields are not valid."), {"read": [_("True or false is expected.")]})
    after_seq = data.get("after_seq", 0)
    if after_seq is None:
        after_seq = 0
    if (
        not isinstance(after_seq, int)
        or isinstance(after_seq, bool)
        or not 0 <= after_seq <= INT_MAX
    ):
        raise Invalid(
            _("Some fields are not valid."), {"after_seq": [_("A positive integer is expected.")]}
        )
    # Counted before anything is read: a join opens a writer's transaction (on SQLite, the
    # database's one write lock), so a client joining without end is slowed, whatever it asks.
    _slow_down_over("JOIN_RATE_LIMIT", "thread-join", str(acting_member().id))
    begin_write()
    member = acting_member()
    thread = services.get_thread(member, thread_id)  # NotFound unless she may read it
    live.joined(request.sid, thread.id)  # type: ignore[attr-defined]  # rights checked again
    # Enter the room before reading: whatever commits from now on is broadcast to this socket,
    # whatever committed before is in the answer (a message in both is dropped by its id).
    if not enter_room(thread_room(thread.id)):
        raise NotFound(_("This connection has closed."))
    moderator = can_moderate_thread(member, thread)
    if moderator:
        enter_room(moderators_room(thread.id))
    db.session.refresh(thread)
    messages, more = services.messages_after(thread, after_seq)
    payload = {
        "thread_id": thread.id,
        "last_seq": thread.last_seq,
        "messages": [
            message_payload(m, reveal=moderator or is_author(member, m)) for m in messages
        ],
        "more": more,
    }
    if messages and read:
        reading.mark_read(member, thread, messages[-1].seq)
    return payload


@event("thread:read", schema=ReadInput())
@kept_while_suspended("reading a thread live (her own read marker)")
def on_read(data: Payload) -> Payload:
    """The page showed the thread up to `seq` (messages that arrived live while it was
    visible): the member's unread marker moves there, as on the page. The page says so at most
    every few seconds; a busier client is refused (`READ_RATE_LIMIT`) and tries again later.

    Counted per member and thread, so only once the thread is found readable: a thread she may
    not read is "not found" every time, as a missing id, and leaves no counter behind."""
    thread_id = _id(data, "thread_id")
    member = acting_member()
    services.get_thread(member, thread_id)  # NotFound unless she may read it
    _slow_down_over("READ_RATE_LIMIT", "thread-read", str(member.id), str(thread_id))
    begin_write()
    member = acting_member()
    thread = services.get_thread(member, thread_id)  # NotFound unless she may read it
    reading.mark_read(member, thread, data["seq"])
    return {"thread_id": thread.id, "read_seq": min(data["seq"], thread.last_seq)}


@event("thread:leave")
@kept_while_suspended("leaving a thread's rooms")
def on_leave(data: Payload) -> None:
    """Leave the thread's rooms."""
    thread_id = _id(data, "thread_id")
    acting_member()
    leave_room(thread_room(thread_id))
    leave_room(moderators_room(thread_id))


@event("message:send", schema=MessageInput())
def on_send(data: Payload) -> Payload:
    """Post a message: stored, then broadcast to the room, then acknowledged."""
    thread_id = _id(data, "thread_id")
    client_id = data.get("client_id")
    if client_id is None:
        raise Invalid(
            _("Some fields are not valid."), {"client_id": [_("This field is required.")]}
        )
    sid = request.sid  # type: ignore[attr-defined]
    _created, payload = send_message(
        acting_member,
        thread_id,
        data.get("body"),
        client_id,
        data.get("reply_to"),
        author=lambda tid: _posting_author(sid, tid),
        still=lambda: _credential(sid),
    )
    return {"message": payload}


def _posting_author(sid: str, thread_id: int) -> int:
    """The socket's member, may they post in the thread: from its grant (`threads.live`), or
    checked in full — then granted for as long as it holds."""
    member_id = live.grant(sid, thread_id)
    if member_id is not None:
        return member_id
    at_turn = live.turn(sid, thread_id)
    member = acting_member()
    thread = services.get_thread(member, thread_id)
    posting.authorise_post(member, thread)
    live.remember(sid, thread_id, member.id, at_turn)
    return member.id


def _credential(sid: str) -> Any:
    """The socket's credential as a condition of the `seq` statement (checked at every
    message, in the same statement: a token revoked or expired, a logout, refuse it)."""
    auth = socket_auth(sid)
    if auth is None:
        acting_member()  # raises: the socket is gone
        raise AssertionError("unreachable")
    return credential_holds(auth)


def _message_act(
    data: Payload, allowed: Callable[[Member, Any], bool], act: Callable[..., Any], *args: str
) -> Payload:
    message_id = _id(data, "message_id")
    # What she may not read does not exist for her (404); what she reads but may not do, 403.
    thread_id = services.get_message(acting_member(), message_id).thread_id
    # Committed inside the thread's write turn, before its broadcast leaves.
    with thread_sequence(thread_id), transaction():
        begin_write()
        member = acting_member()
        message = services.get_message(member, message_id)
        require(allowed(member, message), member)
        act(member, message, *(data.get(arg) for arg in args))
        broadcast_updated(message)
        payload = message_payload(message, reveal=can_see_hidden(member, message))
    return {"message": payload}


@event("message:edit", schema=MessageEditInput())
def on_edit(data: Payload) -> Payload:
    """Change one's own message."""
    return _message_act(data, can_edit_message, services.edit_message, "body")


@event("message:delete")
def on_delete(data: Payload) -> Payload:
    """Delete one's own message (kept as "message deleted")."""
    return _message_act(data, can_edit_message, services.delete_message)


@event("message:hide", schema=ReasonInput())
def on_hide(data: Payload) -> Payload:
    """A moderator hides a message, with a reason."""
    return _message_act(data, can_moderate_message, services.hide_message, "reason")


@event("message:restore", schema=ReasonInput())
def on_restore(data: Payload) -> Payload:
    """A moderator shows a hidden message again, with a reason."""
    return _message_act(data, can_moderate_message, services.restore_message, "reason")


@event("typing")
def on_typing(data: Payload) -> None:
    """Tell the others in the room that this member is writing."""
    thread_id = _id(data, "thread_id")
    member = acting_member()
    _slow_down_over("TYPING_RATE_LIMIT", "typing", str(member.id))
    if live.grant(request.sid, thread_id) is None:  # type: ignore[attr-defined]
        thread = services.get_thread(member, thread_id)
        if not can_post_in_thread(member, thread):
            require(False, member, posting_refusal(member, thread.community))
    socketio.emit(
        "typing",
        {"thread_id": thread_id, "member": member.public()},
        to=thread_room(thread_id),
        skip_sid=request.sid,  # type: ignore[attr-defined]
    )
