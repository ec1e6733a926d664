"""Who may see and do what in mutual help. The people concerned are often vulnerable:
a request's author is known to themselves, to the gardeners of a community of its theme, and
to the helper they accepted — never to staff as such, never to other members."""

from __future__ import annotations

from sqlalchemy import exists, select

from community.ambassadors.models import Ambassador
from community.communities.gardening import gardened_ids
from community.communities.models import Community
from community.communities.permissions import in_good_standing
from community.core.permissions import is_authenticated
from community.extensions import db
from community.members.models import Member
from community.solidarity.models import HelpProposal, HelpRequest, SolidaritySignal
from community.solidarity.queries import readable_request, through_offer


def gardens_theme(member: Member | None, theme_id: int) -> bool:
    """A gardener, right now, of a community of this theme."""
    if not is_authenticated(member):
        return False
    assert member is not None
    return bool(
        db.session.execute(
            select(
                exists().where(
                    Community.theme_id == theme_id, Community.id.in_(gardened_ids(member))
                )
            )
        ).scalar()
    )


def is_go_between(member: Member | None) -> bool:
    """May record a request on behalf of an inhabitant without an account: gardeners and
    active ambassadors — never while suspended from the platform."""
    if not is_authenticated(member) or not in_good_standing(member):
        return False
    assert member is not None
    gardener = gardened_ids(member)
    ambassador = select(Ambassador.id).where(
        Ambassador.member_id == member.id, Ambassador.status == "active"
    )
    return bool(db.session.execute(select(exists(gardener) | exists(ambassador))).scalar())


def accepted_helper(member: Member | None, request: HelpRequest) -> HelpProposal | None:
    """The proposal of `member` that the requester accepted, if any."""
    if not is_authenticated(member):
        return None
    assert member is not None
    return db.session.execute(
        select(HelpProposal).where(
            HelpProposal.request_id == request.id,
            HelpProposal.helper_id == member.id,
            HelpProposal.status.in_(("accepted", "done")),
        )
    ).scalar_one_or_none()


def is_author(member: Member | None, request: HelpRequest) -> bool:
    return is_authenticated(member) and member.id == request.author_id  # type: ignore[union-attr]


def can_see_request(member: Member | None, request: HelpRequest) -> bool:
    """Its author, the gardeners of its theme, a matching offerer (anonymised), its helper:
    the visibility layer's rule (`solidarity.queries`), nothing else."""
    return readable_request(member, request.id) is not None


def can_see_identity(member: Member | None, request: HelpRequest) -> bool:
    """Who may know who asked: the author, the gardeners of its theme, the accepted helper
    (among those who may read it at all)."""
    return can_see_request(member, request) and (
        is_author(member, request)
        or gardens_theme(member, request.theme_id)
        or accepted_helper(member, request) is not None
    )


def can_propose(member: Member | None, request: HelpRequest) -> bool:
    """A matching offerer or a gardener of its theme, on an open request not their own —
    never while suspended from the platform."""
    return (
        is_authenticated(member)
        and in_good_standing(member)
        and not is_author(member, request)
        and request.status == "open"
        and (through_offer(member, request) or gardens_theme(member, request.theme_id))
    )


def can_answer_proposal(member: Member | None, proposal: HelpProposal) -> bool:
    """Accept or decline a proposal: the request's author."""
    return is_author(member, proposal.request)


def is_party(member: Member | None, proposal: HelpProposal) -> bool:
    """One of the two people of an accepted exchange."""
    return is_authenticated(member) and member.id in {  # type: ignore[union-attr]
        proposal.helper_id,
        proposal.request.author_id,
    }


def can_use_exchange(member: Member | None, proposal: HelpProposal) -> bool:
    """Act on the private exchange (mark it done): its two parties, once the proposal is
    accepted. Who may read it is `queries.readable_exchange`."""
    return proposal.open_exchange and is_party(member, proposal)


def can_write_exchange(member: Member | None, proposal: HelpProposal) -> bool:
    """Write in the private exchange: its two parties, while the help is under way (a closed
    exchange takes no more messages: its helper no longer reads it)."""
    return (
        proposal.status == "accepted"
        and proposal.request.status == "matched"
        and is_party(member, proposal)
    )


def can_withdraw_request(member: Member | None, request: HelpRequest) -> bool:
    return is_author(member, request) and request.status in {"open", "matched"}


def can_post(member: Member | None) -> bool:
    """Post an offer, a request or a signal: any member."""
    return is_authenticated(member)


def can_see_signal(member: Member | None, signal: SolidaritySignal) -> bool:
    """Who recorded it, and the gardeners of its theme (to follow up through an ambassador)."""
    if not is_authenticated(member) or signal.archived_at is not None:
        return False
    assert member is not None
    return member.id == signal.recorded_by_id or gardens_theme(member, signal.theme_id)
