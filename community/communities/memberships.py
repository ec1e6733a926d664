"""Memberships: the communities a member is in, joining and leaving, and the gardeners'
answers to requests to join. Services take the acting member, flush and never commit."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from community.communities import signals
from community.communities.gardening import gardened_ids
from community.communities.models import Community, Membership
from community.communities.permissions import (
    can_answer_memberships,
    can_join,
    holds_citizen_side,
    in_good_standing,
    membership_of,
)
from community.communities.signals import membership_answered
from community.core.database import natural
from community.core.errors import Conflict, Forbidden, Invalid, NotFound
from community.core.jinja import day
from community.core.models import utcnow
from community.core.permissions import is_authenticated, is_staff, require
from community.extensions import db
from community.members.models import Member

MAX_MESSAGE = 1000


def community_ids_of(member: Member) -> Select[tuple[int]]:
    """The ids of the communities `member` is in (a subquery): those she is an active member
    of, and those she gardens (the gardener on the town's side holds no membership)."""
    joined = select(Membership.community_id).where(
        Membership.member_id == member.id, Membership.status == "active"
    )
    return joined.union(gardened_ids(member))  # type: ignore[return-value]


def communities_of(member: Member) -> list[Community]:
    """The communities `member` is in (`community_ids_of`), by name."""
    if not is_authenticated(member):
        return []
    return list(
        db.session.execute(
            select(Community)
            .where(Community.id.in_(community_ids_of(member)))
            .order_by(natural(Community.name), Community.id)
        ).scalars()
    )


def pending_requests_for(member: Member) -> list[Membership]:
    """Membership requests waiting in the communities `member` gardens (all of them for staff),
    those she may answer now (not while suspended from the platform or from the community)."""
    stmt = (
        select(Membership)
        .where(Membership.status == "pending")
        .order_by(Membership.created_at, Membership.id)
    )
    if not is_staff(member):
        stmt = stmt.where(Membership.community_id.in_(gardened_ids(member)))
    if not in_good_standing(member):
        return []
    # Not in a community she is banned from now (one query, whatever the number of requests).
    banned = select(Membership.community_id).where(
        Membership.member_id == member.id,
        Membership.status == "banned",
        or_(Membership.banned_until.is_(None), Membership.banned_until > utcnow()),
    )
    stmt = stmt.where(Membership.community_id.not_in(banned))
    stmt = stmt.options(joinedload(Membership.member), joinedload(Membership.community))
    return list(db.session.execute(stmt).scalars())


def suspended_words(membership: Membership) -> str:
    """What a member suspended from a community reads there: her participation is suspended,
    and until when when the suspension has an end."""
    if membership.banned_until is not None:
        return _(
            "Your participation in this community is suspended until %(date)s.",
            date=day(membership.banned_until),
        )
    return _("Your participation in this community is suspended.")


def join(
    member: Member, community: Community, accept_charter: bool, message: str = ""
) -> Membership:
    """Join an open community at once, or ask to join an on-request one; the charter is accepted."""
    require(can_join(member, community), member)
    if not accept_charter:
        raise Invalid(
            _("Joining means accepting the community's charter."),
            {"accept_charter": [_("Please accept the charter.")]},
        )
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise Invalid(_("Your message is too long."), {"message": [_("At most 1,000 characters.")]})
    membership = membership_of(member, community)
    if membership is not None and membership.status in {"active", "pending"}:
        return membership
    now = utcnow()
    if membership is not None and membership.status == "banned":
        # A suspension with an end date is over once that date has passed.
        if membership.banned_until is None or membership.banned_until > now:
            raise Forbidden(suspended_words(membership))
        membership.banned_until = None
    if membership is None:
        membership = Membership(community_id=community.id, member_id=member.id)
        db.session.add(membership)
    membership.charter_accepted_at = now
    membership.request_message = message
    membership.answer, membership.answered_by_id, membership.answered_at = "", None, None
    if community.visibility == "open":
        membership.status, membership.joined_at = "active", now
    else:
        membership.status, membership.joined_at = "pending", None
    db.session.flush()
    return membership


def leave(member: Member, community: Community) -> Membership:
    """Leave a community, or withdraw a request. A citizen gardener must be replaced first."""
    require(is_authenticated(member), member)
    membership = membership_of(member, community)
    if membership is None or membership.status not in {"active", "pending"}:
        raise NotFound(_("You are not a member of this community."))
    if holds_citizen_side(member, community):
        raise Conflict(
            _("You are the citizen gardener of this community: ask staff to hand over first.")
        )
    membership.status = "left"
    db.session.flush()
    signals.access_narrowed.send(community, member=member)
    return membership


def answer_request(actor: Member, membership: Membership, accept: bool, answer: str) -> Membership:
    """A gardener (or staff) accepts or refuses a request, with an answer the member reads."""
    if not can_answer_memberships(actor, membership.community):
        raise Forbidden(_("Only the gardeners of this community answer its requests."))
    if membership.status != "pending":
        raise Conflict(_("This request has already been answered."))
    answer = (answer or "").strip()
    if len(answer) > MAX_MESSAGE:
        raise Invalid(_("Your answer is too long."), {"answer": [_("At most 1,000 characters.")]})
    if not accept and not answer:
        raise Invalid(
            _("Please tell the member why you refuse."), {"answer": [_("An answer is needed.")]}
        )
    now = utcnow()
    membership.status = "active" if accept else "refused"
    membership.joined_at = now if accept else None
    membership.answer, membership.answered_by_id, membership.answered_at = answer, actor.id, now
    db.session.flush()
    membership_answered.send(membership, actor=actor)
    if not accept:
        signals.access_narrowed.send(membership.community, member=membership.member)
    return membership
