"""Socket.IO: a member's sockets listen to their own room, `member:<id>`."""

from __future__ import annotations

from typing import Any

from community.core.errors import DomainError
from community.core.realtime import enter_room, member_room
from community.core.sockets import acting_member
from community.extensions import socketio
from community.notifications import services


@socketio.on("notifications:subscribe")
def subscribe(_data: Any = None) -> dict[str, Any]:
    """Join one's own room (the server picks it: nobody can listen to another member's)."""
    try:
        member = acting_member()  # the session's or the API token's member, as every event
    except DomainError as error:
        return error.ack()
    # The connect handler already joined it; joining again is harmless and keeps this event
    # sufficient on its own.
    if not enter_room(member_room(member.id)):
        return {"ok": False, "error": {"code": "not_found", "message": "disconnected"}}
    return {"ok": True, "unread_count": services.unread_count(member)}
