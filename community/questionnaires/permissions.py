"""Who may read, write, answer and read the results of a questionnaire."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from community.ambassadors.models import Ambassador
from community.communities.permissions import in_good_standing, is_gardener, is_member, looks_after
from community.core.models import utcnow
from community.core.permissions import is_authenticated, is_staff
from community.extensions import db

if TYPE_CHECKING:
    from community.communities.models import Community
    from community.members.models import Member
    from community.questionnaires.models import Questionnaire


def can_create(member: Member | None, community: Community | None) -> bool:
    """Write a questionnaire: the community's gardeners and staff; a platform one: staff —
    never while suspended from the platform or from that community."""
    if community is None:
        return is_staff(member) and in_good_standing(member)
    return looks_after(member, community)


def can_edit(member: Member | None, questionnaire: Questionnaire) -> bool:
    """Edit, open, close, follow up: its community's gardeners and staff (not suspended)."""
    return can_create(member, questionnaire.community)


def reads_as_editor(member: Member | None, questionnaire: Questionnaire) -> bool:
    """Read what its editors read (its draft, its results while open, free text, the export):
    its community's gardeners and staff by their mandate, as `queries.readable_clause` —
    a suspension takes their acts away, not their reading."""
    community = questionnaire.community
    if community is None:
        return is_staff(member)
    return is_staff(member) or is_gardener(member, community)


def is_community_ambassador(member: Member | None, community: Community | None) -> bool:
    """An active ambassador of this community."""
    if community is None or not is_authenticated(member):
        return False
    assert member is not None
    return (
        db.session.execute(
            select(Ambassador.id).where(
                Ambassador.member_id == member.id,
                Ambassador.community_id == community.id,
                Ambassador.status == "active",
            )
        ).first()
        is not None
    )


def can_read(member: Member | None, questionnaire: Questionnaire) -> bool:
    """A draft: those who may edit it. Once it leaves draft: anyone, except that the
    questionnaire of an on-request community for its members is read by them only (as its
    threads and rencontres). `queries.readable_clause` is this rule for lists."""
    if reads_as_editor(member, questionnaire):
        return True
    if questionnaire.status == "draft":
        return False
    community = questionnaire.community
    if questionnaire.audience == "anyone" or community is None or community.visibility == "open":
        return True
    return in_audience(member, questionnaire)


def can_record(member: Member | None, questionnaire: Questionnaire) -> bool:
    """Type in a paper copy or an answer given in person: its gardeners, staff, and the
    community's active ambassadors — never while suspended from the platform or from it."""
    return can_edit(member, questionnaire) or (
        is_community_ambassador(member, questionnaire.community)
        and in_good_standing(member, questionnaire.community)
    )


def in_audience(member: Member | None, questionnaire: Questionnaire) -> bool:
    """Answer on the web: anyone (audience `anyone`), else members (of its community)."""
    if questionnaire.audience == "anyone":
        return True
    if not is_authenticated(member):
        return False
    community = questionnaire.community
    if community is None:
        return True
    return is_member(member, community) or is_gardener(member, community) or is_staff(member)


def can_see_results(
    member: Member | None, questionnaire: Questionnaire, now: datetime | None = None
) -> bool:
    """Anyone once it is closed; while open, its gardeners and staff."""
    if questionnaire.state(now or utcnow()) == "closed":
        return True
    return reads_as_editor(member, questionnaire)


def can_read_free_text(member: Member | None, questionnaire: Questionnaire) -> bool:
    """Free-text answers (and numbers) are never public: its gardeners and staff only."""
    return reads_as_editor(member, questionnaire)
