"""Read-side queries: who may read a rencontre — ONE rule — and the lists built on it.

Every door that shows a rencontre goes through `readable_events(member)` (the filter on
`Event` of what one person may read) or `holder_may_read()` (the same rule for the holder of
each `Registration`, for the doors that speak to many people at once): its page and `.ics`,
the lists, the home page, "my rencontres", the private calendar feed, an initiative's story,
the reminders, the notices of a cancellation, of a freed place and of a compte rendu.

A rencontre is readable by anyone when its community is open; by the community's active
members, its gardeners and staff when it is on request. Someone who leaves an on-request
community (or is refused, or stops being its gardener), or whose community turns on-request,
loses its rencontres at every door at once — and their places (`registrations.withdraw_places`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import Select, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import aliased, contains_eager, load_only, raiseload
from sqlalchemy.sql.elements import ColumnElement

from community.communities.gardening import gardened_ids
from community.communities.memberships import community_ids_of
from community.communities.models import Community, GardenerMandate, Membership
from community.core.cache import request_memo
from community.core.models import utcnow
from community.core.permissions import is_authenticated, is_staff
from community.events.models import ACTIVE, Event, Registration
from community.extensions import db
from community.members.models import Member

STAFF_ROLES = ("staff", "admin")


@cache
def _aliases() -> tuple[Any, Any, Any, Any]:
    """The rule's own aliases, built once, on first use (once the mappers are configured): an
    alias built per call cost a tenth of a community page. Each subquery below correlates
    everything but its alias, so a query that joins these tables itself never captures them,
    and two uses side by side in one statement each keep their own FROM."""
    return (
        aliased(Community, name="readable_community"),
        aliased(Membership, name="readable_membership"),
        aliased(GardenerMandate, name="readable_mandate"),
        aliased(Member, name="registration_holder"),
    )


def _may_read(community_id: Any, member_id: Any, staff: ColumnElement[bool]) -> ColumnElement[bool]:
    """THE rule, in SQL: the rencontres of community `community_id` are readable by
    `member_id` (a value, a column, or None for a visitor) when the community is open, or
    when they are staff (`staff`), one of its active members or one of its gardeners."""
    community, membership, mandate, _ = _aliases()
    conditions: list[ColumnElement[bool]] = [
        staff,
        exists()
        .where(community.id == community_id, community.visibility == "open")
        .correlate_except(community),
    ]
    if member_id is not None:
        conditions += [
            exists()
            .where(
                membership.community_id == community_id,
                membership.member_id == member_id,
                membership.status == "active",
            )
            .correlate_except(membership),
            exists()
            .where(
                mandate.community_id == community_id,
                mandate.member_id == member_id,
                mandate.in_office,
            )
            .correlate_except(mandate),
        ]
    return or_(*conditions)


def _member_id(member: Member | None) -> int | None:
    return member.id if is_authenticated(member) and member is not None else None


def readable_events(member: Member | None) -> ColumnElement[bool]:
    """The filter on `Event` of the rencontres `member` (None: a visitor) may read."""
    if is_staff(member):
        return true()
    return _may_read(Event.community_id, _member_id(member), false())


def holder_may_read() -> ColumnElement[bool]:
    """The filter on `Registration` (joined to its `Event`) of those whose holder may still
    read the rencontre: a member by the rule above, a guest as a visitor. The reminders, the
    notices and the waiting list's promotions go only to them."""
    person = _aliases()[3]
    staff = (
        exists()
        .where(person.id == Registration.member_id, person.role.in_(STAFF_ROLES))
        .correlate_except(person)
    )
    return _may_read(Event.community_id, Registration.member_id, staff)


def told_registrations(event: Event, *conditions: ColumnElement[bool]) -> list[Registration]:
    """The active registrations of `event` whose holders may still read it (those its news
    reaches: a move, a compte rendu), narrowed by `conditions`."""
    return list(
        db.session.execute(
            select(Registration)
            .join(Event, Event.id == Registration.event_id)
            .where(
                Registration.event_id == event.id,
                Registration.status.in_(ACTIVE),
                holder_may_read(),
                *conditions,
            )
            .order_by(Registration.id)
        ).scalars()
    )


def may_read_community_events(member: Member | None, community: Community) -> bool:
    """The rule for one community (one query, once per request)."""
    if is_staff(member):
        return True
    member_id = _member_id(member)
    return bool(
        request_memo(
            ("events_readable", member_id, community.id),
            lambda: db.session.execute(
                select(_may_read(community.id, member_id, false()))
            ).scalar(),
        )
    )


def browse(
    member: Member | None,
    community: Community | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Select[Any]:
    """Rencontres `member` may read, soonest first, from `start` (default: now) to `end`."""
    stmt = select(Event).where(readable_events(member))
    if community is not None:
        stmt = stmt.where(Event.community_id == community.id)
    if start is not None:
        stmt = stmt.where(Event.ends_at >= start)
    if end is not None:
        stmt = stmt.where(Event.starts_at < end)
    return stmt.order_by(Event.starts_at, Event.id)


def past(member: Member | None, community: Community | None = None) -> Select[Any]:
    """Rencontres `member` may read that are over, the latest first (with their compte rendu,
    for those who missed them). A cancelled one never took place: it is left out."""
    stmt = select(Event).where(
        readable_events(member), Event.ends_at < utcnow(), Event.status != "cancelled"
    )
    if community is not None:
        stmt = stmt.where(Event.community_id == community.id)
    return stmt.order_by(Event.starts_at.desc(), Event.id.desc())


# How long a rencontre over waits in its organisers' "à faire" for its compte rendu.
REPORT_AWAITED_DAYS = 30


def reports_awaited(member: Member | None, limit: int = 20) -> list[Event]:
    """Rencontres over in the last `REPORT_AWAITED_DAYS` days, not cancelled, without a compte
    rendu, that `member` organises: those of the communities she is a gardener of, and those
    she created. Candidates only: whether she may write it now is `can_manage_event`'s to say
    (suspensions, an ambassador's mandate ended). Staff may write every compte rendu, but it
    is the gardeners' to do: staff are not asked for every rencontre of the town."""
    if not is_authenticated(member):
        return []
    assert member is not None
    now = utcnow()
    stmt = (
        select(Event)
        .join(Community, Community.id == Event.community_id)
        .where(
            Event.ends_at < now,
            Event.ends_at >= now - timedelta(days=REPORT_AWAITED_DAYS),
            Event.status != "cancelled",
            or_(Event.report_html.is_(None), Event.report_html == ""),
            or_(Event.community_id.in_(gardened_ids(member)), Event.created_by_id == member.id),
        )
        .options(contains_eager(Event.community))
        .order_by(Event.ends_at, Event.id)
        .limit(limit)
    )
    return list(db.session.execute(stmt).scalars())


def upcoming_for(member: Member | None, limit: int = 5) -> list[Event]:
    """For the home page: the next rencontres the member has a place at or may read.

    A member's own registrations come first, then the others of the communities they are in
    (a member or a gardener: `communities.memberships.community_ids_of`); a visitor sees the
    next ones of open communities.
    """
    now = utcnow()
    stmt = browse(member, start=now).where(Event.status == "scheduled")
    if is_authenticated(member):
        assert member is not None
        mine = select(Registration.event_id).where(
            Registration.member_id == member.id, Registration.status.in_(ACTIVE)
        )
        stmt = stmt.where(or_(Event.id.in_(mine), Event.community_id.in_(community_ids_of(member))))
    return list(db.session.execute(stmt.limit(limit)).scalars().unique())


def upcoming_in(member: Member | None, community: Community, limit: int = 3) -> list[Event]:
    """The next rencontres of a community (for its page)."""
    stmt = browse(member, community, start=utcnow()).where(Event.status != "cancelled")
    return list(db.session.execute(stmt.limit(limit)).scalars().unique())


@dataclass(frozen=True)
class Attendance:
    """People checked in at a community's last rencontres; `people` is None when too few to say."""

    people: int | None
    rencontres: int


def recent_attendance(community: Community, last: int = 3) -> Attendance:
    """How many came to the last `last` rencontres that took place (suppressed under the
    observatory's `OBSERVATORY_MIN_CELL`: below it, nothing precise is said)."""
    now = utcnow()
    ids = [
        row
        for row in db.session.execute(
            select(Event.id)
            .where(
                Event.community_id == community.id,
                Event.status != "cancelled",
                Event.starts_at <= now,
            )
            .order_by(Event.starts_at.desc())
            .limit(last)
        ).scalars()
    ]
    if not ids:
        return Attendance(None, 0)
    people = db.session.execute(
        select(func.count(Registration.id)).where(
            Registration.event_id.in_(ids), Registration.checked_in_at.is_not(None)
        )
    ).scalar_one()
    minimum = int(current_app.config.get("OBSERVATORY_MIN_CELL", 5))
    return Attendance(int(people) if people >= minimum else None, len(ids))


def of_initiative(member: Member | None, initiative: Any) -> list[Event]:
    """An initiative's rencontres that took place or have a compte rendu, oldest first — those
    `member` may read (an initiative is public; its on-request community's rencontres are not)."""
    now = utcnow()
    stmt = (
        select(Event)
        .where(
            Event.initiative_id == initiative.id,
            Event.status != "cancelled",
            Event.starts_at <= now,
            readable_events(member),
        )
        .order_by(Event.starts_at)
        # What the initiative's story shows (events/_initiative_story.html), nothing else.
        .options(
            load_only(Event.id, Event.title, Event.starts_at, Event.report_html), raiseload("*")
        )
    )
    return list(db.session.execute(stmt).scalars().unique())


@dataclass(frozen=True)
class Place:
    """A person's own place at a rencontre: `going`, or `waitlisted` at `position` (1: next)."""

    registration: Registration
    status: str
    position: int | None


def _position() -> Any:
    """How many wait before the `Registration` of the enclosing query, plus one."""
    other = aliased(Registration)
    return (
        select(func.count(other.id) + 1)
        .where(
            other.event_id == Registration.event_id,
            other.status == "waitlisted",
            or_(
                other.queued_at < Registration.queued_at,
                and_(other.queued_at == Registration.queued_at, other.id < Registration.id),
            ),
        )
        .correlate(Registration)
        .scalar_subquery()
    )


def _places(stmt: Select[Any]) -> list[Place]:
    return [
        Place(
            registration,
            registration.status,
            position if registration.status == "waitlisted" else None,
        )
        for registration, position in db.session.execute(stmt).unique()
    ]


def my_places(member: Member, event_ids: list[int] | None = None) -> list[Place]:
    """The member's places and waits at rencontres to come that she may still read, soonest
    first, each with her rank on the waiting list (or only at `event_ids`)."""
    stmt = (
        select(Registration, _position())
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.member_id == member.id,
            Registration.status.in_(ACTIVE),
            Event.ends_at >= utcnow(),
            readable_events(member),
        )
        .order_by(Event.starts_at, Event.id)
        .options(contains_eager(Registration.event).joinedload(Event.community))
    )
    if event_ids is not None:
        stmt = stmt.where(Registration.event_id.in_(event_ids))
    return _places(stmt)


def place_of(registration: Registration) -> Place:
    """One registration's place (its rank when it waits)."""
    stmt = select(Registration, _position()).where(Registration.id == registration.id)
    return _places(stmt)[0]
