"""Communities, memberships and gardener pairs: the rules. Services flush and never commit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import joinedload

from community.communities import signals
from community.communities.models import (
    VISIBILITIES,
    Community,
    GardenerMandate,
    Membership,
)
from community.communities.permissions import (
    can_answer_memberships,
    can_join,
    holds_citizen_side,
    in_good_standing,
)
from community.communities.signals import community_created, membership_answered
from community.core.content import render_markdown
from community.core.database import natural
from community.core.errors import Conflict, Forbidden, Invalid, NotFound
from community.core.jinja import day
from community.core.models import utcnow
from community.core.permissions import is_authenticated, is_staff, require
from community.core.search import matching_ids
from community.core.text import slugify
from community.extensions import db
from community.members.models import Member
from community.moderation.standing import not_suspended
from community.territory.models import Neighbourhood, Theme

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_MESSAGE = 1000
# Paths of the communities pages that a slug must not shadow.
RESERVED_SLUGS = {
    "new",
    "dashboard",
    "needing-gardener",
    "requests",
    "for-me",
    "proposals",
    "mandates",
}


# --- reading ----------------------------------------------------------------------------


@dataclass
class CommunityCard:
    """A community with what its lists and pages show: member count and gardener pair."""

    community: Community
    member_count: int = 0
    technician: Member | None = None
    citizen: Member | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def gardeners(self) -> dict[str, Member | None]:
        return {"technician": self.technician, "citizen": self.citizen}

    @property
    def pair_complete(self) -> bool:
        return self.technician is not None and self.citizen is not None


def community_by_slug(slug: str) -> Community:
    """The community with this slug, or `NotFound`."""
    community = db.session.execute(
        select(Community).where(Community.slug == slug)
    ).scalar_one_or_none()
    if community is None:
        raise NotFound(_("This community does not exist."))
    return community


def search_communities(
    q: str = "", theme_id: int | None = None, neighbourhood_id: int | None = None
) -> Select[Any]:
    """The select of communities matching a search and filters, by name.

    The search forgives (`community.core.search`): accents, case, plurals, theme names and
    their everyday words. A neighbourhood keeps the communities of the whole town (no
    neighbourhood), open to the people who live there too.
    """
    stmt = select(Community).order_by(natural(Community.name), Community.id)
    if theme_id:
        stmt = stmt.where(Community.theme_id == theme_id)
    if neighbourhood_id:
        stmt = stmt.where(
            or_(
                Community.neighbourhood_id == neighbourhood_id, Community.neighbourhood_id.is_(None)
            )
        )
    ids = matching_ids("community", q)
    if ids is not None:
        stmt = stmt.where(Community.id.in_(ids))
    return stmt


def communities_near(member: Member, limit: int = 12) -> list[Community]:
    """Communities for `member`: those of her neighbourhood and the city-wide ones, those of
    her themes first; the ones she already belongs to are left out."""
    theme_ids = [t.id for t in member.themes]
    mine = select(Membership.community_id).where(
        Membership.member_id == member.id, Membership.status.in_(("active", "pending"))
    )
    stmt = select(Community).where(Community.id.not_in(mine))
    if member.neighbourhood_id is not None:
        stmt = stmt.where(
            or_(
                Community.neighbourhood_id == member.neighbourhood_id,
                Community.neighbourhood_id.is_(None),
            )
        )
    theme_first = case((Community.theme_id.in_(theme_ids), 0), else_=1) if theme_ids else literal(1)
    # Her own neighbourhood before the city-wide ones.
    place_first = case((Community.neighbourhood_id.is_(None), 1), else_=0)
    stmt = stmt.order_by(theme_first, place_first, natural(Community.name)).limit(limit)
    return list(db.session.execute(stmt).scalars())


def cards_for(communities: list[Community]) -> list[CommunityCard]:
    """Cards for these communities in two grouped queries, whatever their number."""
    ids = [c.id for c in communities]
    counts: dict[int, int] = {}
    pairs: dict[int, dict[str, Member]] = {}
    if ids:
        counts = dict(
            db.session.execute(
                select(Membership.community_id, func.count(Membership.id))
                .where(Membership.community_id.in_(ids), Membership.status == "active")
                .group_by(Membership.community_id)
            ).all()
        )
        rows = db.session.execute(
            select(GardenerMandate.community_id, GardenerMandate.side, Member)
            .join(Member, Member.id == GardenerMandate.member_id)
            .where(GardenerMandate.community_id.in_(ids), GardenerMandate.ended_at.is_(None))
        ).all()
        for community_id, side, member in rows:
            pairs.setdefault(community_id, {})[side] = member
    return [
        CommunityCard(
            c,
            counts.get(c.id, 0),
            pairs.get(c.id, {}).get("technician"),
            pairs.get(c.id, {}).get("citizen"),
        )
        for c in communities
    ]


def card_for(community: Community) -> CommunityCard:
    """The card of one community."""
    return cards_for([community])[0]


def active_members(community: Community) -> Select[Any]:
    """The select of a community's active members, by pseudonym."""
    return (
        select(Member)
        .join(Membership, Membership.member_id == Member.id)
        .where(Membership.community_id == community.id, Membership.status == "active")
        .order_by(natural(Member.display_name_key))
    )


def candidate_clause() -> ColumnElement[bool]:
    """SQL, on a join of `Membership` and `Member`: one may choose this member in this
    community (a citizen gardener, a successor, an ambassador): an active member not
    suspended from the platform, who could accept. The services that name them refuse anyone
    else (`pairs._check_candidate`, `ambassadors.services.name_ambassador`)."""
    return and_(Membership.status == "active", not_suspended(Member.id))


def candidates(community: Community) -> Select[Any]:
    """The members one may choose in `community` (`candidate_clause`), by pseudonym."""
    return (
        select(Member)
        .join(Membership, Membership.member_id == Member.id)
        .where(Membership.community_id == community.id, candidate_clause())
        .order_by(natural(Member.display_name_key))
    )


def staff_candidates() -> Select[Any]:
    """The staff one may choose as a technician gardener: not suspended from the platform."""
    return (
        select(Member)
        .where(Member.role.in_(("staff", "admin")), not_suspended(Member.id))
        .order_by(natural(Member.display_name_key))
    )


def open_mandate(community: Community, side: str) -> GardenerMandate | None:
    return db.session.execute(
        select(GardenerMandate).where(
            GardenerMandate.community_id == community.id,
            GardenerMandate.side == side,
            GardenerMandate.ended_at.is_(None),
        )
    ).scalar_one_or_none()


def pending_requests_for(member: Member) -> list[Membership]:
    """Membership requests waiting in the communities `member` gardens (all of them for staff),
    those she may answer now (not while suspended from the platform or from the community)."""
    stmt = (
        select(Membership)
        .where(Membership.status == "pending")
        .order_by(Membership.created_at, Membership.id)
    )
    if not is_staff(member):
        gardened = select(GardenerMandate.community_id).where(
            GardenerMandate.member_id == member.id, GardenerMandate.ended_at.is_(None)
        )
        stmt = stmt.where(Membership.community_id.in_(gardened))
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


# --- communities ------------------------------------------------------------------------


@dataclass
class CommunityData:
    name: str
    theme_id: int | None
    description: str = ""
    charter: str = ""
    visibility: str = "open"
    neighbourhood_id: int | None = None
    slug: str = ""


def save_community(
    actor: Member, data: CommunityData, community: Community | None = None
) -> Community:
    """Create or edit a community (staff): unique name and slug, known theme and neighbourhood."""
    if not is_staff(actor):
        raise Forbidden(_("Only staff create and edit communities."))
    errors: dict[str, list[str]] = {}
    name = " ".join((data.name or "").split())
    if not 3 <= len(name) <= 120:
        errors["name"] = [_("3 to 120 characters.")]
    slug = (data.slug or "").strip().lower() or slugify(name)
    if not SLUG.match(slug) or len(slug) > 80 or slug in RESERVED_SLUGS:
        errors["slug"] = [_("Lower-case letters, digits and dashes only.")]
    theme = db.session.get(Theme, data.theme_id) if data.theme_id else None
    if theme is None:
        errors["theme_id"] = [_("Choose a theme.")]
    neighbourhood = None
    if data.neighbourhood_id:
        neighbourhood = db.session.get(Neighbourhood, data.neighbourhood_id)
        if neighbourhood is None:
            errors["neighbourhood_id"] = [_("Unknown neighbourhood.")]
    if data.visibility not in VISIBILITIES:
        errors["visibility"] = [_("Choose open or on request.")]
    if len(data.description or "") > 2000:
        errors["description"] = [_("At most 2,000 characters.")]
    if len(data.charter or "") > 20000:
        errors["charter"] = [_("At most 20,000 characters.")]
    if not errors:
        clash = db.session.execute(
            select(Community.id, Community.slug).where(
                or_(Community.slug == slug, Community.name == name)
            )
        ).all()
        for other_id, other_slug in clash:
            if community is None or other_id != community.id:
                key = "slug" if other_slug == slug else "name"
                errors[key] = [_("Already used by another community.")]
    if errors:
        raise Invalid(_("Some fields are not valid."), errors)
    created = community is None
    if community is None:
        community = Community(created_by_id=actor.id)
        db.session.add(community)
    community.name, community.slug = name, slug
    assert theme is not None  # checked above
    community.theme, community.neighbourhood = theme, neighbourhood
    community.description = (data.description or "").strip()
    community.charter = data.charter or ""
    community.charter_html = render_markdown(community.charter)
    narrowed = community.visibility == "open" and data.visibility != "open"
    community.visibility = data.visibility
    db.session.flush()
    if narrowed:
        signals.access_narrowed.send(community, member=None)
    if created:
        community_created.send(community, actor=actor)
    return community


# --- memberships ------------------------------------------------------------------------


def community_ids_of(member: Member) -> Select[tuple[int]]:
    """The ids of the communities `member` is in (a subquery): those she is an active member
    of, and those she gardens (the gardener on the town's side holds no membership)."""
    gardened = select(GardenerMandate.community_id).where(
        GardenerMandate.member_id == member.id, GardenerMandate.ended_at.is_(None)
    )
    joined = select(Membership.community_id).where(
        Membership.member_id == member.id, Membership.status == "active"
    )
    return joined.union(gardened)  # type: ignore[return-value]


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


def suspended_words(membership: Membership) -> str:
    """What a member suspended from a community reads there: her participation is suspended,
    and until when when the suspension has an end."""
    if membership.banned_until is not None:
        return _(
            "Your participation in this community is suspended until %(date)s.",
            date=day(membership.banned_until),
        )
    return _("Your participation in this community is suspended.")


def _membership(member: Member, community: Community) -> Membership | None:
    return db.session.execute(
        select(Membership).where(
            Membership.community_id == community.id, Membership.member_id == member.id
        )
    ).scalar_one_or_none()


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
    membership = _membership(member, community)
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
    membership = _membership(member, community)
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
