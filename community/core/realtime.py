"""Rooms and broadcasts: the server names the rooms and emits only after commit."""

from __future__ import annotations

from typing import Any

from flask_socketio import join_room

from community.core.signals import on_commit
from community.extensions import socketio


def thread_room(thread_id: int) -> str:
    return f"thread:{thread_id}"


def member_room(member_id: int) -> str:
    return f"member:{member_id}"


def enter_room(room: str) -> bool:
    """Put the current socket in `room`; False when it has closed meanwhile (the page was left
    while its event waited for a worker), which is not an error."""
    try:
        join_room(room)
    except (ValueError, KeyError):  # python-socketio no longer knows the socket's sid
        return False
    return True


def emit_after_commit(
    event_name: str, payload: Any, room: str, skip_sid: str | None = None
) -> None:
    """Queue a broadcast that goes out once the current transaction commits (never on rollback)."""
    on_commit(lambda: socketio.emit(event_name, payload, to=room, skip_sid=skip_sid))
