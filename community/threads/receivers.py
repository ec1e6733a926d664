"""What the threads domain does when other domains announce something."""

from __future__ import annotations

from typing import Any

from community.auth.signals import credentials_ended
from community.core.signals import on_commit
from community.core.sockets import disconnect_member
from community.members.models import Member


@credentials_ended.connect
def _close_sockets_of_ended_credentials(
    member: Member, session_nonce: str | None = None, token_hashes: Any = (), **_: Any
) -> None:
    """Sockets opened with credentials that ended close once that is committed (those of the
    ended session nonce, those of the revoked tokens; the others stay open)."""
    member_id, hashes = member.id, list(token_hashes or ())
    if session_nonce is None and not hashes:
        return
    on_commit(
        lambda: disconnect_member(member_id, session_nonce=session_nonce, token_hashes=hashes)
    )
