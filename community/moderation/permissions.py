"""Who may report, see the queue and the journal, and answer reports."""

from __future__ import annotations

from community.communities.models import Community
from community.communities.permissions import can_moderate, moderated_community_ids
from community.core.permissions import is_authenticated, is_staff
from community.members.models import Member
from community.moderation.models import Report
from community.moderation.standing import active_suspension
from community.moderation.targets import Target


def gardened_community_ids(member: Member | None) -> list[int]:
    """The communities `member` moderates as a gardener right now (not while suspended)."""
    return moderated_community_ids(member)


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
    if is_staff(member):
        return can_moderate_in(member, None)
    return bool(gardened_community_ids(member))


def can_resolve(member: Member | None, report: Report) -> bool:
    """A report about a community's content: its gardeners and staff; any other: staff.
    Nobody answers a report about their own content or account."""
    if is_authenticated(member) and report.target_author_id == member.id:  # type: ignore[union-attr]
        return False
    return can_moderate_in(member, report.community)


def can_moderate_in(member: Member | None, community: Community | None) -> bool:
    """Act on content of `community` (staff only when it belongs to none); never suspended."""
    if community is not None:
        return can_moderate(member, community)
    return is_staff(member) and active_suspension(member) is None


def can_suspend_from_platform(member: Member | None) -> bool:
    """Suspending someone from the whole platform is for staff and admins only."""
    return is_staff(member)
