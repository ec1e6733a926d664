"""The auth domain reacts to its own facts: ended credentials close their live sockets."""

from __future__ import annotations

from typing import Any

from community.auth.signals import credentials_ended
from community.core.signals import on_commit
from community.core.sockets import disconnect_member
from community.members.models import Member


@credentials_ended.connect
def close_sockets(
    member: Member, session_nonce: str | None = None, token_hashes: Any = (), **_: Any
) -> None:
    """Sockets opened with credentials that ended close once that is committed, in every
    process: those of the ended session nonce (a logout, a password reset), those of the
    revoked tokens; the member's other sockets stay open."""
    member_id, hashes = member.id, list(token_hashes or ())
    if session_nonce is None and not hashes:
        return
    on_commit(
        lambda: disconnect_member(member_id, session_nonce=session_nonce, token_hashes=hashes)
    )
