"""Who may do what with ambassadors, their links and their journal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from community.ambassadors.models import Ambassador
from community.communities.permissions import (
    can_answer_memberships,
    in_good_standing,
    is_gardener,
)
from community.core.permissions import is_authenticated, is_staff
from community.extensions import db

if TYPE_CHECKING:
    from community.communities.models import Community
    from community.members.models import Member
    from community.territory.models import Neighbourhood


def can_name_ambassador(
    member: Member | None,
    community: Community | None = None,
    neighbourhood: Neighbourhood | None = None,
) -> bool:
    """For a community: its gardeners and staff; for a neighbourhood: staff — never while
    suspended (from the platform, or from that community)."""
    if community is not None:
        return can_answer_memberships(member, community)
    return is_staff(member) and in_good_standing(member)


def is_the_ambassador(member: Member | None, ambassador: Ambassador) -> bool:
    return is_authenticated(member) and ambassador.member_id == member.id  # type: ignore[union-attr]


def acts_as_ambassador(member: Member | None, ambassador: Ambassador) -> bool:
    """The ambassador of this active mandate, who may use the role right now: never while
    suspended from the platform or from the mandate's community."""
    return (
        is_the_ambassador(member, ambassador)
        and ambassador.status == "active"
        and in_good_standing(member, ambassador.community)
    )


def can_manage_invitations(member: Member | None, ambassador: Ambassador) -> bool:
    """Make links: the ambassador, while the mandate is active (and she is not suspended)."""
    return acts_as_ambassador(member, ambassador)


def can_log_outreach(member: Member | None, ambassador: Ambassador) -> bool:
    """Write in the outreach journal: the ambassador, while the mandate is active (and she is
    not suspended)."""
    return acts_as_ambassador(member, ambassador)


def can_read_outreach(member: Member | None, ambassador: Ambassador) -> bool:
    """Read the journal: the ambassador and its community's gardeners (staff: aggregates only)."""
    if is_the_ambassador(member, ambassador):
        return True
    return ambassador.community is not None and is_gardener(member, ambassador.community)


def may_have_invited(member: Member | None) -> bool:
    """Holds or held an ambassador mandate: her invitation links may bring someone in (an
    ended mandate's links still work)."""
    if not is_authenticated(member):
        return False
    assert member is not None
    found = db.session.execute(
        select(Ambassador.id).where(
            Ambassador.member_id == member.id, Ambassador.status.in_(("active", "ended"))
        )
    ).first()
    return found is not None


def can_see_ambassador(member: Member | None, ambassador: Ambassador) -> bool:
    """A mandate's details: the ambassador, the gardeners of its community, staff."""
    return (
        is_staff(member)
        or is_the_ambassador(member, ambassador)
        or (ambassador.community is not None and is_gardener(member, ambassador.community))
    )
