"""Who gardens what right now, for every domain: the communities a member gardens
(`gardened_ids`) and the gardeners of a community (`gardeners_of`). Both stand on the one
definition of a mandate in office, `GardenerMandate.in_office`; a list, a permission or a
notice asks these rather than writing the criterion again (`tests/core/test_seams.py`)."""

from __future__ import annotations

from sqlalchemy import Select, select

from community.communities.models import GardenerMandate
from community.members.models import Member


def gardened_ids(member: Member | int) -> Select[int]:
    """The ids of the communities `member` (or the member of this id) gardens right now: a
    subquery (`Community.id.in_(gardened_ids(member))`, `exists(...)`), or a query of its own."""
    member_id = member if isinstance(member, int) else member.id
    return select(GardenerMandate.community_id).where(
        GardenerMandate.member_id == member_id, GardenerMandate.in_office
    )


def gardeners_of(community_id: int) -> Select[Member]:
    """The members who garden community `community_id` right now (its pair: two at most)."""
    return (
        select(Member)
        .join(GardenerMandate, GardenerMandate.member_id == Member.id)
        .where(GardenerMandate.community_id == community_id, GardenerMandate.in_office)
    )
