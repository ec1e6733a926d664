"""Communities: reading them (cards, search, whom one may choose for the pair) and staff's
community form. Services flush and never commit. Memberships are in `memberships.py`, the
gardener pair in `pairs.py`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select

from community.communities import signals
from community.communities.models import (
    VISIBILITIES,
    Community,
    GardenerMandate,
    Membership,
)
from community.communities.signals import community_created
from community.core.content import render_markdown
from community.core.database import natural
from community.core.errors import Forbidden, Invalid, NotFound
from community.core.permissions import is_staff
from community.core.search import matching_ids
from community.core.text import slugify
from community.extensions import db
from community.members.models import Member
from community.moderation.standing import not_suspended
from community.territory.models import Neighbourhood, Theme

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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
            .where(GardenerMandate.community_id.in_(ids), GardenerMandate.in_office)
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
            GardenerMandate.in_office,
        )
    ).scalar_one_or_none()


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
