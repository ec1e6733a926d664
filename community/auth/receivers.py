"""The auth domain reacts to its own facts: a logout closes the member's live sockets."""

from __future__ import annotations

from community.auth.signals import member_logged_out
from community.core.signals import on_commit
from community.core.sockets import disconnect_member
from community.members.models import Member


@member_logged_out.connect
def close_sockets(member: Member, *, everywhere: bool = False) -> None:
    """Live sockets end with the session, in every process, once the logout commits."""
    member_id = member.id
    on_commit(lambda: disconnect_member(member_id))
