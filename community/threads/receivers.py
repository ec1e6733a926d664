"""What the threads domain does when other domains announce something."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from community.auth.signals import credentials_ended
from community.communities.models import Community
from community.communities.signals import access_narrowed
from community.core.realtime import thread_room
from community.core.signals import on_commit
from community.core.sockets import disconnect_member, reset_rooms, revoke_rooms
from community.extensions import db
from community.members.models import Member
from community.threads.models import Thread
from community.threads.realtime import moderators_room


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


@access_narrowed.connect
def _take_sockets_out_of_rooms(
    community: Community, member: Member | None = None, **_: Any
) -> None:
    """After commit, sockets leave the rooms of the community's threads (and their moderators'
    rooms), in every process: the member's sockets, or everyone's when the community turned
    on-request. They are told (``rooms:revoked``) and join again if they still may."""
    thread_ids = list(
        db.session.execute(select(Thread.id).where(Thread.community_id == community.id)).scalars()
    )
    rooms = [room for tid in thread_ids for room in (thread_room(tid), moderators_room(tid))]
    if not rooms:
        return
    if member is None:
        on_commit(lambda: reset_rooms(rooms))
    else:
        member_id = member.id
        on_commit(lambda: revoke_rooms(member_id, rooms))
