"""Ambassadors' rules: naming, answering, stepping down, invitations and reach, outreach.

Services take the acting member explicitly, flush, and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import selectinload

from community.ambassadors.models import (
    PLACE_KINDS,
    Ambassador,
    Invitation,
    OutreachLog,
)
from community.ambassadors.permissions import (
    can_log_outreach,
    can_name_ambassador,
)
from community.ambassadors.signals import ambassador_named
from community.communities import services as communities
from community.communities.gardening import gardened_ids
from community.communities.models import Community, Membership
from community.communities.permissions import gardens_any, in_good_standing
from community.core.content import plain_text
from community.core.errors import Conflict, Forbidden, Invalid, NotFound
from community.core.models import utcnow
from community.core.permissions import is_staff
from community.core.privacy import what_was_found
from community.extensions import db
from community.members.models import Member
from community.territory.models import Neighbourhood, Theme

MIN_MISSION, MAX_MISSION = 10, 2000
MAX_TEXT = 2000
MAX_PEOPLE = 10000


# --- mandates ---------------------------------------------------------------------------


def _ambassador_here(
    community: Community | None, neighbourhood: Neighbourhood | None = None
) -> ColumnElement[bool]:
    """SQL: an `Ambassador` row of this community (or neighbourhood), asked or active: its
    member is not named there again."""
    if community is not None:
        scope = Ambassador.community_id == community.id
    else:
        assert neighbourhood is not None
        scope = Ambassador.neighbourhood_id == neighbourhood.id
    return and_(scope, Ambassador.status.in_(("proposed", "active")))


def candidates(community: Community) -> Select[Any]:
    """The members one may name ambassador of `community`: those one may choose there
    (`communities.services.candidates`: active, not suspended) who are not already its
    ambassador, nor asked to be."""
    return communities.candidates(community).where(
        ~exists().where(_ambassador_here(community), Ambassador.member_id == Member.id)
    )


def name_ambassador(
    actor: Member,
    member: Member,
    mission: str,
    community: Community | None = None,
    neighbourhood: Neighbourhood | None = None,
) -> Ambassador:
    """Name `member` ambassador of a community (its gardeners, staff) or a neighbourhood (staff)."""
    if (community is None) == (neighbourhood is None):
        raise Invalid(
            _("Name an ambassador for a community or for a neighbourhood."),
            {"community": [_("Choose a community or a neighbourhood.")]},
        )
    if not can_name_ambassador(actor, community, neighbourhood):
        raise Forbidden(_("Only the gardeners of this community, or staff, name its ambassadors."))
    mission = (mission or "").strip()
    if not MIN_MISSION <= len(mission) <= MAX_MISSION:
        raise Invalid(
            _("Describe the mission in %(a)d to %(b)d characters.", a=MIN_MISSION, b=MAX_MISSION),
            {"mission": [_("%(a)d to %(b)d characters.", a=MIN_MISSION, b=MAX_MISSION)]},
        )
    if community is not None:
        active = db.session.execute(
            select(Membership.id).where(
                Membership.community_id == community.id,
                Membership.member_id == member.id,
                Membership.status == "active",
            )
        ).first()
        if active is None:
            raise Invalid(
                _("An ambassador of a community must be an active member of it."),
                {"member_id": [_("Choose an active member of this community.")]},
            )
    if not in_good_standing(member, community):  # she could not accept (`candidates`)
        raise Invalid(
            _("This member is suspended for now: choose someone else."),
            {"member_id": [_("Choose someone else.")]},
        )
    already = db.session.execute(
        select(Ambassador.id).where(
            _ambassador_here(community, neighbourhood), Ambassador.member_id == member.id
        )
    ).first()
    if already is not None:
        raise Conflict(_("This member is already ambassador here, or has been asked."))
    ambassador = Ambassador(
        member_id=member.id,
        community_id=community.id if community else None,
        neighbourhood_id=neighbourhood.id if neighbourhood else None,
        mission=mission,
        status="proposed",
        named_by_id=actor.id,
    )
    db.session.add(ambassador)
    db.session.flush()
    ambassador_named.send(ambassador, actor=actor)
    return ambassador


def answer_nomination(
    member: Member, ambassador: Ambassador, accept: bool, shown: bool = False
) -> Ambassador:
    """The named member accepts (the mandate starts) or declines; `shown` is their consent."""
    if ambassador.member_id != member.id:
        raise Forbidden(_("Only the member named answers this proposal."))
    if ambassador.status != "proposed":
        raise Conflict(_("This proposal has already been answered."))
    now = utcnow()
    if accept:
        ambassador.status, ambassador.started_at, ambassador.shown = "active", now, bool(shown)
    else:
        ambassador.status, ambassador.ended_at = "declined", now
    db.session.flush()
    return ambassador


def set_shown(member: Member, ambassador: Ambassador, shown: bool) -> Ambassador:
    """The ambassador agrees, or no longer agrees, to appear on the public page."""
    if ambassador.member_id != member.id:
        raise Forbidden(_("Only the ambassador decides this."))
    ambassador.shown = bool(shown)
    db.session.flush()
    return ambassador


def step_down(member: Member, ambassador: Ambassador, *, keep_links: bool = False) -> Ambassador:
    """The ambassador ends their mandate. Their links already handed out keep working if they
    choose so (`keep_links`): a neighbour met at the market can still sign up; otherwise
    they stop."""
    if ambassador.member_id != member.id:
        raise Forbidden(_("Only the ambassador steps down."))
    if ambassador.status != "active":
        raise Conflict(_("This mandate is not active."))
    now = utcnow()
    ambassador.status, ambassador.ended_at, ambassador.shown = "ended", now, False
    if keep_links:
        db.session.flush()
        return ambassador
    for invitation in db.session.execute(
        select(Invitation).where(
            Invitation.ambassador_id == ambassador.id, Invitation.revoked_at.is_(None)
        )
    ).scalars():
        invitation.revoked_at = now
    db.session.flush()
    return ambassador


def visible_ambassadors(member: Member) -> Select[Any]:
    """Ambassadors `member` may list: all for staff, else their own and their communities'."""
    stmt = select(Ambassador).order_by(Ambassador.created_at.desc(), Ambassador.id.desc())
    if is_staff(member):
        return stmt
    mine_or_gardened = or_(
        Ambassador.member_id == member.id, Ambassador.community_id.in_(gardened_ids(member))
    )
    return stmt.where(mine_or_gardened)


def may_list_ambassadors(member: Member) -> bool:
    """Staff, gardeners and ambassadors list ambassadors (each sees their own scope)."""
    if is_staff(member):
        return True
    gardener = gardens_any(member)
    mine = db.session.execute(
        select(Ambassador.id).where(Ambassador.member_id == member.id)
    ).first()
    return gardener or mine is not None


def mandates_of(member: Member) -> list[Ambassador]:
    """A member's ambassador mandates, newest first."""
    return list(
        db.session.execute(
            select(Ambassador)
            .where(Ambassador.member_id == member.id)
            .order_by(Ambassador.created_at.desc(), Ambassador.id.desc())
        ).scalars()
    )


def public_ambassadors(community: Community) -> list[Ambassador]:
    """A community's active ambassadors who agreed to be shown."""
    return list(
        db.session.execute(
            select(Ambassador)
            .where(
                Ambassador.community_id == community.id,
                Ambassador.status == "active",
                Ambassador.shown.is_(True),
            )
            .order_by(Ambassador.started_at)
        ).scalars()
    )


# --- outreach journal -------------------------------------------------------------------


@dataclass
class OutreachData:
    happened_on: date | None
    place_kind: str
    people_met: int | None
    neighbourhood_id: int | None = None
    theme_ids: list[int] = field(default_factory=list)
    topics: str = ""
    follow_up: str = ""


def log_outreach(member: Member, ambassador: Ambassador, data: OutreachData) -> OutreachLog:
    """The ambassador logs an outing; names and contact details of the people met are refused."""
    if not can_log_outreach(member, ambassador):
        raise Forbidden(_("Only the active ambassador writes in this journal."))
    errors: dict[str, list[str]] = {}
    today = utcnow().date()
    if data.happened_on is None:
        errors["happened_on"] = [_("Give the date of the outing.")]
    elif data.happened_on > today or data.happened_on < today - timedelta(days=366):
        errors["happened_on"] = [_("A date within the last year.")]
    if data.place_kind not in PLACE_KINDS:
        errors["place_kind"] = [_("Choose a kind of place.")]
    if data.people_met is None or not 0 <= data.people_met <= MAX_PEOPLE:
        errors["people_met"] = [_("A number from 0 to 10,000.")]
    neighbourhood = None
    if data.neighbourhood_id:
        neighbourhood = db.session.get(Neighbourhood, data.neighbourhood_id)
        if neighbourhood is None:
            errors["neighbourhood_id"] = [_("Unknown neighbourhood.")]
    themes: list[Theme] = []
    if data.theme_ids:
        themes = list(
            db.session.execute(select(Theme).where(Theme.id.in_(data.theme_ids))).scalars()
        )
        if len(themes) != len(set(data.theme_ids)):
            errors["theme_ids"] = [_("Unknown theme.")]
    for name in ("topics", "follow_up"):
        text = getattr(data, name) or ""
        if len(text) > MAX_TEXT:
            errors[name] = [_("At most 2,000 characters.")]
        elif found := what_was_found(text):
            errors[name] = [
                _(
                    "Please remove %(found)s. Write what you heard, not who said it: "
                    "no contact details of the people met.",
                    found=found,
                )
            ]
    if errors:
        raise Invalid(_("Some fields are not valid."), errors)
    entry = OutreachLog(
        ambassador_id=ambassador.id,
        happened_on=data.happened_on,
        neighbourhood=neighbourhood,
        place_kind=data.place_kind,
        people_met=data.people_met,
        topics=plain_text(data.topics.strip()),
        follow_up=plain_text(data.follow_up.strip()),
        themes=themes,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def outreach_of(ambassador: Ambassador) -> Select[Any]:
    """The select of an ambassador's journal, latest outing first, themes loaded."""
    return (
        select(OutreachLog)
        .where(OutreachLog.ambassador_id == ambassador.id)
        .options(selectinload(OutreachLog.themes))
        .order_by(OutreachLog.happened_on.desc(), OutreachLog.id.desc())
    )


def ambassador_or_404(ambassador_id: int) -> Ambassador:
    ambassador = db.session.get(Ambassador, ambassador_id)
    if ambassador is None:
        raise NotFound(_("This ambassador does not exist."))
    return ambassador
