"""Communities, memberships and gardener pairs: the rules. Services flush and never commit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select

from community.communities.models import (
    SIDES,
    VISIBILITIES,
    Community,
    GardenerMandate,
    Handover,
    Membership,
)
from community.core.content import render_markdown
from community.core.errors import Conflict, Forbidden, Invalid, NotFound
from community.core.models import utcnow
from community.core.permissions import is_staff
from community.extensions import db
from community.members.models import Member
from community.territory.models import Neighbourhood, Theme
from community.territory.services import slugify

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_MESSAGE = 1000
MIN_HANDOVER = 20
MAX_HANDOVER = 5000
# Paths of the communities pages that a slug must not shadow.
RESERVED_SLUGS = {"new", "dashboard", "needing-gardener", "requests"}


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
    """The select of communities matching a text search and filters, by name."""
    stmt = select(Community).order_by(Community.name, Community.id)
    if theme_id:
        stmt = stmt.where(Community.theme_id == theme_id)
    if neighbourhood_id:
        stmt = stmt.where(Community.neighbourhood_id == neighbourhood_id)
    q = " ".join((q or "").split())[:100]
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            or_(
                Community.name.ilike(pattern, escape="\\"),
                Community.description.ilike(pattern, escape="\\"),
            )
        )
    return stmt


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
        .order_by(Member.display_name_key)
    )


def open_mandate(community: Community, side: str) -> GardenerMandate | None:
    return db.session.execute(
        select(GardenerMandate).where(
            GardenerMandate.community_id == community.id,
            GardenerMandate.side == side,
            GardenerMandate.ended_at.is_(None),
        )
    ).scalar_one_or_none()


def communities_needing_gardener() -> list[CommunityCard]:
    """Communities whose pair is incomplete, by name."""
    full = (
        select(GardenerMandate.community_id)
        .where(GardenerMandate.ended_at.is_(None))
        .group_by(GardenerMandate.community_id)
        .having(func.count(func.distinct(GardenerMandate.side)) == len(SIDES))
    )
    communities = list(
        db.session.execute(
            select(Community).where(Community.id.not_in(full)).order_by(Community.name)
        ).scalars()
    )
    return cards_for(communities)


def gardened_by(member: Member) -> list[GardenerMandate]:
    """The open mandates of `member`, with their communities."""
    return list(
        db.session.execute(
            select(GardenerMandate)
            .join(Community, Community.id == GardenerMandate.community_id)
            .where(GardenerMandate.member_id == member.id, GardenerMandate.ended_at.is_(None))
            .order_by(Community.name)
        ).scalars()
    )


def pending_requests_for(member: Member) -> list[Membership]:
    """Membership requests waiting in the communities `member` gardens (all of them for staff)."""
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
    from sqlalchemy.orm import joinedload

    stmt = stmt.options(joinedload(Membership.member), joinedload(Membership.community))
    return list(db.session.execute(stmt).scalars())


def handovers_for(member: Member) -> list[Handover]:
    """Handover notes left for the sides `member` now holds, newest first."""
    held = [(m.community_id, m.side) for m in gardened_by(member)]
    if not held:
        return []
    clauses = [(Handover.community_id == cid) & (Handover.side == side) for cid, side in held]
    from sqlalchemy.orm import joinedload

    return list(
        db.session.execute(
            select(Handover)
            .where(or_(*clauses))
            .options(joinedload(Handover.community))
            .order_by(Handover.created_at.desc(), Handover.id.desc())
        ).scalars()
    )


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
    if community is None:
        community = Community(created_by_id=actor.id)
        db.session.add(community)
    community.name, community.slug = name, slug
    assert theme is not None  # checked above
    community.theme, community.neighbourhood = theme, neighbourhood
    community.description = (data.description or "").strip()
    community.charter = data.charter or ""
    community.charter_html = render_markdown(community.charter)
    community.visibility = data.visibility
    db.session.flush()
    return community


# --- memberships ------------------------------------------------------------------------


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
    if membership is not None and membership.status == "banned":
        raise Forbidden(_("You may not join this community."))
    now = utcnow()
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
    membership = _membership(member, community)
    if membership is None or membership.status not in {"active", "pending"}:
        raise NotFound(_("You are not a member of this community."))
    mandate = open_mandate(community, "citizen")
    if mandate is not None and mandate.member_id == member.id:
        raise Conflict(
            _("You are the citizen gardener of this community: ask staff to hand over first.")
        )
    membership.status = "left"
    db.session.flush()
    return membership


def answer_request(actor: Member, membership: Membership, accept: bool, answer: str) -> Membership:
    """A gardener (or staff) accepts or refuses a request, with an answer the member reads."""
    from community.communities.permissions import can_answer_memberships

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
    return membership


# --- the gardener pair ------------------------------------------------------------------


def assign_gardener(
    actor: Member, community: Community, side: str, member: Member | None, handover_note: str = ""
) -> GardenerMandate | None:
    """Staff set one side of the pair; replacing or removing a gardener needs a handover note."""
    if not is_staff(actor):
        raise Forbidden(_("Only staff assign gardeners."))
    if side not in SIDES:
        raise Invalid(_("Unknown side."), {"side": [_("technician or citizen.")]})
    current = open_mandate(community, side)
    if member is not None and current is not None and current.member_id == member.id:
        return current
    if member is not None:
        if side == "technician" and not is_staff(member):
            raise Invalid(
                _("The technician gardener must be a member of staff."),
                {f"{side}_id": [_("Choose a member of staff.")]},
            )
        if side == "citizen":
            membership = _membership(member, community)
            if membership is None or membership.status != "active":
                raise Invalid(
                    _("The citizen gardener must be an active member of the community."),
                    {f"{side}_id": [_("Choose an active member of this community.")]},
                )
        other = open_mandate(community, "citizen" if side == "technician" else "technician")
        if other is not None and other.member_id == member.id:
            raise Invalid(
                _("One person cannot hold both sides of the pair."),
                {f"{side}_id": [_("Already the other gardener.")]},
            )
    note = (handover_note or "").strip()
    if current is not None:
        if len(note) < MIN_HANDOVER:
            raise Invalid(
                _(
                    "Replacing a gardener needs a handover note of at least %(n)d characters.",
                    n=MIN_HANDOVER,
                ),
                {"handover_note": [_("What is under way, who to know, what was promised.")]},
            )
        if len(note) > MAX_HANDOVER:
            raise Invalid(
                _("The handover note is too long."),
                {"handover_note": [_("At most 5,000 characters.")]},
            )
    now = utcnow()
    if current is not None:
        current.ended_at = now
        db.session.add(
            Handover(
                community_id=community.id,
                side=side,
                from_member_id=current.member_id,
                to_member_id=member.id if member else None,
                written_by_id=actor.id,
                note=note,
                note_html=render_markdown(note),
            )
        )
        db.session.flush()  # the partial unique index: end the old mandate before the new one
    mandate = None
    if member is not None:
        mandate = GardenerMandate(
            community_id=community.id,
            member_id=member.id,
            side=side,
            started_at=now,
            appointed_by_id=actor.id,
        )
        db.session.add(mandate)
    db.session.flush()
    return mandate


def assign_pair(
    actor: Member, community: Community, changes: dict[str, Member | None], handover_note: str = ""
) -> None:
    """Set one or both sides at once; if either is refused, neither changes (a savepoint)."""
    with db.session.begin_nested():
        for side in SIDES:
            if side in changes:
                assign_gardener(actor, community, side, changes[side], handover_note)


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
    from sqlalchemy.orm import joinedload

    return list(
        db.session.execute(
            select(GardenerMandate)
            .where(GardenerMandate.community_id == community.id)
            .options(joinedload(GardenerMandate.member))
            .order_by(GardenerMandate.started_at.desc(), GardenerMandate.id.desc())
        ).scalars()
    )
