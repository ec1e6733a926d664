"""The way into a discussion, as a page shows it: a link only to what the person may open;
otherwise who takes part, and her next step (log in or create an account, join the community,
wait for the gardeners' answer). Pages never link to a refusal.

The rights are the visibility layer's (`can_read_thread`, `can_read_community_threads`); this
module only says which next step to offer when they refuse.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from community.communities.models import Community, Membership
from community.communities.permissions import can_join
from community.core.permissions import is_authenticated
from community.extensions import db
from community.members.models import Member
from community.moderation.standing import is_banned_from
from community.threads.models import Thread
from community.threads.permissions import (
    can_create_thread,
    can_post_in_thread,
    can_read_community_threads,
    can_read_thread,
)

# What the page offers, in the order a person meets them.
OPEN = "open"  # a link to the discussion
LOG_IN = "log_in"  # a visitor: log in or create an account, then join
JOIN = "join"  # a member who is not in the community: join it (on its page)
PENDING = "pending"  # her request waits for the gardeners' answer
SUSPENDED = "suspended"  # a member suspended from the community: she reads, does not post
CLOSED = "closed"  # nothing to offer (refused from the community, or nothing to read)


@dataclass(frozen=True)
class Door:
    """`way` (one of the constants above) and the community whose members take part."""

    way: str
    community: Community | None = None

    @property
    def open(self) -> bool:
        return self.way == OPEN


def _next_step(member: Member | None, community: Community | None) -> Door:
    if community is None:
        return Door(CLOSED)
    if not is_authenticated(member):
        return Door(LOG_IN, community)
    assert member is not None
    status = db.session.execute(
        select(Membership.status).where(
            Membership.community_id == community.id, Membership.member_id == member.id
        )
    ).scalar_one_or_none()
    if status == "pending":
        return Door(PENDING, community)
    if status == "banned" and is_banned_from(member, community):
        return Door(SUSPENDED, community)
    if status in {"active", "banned"}:  # a member held back by something else (a suspension)
        return Door(CLOSED, community)
    if not can_join(member, community):  # its gardener is in it already: never asked to join
        return Door(CLOSED, community)
    return Door(JOIN, community)


def thread_door(member: Member | None, thread: Thread | None) -> Door:
    """How `member` (None: a visitor) gets into `thread`: a link if she may read it."""
    if thread is None:
        return Door(CLOSED)
    if can_read_thread(member, thread):
        return Door(OPEN, thread.community)
    return _next_step(member, thread.community)


def community_door(member: Member | None, community: Community) -> Door:
    """How `member` gets into the discussions of `community`: a link if she may list them."""
    if can_read_community_threads(member, community):
        return Door(OPEN, community)
    return _next_step(member, community)


def taking_part(member: Member | None, thread: Thread) -> Door:
    """How `member` comes to write in `thread`: OPEN if she may now."""
    if can_post_in_thread(member, thread):
        return Door(OPEN, thread.community)
    return _next_step(member, thread.community)


def opening_topics(member: Member | None, community: Community) -> Door:
    """How `member` comes to open topics in `community`: OPEN if she may now."""
    if can_create_thread(member, community):
        return Door(OPEN, community)
    return _next_step(member, community)
