"""Suspensions: from one community (membership `banned`) or from the whole platform."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from community.communities.models import Community, Membership
from community.core.errors import Forbidden, Invalid
from community.core.models import utcnow
from community.core.permissions import is_staff
from community.extensions import db
from community.members.models import Member
from community.moderation.models import PlatformSuspension, Report
from community.moderation.services import record_action, tell_member


def suspend_from_community(
    actor: Member,
    member: Member,
    community: Community,
    until: datetime | None,
    reason: str,
    *,
    report: Report | None = None,
    notify_member: bool = True,
) -> Membership:
    """Ban `member` from `community` (membership `banned`) until a date, or until lifted."""
    membership = db.session.execute(
        select(Membership).where(
            Membership.community_id == community.id, Membership.member_id == member.id
        )
    ).scalar_one_or_none()
    if membership is None:
        membership = Membership(community=community, member=member, status="banned")
        db.session.add(membership)
    membership.status = "banned"
    membership.banned_until = until
    membership.answered_by_id = actor.id
    membership.answered_at = utcnow()
    record_action(
        actor, "suspend_community", "member", member.id, community=community, subject=member,
        reason=reason, until=until, report=report,
    )  # fmt: skip
    if notify_member:
        tell_member(actor, member, "suspend_community", reason, community=community)
    return membership


def suspend_from_platform(
    actor: Member,
    member: Member,
    until: datetime | None,
    reason: str,
    *,
    report: Report | None = None,
    notify_member: bool = True,
) -> PlatformSuspension:
    """Suspend `member` from the whole platform (staff only): they may read, not post."""
    if not is_staff(actor):
        raise Forbidden(_("Only the authority's staff can suspend someone from the platform."))
    if is_staff(member):
        raise Invalid(
            _("A staff account cannot be suspended here."), {"action": [_("Not possible here.")]}
        )
    suspension = PlatformSuspension(
        member=member, until=until, reason=reason, created_by_id=actor.id, created_at=utcnow()
    )
    db.session.add(suspension)
    record_action(
        actor,
        "suspend_platform",
        "member",
        member.id,
        subject=member,
        reason=reason,
        until=until,
        report=report,
    )
    if notify_member:
        tell_member(actor, member, "suspend_platform", reason)
    return suspension


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
