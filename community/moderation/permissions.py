"""Who may report, see the queue and the journal, and answer reports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from community.communities.models import Community, GardenerMandate
from community.communities.permissions import can_moderate
from community.core.permissions import is_authenticated, is_staff
from community.extensions import db
from community.members.models import Member
from community.moderation.models import Report
from community.moderation.targets import Target


def gardened_community_ids(member: Member | None) -> list[int]:
    """The communities `member` gardens right now."""
    if not is_authenticated(member):
        return []
    assert member is not None
    return list(
        db.session.execute(
            select(GardenerMandate.community_id).where(
                GardenerMandate.member_id == member.id, GardenerMandate.ended_at.is_(None)
            )
        ).scalars()
    )


def can_report(member: Member | None, target: Target) -> bool:
    """Any member may report what they did not write themselves."""
    if not is_authenticated(member):
        return False
    assert member is not None
    return target.author is None or target.author.id != member.id


def can_contest(member: Member | None, target: Target) -> bool:
    """Contest the hiding of content: its author, while it is hidden."""
    return (
        is_authenticated(member)
        and target.hidden
        and target.author is not None
        and member is not None
        and target.author.id == member.id
    )


def can_see_queue(member: Member | None) -> bool:
    """The queue and the journal: staff, and the gardeners of at least one community."""
    return is_staff(member) or bool(gardened_community_ids(member))


def can_resolve(member: Member | None, report: Report) -> bool:
    """A report about a community's content: its gardeners and staff; any other: staff."""
    if report.community is not None:
        return can_moderate(member, report.community)
    return is_staff(member)


def can_moderate_in(member: Member | None, community: Community | None) -> bool:
    """Act on content of `community` (staff only when it belongs to none)."""
    return can_moderate(member, community) if community is not None else is_staff(member)


def can_suspend_from_platform(member: Member | None) -> bool:
    """Suspending someone from the whole platform is for staff and admins only."""
    return is_staff(member)


def can_see_content(member: Member | None, content: Any) -> bool:
    """Hidden content (its `hidden_at` set) stays visible to its author and its moderators."""
    if getattr(content, "hidden_at", None) is None:
        return True
    if is_authenticated(member) and getattr(content, "author_id", None) == member.id:  # type: ignore[union-attr]
        return True
    return can_moderate_in(member, getattr(content, "community", None))
