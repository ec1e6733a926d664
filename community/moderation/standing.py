"""Whether a member is suspended right now, from the platform or from a community: plain
reads of the suspension rows, under every rule that asks (`communities.permissions`
refuses moderation rights to the suspended; `moderation.suspensions` writes the rows)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from community.communities.models import Community, Membership
from community.core.models import utcnow
from community.extensions import db
from community.members.models import Member
from community.moderation.models import PlatformSuspension


def active_suspension(
    member: Member | None, now: datetime | None = None
) -> PlatformSuspension | None:
    """The platform suspension in force for `member`, if any."""
    if member is None or getattr(member, "id", None) is None:
        return None
    now = now or utcnow()
    rows = db.session.execute(
        select(PlatformSuspension).where(
            PlatformSuspension.member_id == member.id, PlatformSuspension.lifted_at.is_(None)
        )
    ).scalars()
    return next((s for s in rows if s.active(now)), None)


def is_banned_from(
    member: Member | None, community: Community, now: datetime | None = None
) -> bool:
    """Suspended from `community` right now."""
    if member is None or getattr(member, "id", None) is None:
        return False
    membership = db.session.execute(
        select(Membership).where(
            Membership.community_id == community.id, Membership.member_id == member.id
        )
    ).scalar_one_or_none()
    if membership is None or membership.status != "banned":
        return False
    return membership.banned_until is None or membership.banned_until > (now or utcnow())
