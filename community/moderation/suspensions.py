"""Suspensions: from one community (membership `banned`) or from the whole platform."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from community.communities.models import Community, Membership
from community.core.errors import Forbidden, Invalid
from community.core.jinja import day
from community.core.models import utcnow
from community.core.permissions import is_staff, require
from community.extensions import db
from community.members.models import Member
from community.moderation.journal import record_action, tell_member
from community.moderation.models import PlatformSuspension, Report
from community.moderation.permissions import can_moderate_in, gardened_community_ids
from community.moderation.signals import member_suspended
from community.moderation.standing import active_suspension, is_banned_from


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
    """Ban `member` from `community` (membership `banned`) until a date, or until lifted. A
    staff account is never banned: the authority's agents (a technician gardener among them)
    answer to the authority, not to a community's gardeners."""
    require(can_moderate_in(actor, community), actor)
    if is_staff(member):
        raise Invalid(
            _("A staff account cannot be suspended here."), {"action": [_("Not possible here.")]}
        )
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
    member_suspended.send(member, community=community, until=until, actor=actor)
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
    member_suspended.send(member, community=None, until=until, actor=actor)
    return suspension


def lift_platform_suspension(
    actor: Member, suspension: PlatformSuspension, reason: str = ""
) -> None:
    """End a platform suspension before its term (staff only)."""
    if not is_staff(actor):
        raise Forbidden(_("Only the authority's staff can suspend someone from the platform."))
    if suspension.lifted_at is not None:
        return
    suspension.lifted_at = utcnow()
    member = suspension.member
    record_action(actor, "lift_suspension", "member", member.id, subject=member, reason=reason)
    tell_member(actor, member, "lift", reason)


def lift_community_ban(actor: Member, membership: Membership, reason: str = "") -> None:
    """End a suspension from a community: the member may join again (its gardeners, staff)."""
    require(can_moderate_in(actor, membership.community), actor)
    if membership.status != "banned":
        return
    membership.status = "left"
    membership.banned_until = None
    community, member = membership.community, membership.member
    record_action(
        actor, "lift_suspension", "member", member.id, community=community, subject=member,
        reason=reason,
    )  # fmt: skip
    tell_member(actor, member, "lift", reason, community=community)


def suspensions_seen_by(member: Member) -> tuple[list[PlatformSuspension], list[Membership]]:
    """Suspensions in force that `member` may lift: platform ones for staff, and community bans."""
    now = utcnow()
    platform: list[PlatformSuspension] = []
    bans = select(Membership).where(Membership.status == "banned")
    if is_staff(member):
        platform = [
            s
            for s in db.session.execute(
                select(PlatformSuspension)
                .where(PlatformSuspension.lifted_at.is_(None))
                .options(selectinload(PlatformSuspension.member))
                .order_by(PlatformSuspension.created_at.desc())
            ).scalars()
            if s.active(now)
        ]
    else:
        bans = bans.where(Membership.community_id.in_(gardened_community_ids(member)))
    banned = [
        m
        for m in db.session.execute(
            bans.options(
                selectinload(Membership.member), selectinload(Membership.community)
            ).order_by(Membership.answered_at.desc())
        ).scalars()
        if m.banned_until is None or m.banned_until > now
    ]
    return platform, banned


def posting_refusal(member: Member | None, community: Community | None) -> str | None:
    """Why `member` may not post right now (suspended from the platform or from `community`),
    in words they understand; None when nothing stops them."""
    suspension = active_suspension(member)
    if suspension is not None:
        if suspension.until is not None:
            return _(
                "Your account is suspended until %(date)s: you can read, not post.",
                date=day(suspension.until),
            )
        return _("Your account is suspended: you can read, not post.")
    if community is not None and is_banned_from(member, community):
        return _("You are suspended from this community: you cannot post in it.")
    return None
