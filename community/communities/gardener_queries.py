"""What the gardener pair's pages read: the communities needing a gardener, whom a member
gardens for, the handover notes left for her, the history of a community's mandates, and the
proposals waiting for an answer (hers, and those she made). The pair changes in `pairs.py`."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from community.communities.models import (
    SIDES,
    Community,
    GardenerMandate,
    GardenerProposal,
    Handover,
)
from community.communities.services import CommunityCard, cards_for
from community.core.database import natural
from community.extensions import db
from community.members.models import Member


def communities_needing_gardener() -> list[CommunityCard]:
    """Communities whose pair is incomplete, by name."""
    full = (
        select(GardenerMandate.community_id)
        .where(GardenerMandate.in_office)
        .group_by(GardenerMandate.community_id)
        .having(func.count(func.distinct(GardenerMandate.side)) == len(SIDES))
    )
    communities = list(
        db.session.execute(
            select(Community).where(Community.id.not_in(full)).order_by(natural(Community.name))
        ).scalars()
    )
    return cards_for(communities)


def gardened_by(member: Member) -> list[GardenerMandate]:
    """The open mandates of `member`, with their communities."""
    return list(
        db.session.execute(
            select(GardenerMandate)
            .join(Community, Community.id == GardenerMandate.community_id)
            .where(GardenerMandate.member_id == member.id, GardenerMandate.in_office)
            .options(contains_eager(GardenerMandate.community))  # the dashboard shows it
            .order_by(natural(Community.name))
        ).scalars()
    )


def handovers_for(member: Member) -> list[Handover]:
    """Handover notes left for the sides `member` now holds, newest first."""
    held = [(m.community_id, m.side) for m in gardened_by(member)]
    if not held:
        return []
    clauses = [(Handover.community_id == cid) & (Handover.side == side) for cid, side in held]

    return list(
        db.session.execute(
            select(Handover)
            .where(or_(*clauses))
            .options(joinedload(Handover.community), joinedload(Handover.written_by))
            .order_by(Handover.created_at.desc(), Handover.id.desc())
        ).scalars()
    )


def handovers_of(community: Community) -> list[Handover]:
    """Every handover note of a community, newest first (for staff)."""
    return list(
        db.session.execute(
            select(Handover)
            .where(Handover.community_id == community.id)
            .order_by(Handover.created_at.desc(), Handover.id.desc())
        ).scalars()
    )


def mandate_history(community: Community) -> list[GardenerMandate]:
    """Every mandate of a community, newest first."""

    return list(
        db.session.execute(
            select(GardenerMandate)
            .where(GardenerMandate.community_id == community.id)
            .options(joinedload(GardenerMandate.member))
            .order_by(GardenerMandate.started_at.desc(), GardenerMandate.id.desc())
        ).scalars()
    )


def pending_proposal(community: Community, side: str) -> GardenerProposal | None:
    return db.session.execute(
        select(GardenerProposal).where(
            GardenerProposal.community_id == community.id,
            GardenerProposal.side == side,
            GardenerProposal.status == "pending",
        )
    ).scalar_one_or_none()


def pending_sides(community: Community) -> dict[str, GardenerProposal]:
    """The proposals of `community` waiting for their answer, by side (the person asked)."""
    rows = db.session.execute(
        select(GardenerProposal)
        .where(GardenerProposal.community_id == community.id, GardenerProposal.status == "pending")
        .options(joinedload(GardenerProposal.candidate))
    ).scalars()
    return {proposal.side: proposal for proposal in rows}


def proposals_for(member: Member) -> list[GardenerProposal]:
    """Pending proposals `member` is asked to answer."""
    return list(
        db.session.execute(
            select(GardenerProposal)
            .where(GardenerProposal.candidate_id == member.id, GardenerProposal.status == "pending")
            .options(joinedload(GardenerProposal.community))
            .order_by(GardenerProposal.created_at)
        ).scalars()
    )


def empty_seats(proposals: list[GardenerProposal]) -> set[int]:
    """The ids of those `proposals` asking someone to take a side nobody holds (not a
    handover): one query for the lot."""
    if not proposals:
        return set()
    held = set(
        db.session.execute(
            select(GardenerMandate.community_id, GardenerMandate.side).where(
                GardenerMandate.community_id.in_({p.community_id for p in proposals}),
                GardenerMandate.in_office,
            )
        ).all()
    )
    return {p.id for p in proposals if (p.community_id, p.side) not in held}


def proposals_by(member: Member) -> list[GardenerProposal]:
    """Pending proposals `member` made (to take back)."""
    return list(
        db.session.execute(
            select(GardenerProposal)
            .where(
                GardenerProposal.proposed_by_id == member.id,
                GardenerProposal.status == "pending",
            )
            .options(joinedload(GardenerProposal.community), joinedload(GardenerProposal.candidate))
            .order_by(GardenerProposal.created_at)
        ).scalars()
    )
