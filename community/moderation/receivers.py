"""The moderation domain reacts to its own facts: a suspended member's sockets close."""

from __future__ import annotations

from typing import Any

from community.core.signals import on_commit
from community.core.sockets import disconnect_member
from community.members.models import Member
from community.moderation.signals import member_suspended


@member_suspended.connect
def close_sockets(member: Member, **_facts: Any) -> None:
    """Once the suspension commits, the member's sockets close in every process: they leave
    the rooms they were in, and on reconnecting may read but not post."""
    member_id = member.id
    on_commit(lambda: disconnect_member(member_id))
