"""What the threads domain does when other domains announce something."""

from __future__ import annotations

from typing import Any

from community.auth.signals import credentials_ended
from community.core.signals import on_commit
from community.members.models import Member


@credentials_ended.connect
def _close_sockets_of_ended_credentials(member: Member, **kwargs: Any) -> None:
    """Sockets opened with credentials that ended close once that is committed."""
    from community.threads.realtime import disconnect_member

    member_id = member.id
    on_commit(lambda: disconnect_member(member_id))
