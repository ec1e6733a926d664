"""The members domain reacts to its own facts: an erased account's live sockets close."""

from __future__ import annotations

from community.core.signals import on_commit
from community.core.sockets import disconnect_member
from community.members.signals import erased


@erased.connect
def close_sockets(member_id: int) -> None:
    """Once the erasure commits, the former member's sockets close in every process."""
    on_commit(lambda: disconnect_member(member_id))
