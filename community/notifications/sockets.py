"""Socket.IO: a member's sockets listen to their own room, `member:<id>`."""

from __future__ import annotations

from typing import Any

from community.core.errors import NotFound
from community.core.realtime import enter_room, member_room
from community.core.sockets import Payload, acting_member, event
from community.core.standing import kept_while_suspended
from community.notifications import services


@event("notifications:subscribe")
@kept_while_suspended("her own notifications, read live")
def subscribe(_data: Payload) -> dict[str, Any]:
    """Join one's own room (the server picks it: nobody can listen to another member's)."""
    member = acting_member()  # the session's or the API token's member, as every event
    # The connect handler already joined it; joining again is harmless and keeps this event
    # sufficient on its own.
    if not enter_room(member_room(member.id)):
        raise NotFound("disconnected")
    return {"unread_count": services.unread_count(member)}
