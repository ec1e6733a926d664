"""Socket.IO: a member's sockets listen to their own room, `member:<id>`."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from community.core.errors import Unauthenticated
from community.core.permissions import current_member
from community.core.realtime import enter_room, member_room
from community.extensions import socketio
from community.notifications import services


@socketio.on("notifications:subscribe")
def subscribe(_data: Any = None) -> dict[str, Any]:
    """Join one's own room (the server picks it: nobody can listen to another member's)."""
    member = current_member()
    if member is None:
        return Unauthenticated(_("Please log in first.")).ack()
    # The connect handler already joined it; joining again is harmless and keeps this event
    # sufficient on its own.
    if not enter_room(member_room(member.id)):
        return {"ok": False, "error": {"code": "not_found", "message": "disconnected"}}
    return {"ok": True, "unread_count": services.unread_count(member)}
