"""What a member may read of mutual help: ONE rule, as an SQL filter and as a loader.

A help request is read by (DESIGN's matrix: staff see aggregates, never a person):

- its author, always;
- the gardeners, right now, of a community of its theme, always;
- the helper its author accepted, while the exchange is under way (`matched`): a closed
  request (done, withdrawn) is not shown to helpers any more;
- a member with an active offer in its theme and neighbourhood, anonymised, while it is open
  and not expired — and only if the offer was posted before the request: an offer posted
  afterwards reveals nothing that was already there, so throw-away offers, one per theme ×
  neighbourhood, read nothing. Staff and admins never read a request through an offer.

`readable_requests(member, now)` is the filter (the list, the API list);
`readable_request(member, id)` the loader (the page, the API, proposing help). The page and
the API call `permissions.can_see_request`, which is this rule.

A proposal of help and its private exchange follow their request: `readable_proposals` (one
of its two people, while that person may read the request) and `readable_exchanges` (the
same, once accepted) filter the lists, `readable_proposal` and `readable_exchange` load one
for the pages. So a helper keeps nothing once the request is closed (done or withdrawn) —
neither the request's text and the requester's name, nor the exchange, whose messages carry
both — while its author keeps all of it; anyone else gets a 404, exactly as for an id that does
not exist.

An offer of help is read by its author alone (`readable_offer`): others never see an offer,
only what it lets its author read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.sql.elements import ColumnElement

from community.communities.gardening import gardened_ids
from community.communities.models import Community
from community.core.edge import as_id
from community.core.models import utcnow
from community.core.permissions import is_authenticated, is_staff
from community.extensions import db
from community.members.models import Member
from community.solidarity.models import HelpOffer, HelpProposal, HelpRequest


def gardened_theme_ids(member: Member | None) -> set[int]:
    """Themes of the communities `member` gardens right now (one query)."""
    if not is_authenticated(member):
        return set()
    assert member is not None
    return set(
        db.session.execute(
            select(Community.theme_id).where(Community.id.in_(gardened_ids(member)))
        ).scalars()
    )


def matching_offer(member: Member) -> ColumnElement[bool]:
    """An active offer of `member`, in the request's place, posted before the request."""
    if is_staff(member):
        return false()
    return (
        select(HelpOffer.id)
        .where(
            HelpOffer.author_id == member.id,
            HelpOffer.withdrawn_at.is_(None),
            HelpOffer.theme_id == HelpRequest.theme_id,
            HelpOffer.neighbourhood_id == HelpRequest.neighbourhood_id,
            HelpOffer.created_at <= HelpRequest.created_at,
        )
        .exists()
    )


def open_now(now: datetime) -> ColumnElement[bool]:
    return and_(HelpRequest.status == "open", HelpRequest.expires_at > now)


def accepted_helper(member: Member) -> ColumnElement[bool]:
    # An alias: the filter also runs inside queries on proposals (`readable_proposals`), which
    # must not correlate with this subquery's own proposal.
    proposal = aliased(HelpProposal)
    return (
        select(proposal.id)
        .where(
            proposal.request_id == HelpRequest.id,
            proposal.helper_id == member.id,
            proposal.status == "accepted",
        )
        .exists()
    )


def readable_requests(
    member: Member | None, now: datetime | None = None, *, own: bool = True
) -> ColumnElement[bool]:
    """The filter on `HelpRequest` of what `member` may read (`own=False`: not their own)."""
    if not is_authenticated(member):
        return false()
    assert member is not None
    now = now or utcnow()
    gardened = gardened_theme_ids(member)
    others = or_(
        HelpRequest.theme_id.in_(gardened) if gardened else false(),
        and_(HelpRequest.status == "matched", accepted_helper(member)),
        and_(open_now(now), matching_offer(member)),
    )
    if own:
        return or_(HelpRequest.author_id == member.id, others)
    return and_(HelpRequest.author_id != member.id, others)


def readable_request(
    member: Member | None, request_id: object, now: datetime | None = None
) -> HelpRequest | None:
    """The request if `member` may read it; None, exactly as for an id that does not exist."""
    if as_id(request_id) is None:
        return None
    return db.session.execute(
        select(HelpRequest).where(HelpRequest.id == request_id, readable_requests(member, now))
    ).scalar_one_or_none()


def readable_offer(member: Member | None, offer_id: object) -> HelpOffer | None:
    """The offer if `member` may read it (its author); None, exactly as for an id that does not
    exist."""
    if not is_authenticated(member) or as_id(offer_id) is None:
        return None
    assert member is not None
    return db.session.execute(
        select(HelpOffer).where(HelpOffer.id == offer_id, HelpOffer.author_id == member.id)
    ).scalar_one_or_none()


def readable_proposals(member: Member | None, now: datetime | None = None) -> ColumnElement[bool]:
    """The filter on `HelpProposal` (joined to its `HelpRequest`) of the proposals `member` is
    one of the two people of, while `member` may read the request."""
    if not is_authenticated(member):
        return false()
    assert member is not None
    return and_(
        or_(HelpProposal.helper_id == member.id, HelpRequest.author_id == member.id),
        readable_requests(member, now),
    )


def readable_exchanges(member: Member | None, now: datetime | None = None) -> ColumnElement[bool]:
    """The filter of the private exchanges `member` may read: accepted proposals (under way or
    done) among `readable_proposals`."""
    return and_(HelpProposal.status.in_(("accepted", "done")), readable_proposals(member, now))


def _one_proposal(rule: ColumnElement[bool], proposal_id: object) -> HelpProposal | None:
    if as_id(proposal_id) is None:
        return None
    return db.session.execute(
        select(HelpProposal)
        .join(HelpRequest, HelpProposal.request_id == HelpRequest.id)
        .where(HelpProposal.id == proposal_id, rule)
    ).scalar_one_or_none()


def readable_proposal(
    member: Member | None, proposal_id: object, now: datetime | None = None
) -> HelpProposal | None:
    """The proposal if `member` may read it; None, exactly as for an id that does not exist."""
    return _one_proposal(readable_proposals(member, now), proposal_id)


def readable_exchange(
    member: Member | None, proposal_id: object, now: datetime | None = None
) -> HelpProposal | None:
    """The accepted proposal whose private exchange `member` may read, or None (404)."""
    return _one_proposal(readable_exchanges(member, now), proposal_id)


def through_offer(member: Member | None, request: HelpRequest, now: datetime | None = None) -> bool:
    """Reads `request` as a matching offerer (the rule's offer branch, for one request)."""
    if not is_authenticated(member):
        return False
    assert member is not None
    now = now or utcnow()
    return (
        db.session.execute(
            select(HelpRequest.id).where(
                HelpRequest.id == request.id, open_now(now), matching_offer(member)
            )
        ).first()
        is not None
    )


def my_help_waiting(member: Any, limit: int = 5) -> list[HelpProposal]:
    """For the home page: offers of help waiting for my answer, and my open exchanges."""
    if member is None:
        return []
    return list(
        db.session.execute(
            select(HelpProposal)
            .join(HelpRequest, HelpProposal.request_id == HelpRequest.id)
            .where(
                (
                    (HelpProposal.status == "proposed")
                    & (HelpRequest.author_id == member.id)
                    & (HelpRequest.status == "open")
                )
                | ((HelpProposal.status == "accepted") & readable_exchanges(member))
            )
            .options(selectinload(HelpProposal.request), selectinload(HelpProposal.helper))
            .order_by(HelpProposal.created_at.desc())
            .limit(limit)
        ).scalars()
    )
