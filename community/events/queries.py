"""Read-side queries: lists of rencontres a member may see, and the counts shown about them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import load_only, raiseload

from community.communities.models import Community, GardenerMandate, Membership
from community.core.models import utcnow
from community.core.permissions import is_authenticated, is_staff
from community.events.models import Event, Registration
from community.extensions import db
from community.members.models import Member


def readable(stmt: Select[Any], member: Member | None) -> Select[Any]:
    """Restrict a select over `Event` to the rencontres `member` may read (one query)."""
    stmt = stmt.join(Community, Community.id == Event.community_id)
    if is_staff(member):
        return stmt
    conditions: list[Any] = [Community.visibility == "open"]
    if is_authenticated(member):
        assert member is not None
        conditions.append(
            Event.community_id.in_(
                select(Membership.community_id).where(
                    Membership.member_id == member.id, Membership.status == "active"
                )
            )
        )
        conditions.append(
            Event.community_id.in_(
                select(GardenerMandate.community_id).where(
                    GardenerMandate.member_id == member.id, GardenerMandate.ended_at.is_(None)
                )
            )
        )
    return stmt.where(or_(*conditions))


def browse(
    member: Member | None,
    community: Community | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Select[Any]:
    """Rencontres `member` may read, soonest first, from `start` (default: now) to `end`."""
    stmt = readable(select(Event), member)
    if community is not None:
        stmt = stmt.where(Event.community_id == community.id)
    if start is not None:
        stmt = stmt.where(Event.ends_at >= start)
    if end is not None:
        stmt = stmt.where(Event.starts_at < end)
    return stmt.order_by(Event.starts_at, Event.id)


def upcoming_for(member: Member | None, limit: int = 5) -> list[Event]:
    """For the home page: the next rencontres the member has a place at or may read.

    A member's own registrations come first, then the others of the communities they belong
    to; a visitor sees the next ones of open communities.
    """
    now = utcnow()
    stmt = browse(member, start=now).where(Event.status == "scheduled")
    if is_authenticated(member):
        assert member is not None
        mine = select(Registration.event_id).where(
            Registration.member_id == member.id, Registration.status.in_(("going", "waitlisted"))
        )
        joined = select(Membership.community_id).where(
            Membership.member_id == member.id, Membership.status == "active"
        )
        stmt = stmt.where(or_(Event.id.in_(mine), Event.community_id.in_(joined)))
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


def of_initiative(initiative: Any) -> list[Event]:
    """An initiative's rencontres that took place or have a compte rendu, oldest first."""
    now = utcnow()
    stmt = (
        select(Event)
        .where(
            Event.initiative_id == initiative.id,
            Event.status != "cancelled",
            Event.starts_at <= now,
        )
        .order_by(Event.starts_at)
        # What the initiative's story shows (events/_initiative_story.html), nothing else.
        .options(
            load_only(Event.id, Event.title, Event.starts_at, Event.report_html), raiseload("*")
        )
    )
    return list(db.session.execute(stmt).scalars().unique())


def my_registrations(member: Member) -> list[Registration]:
    """The member's places and waits at rencontres to come, soonest first."""
    now = utcnow()
    stmt = (
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.member_id == member.id,
            Registration.status.in_(("going", "waitlisted")),
            Event.ends_at >= now,
        )
        .order_by(Event.starts_at)
    )
    return list(db.session.execute(stmt).scalars().unique())
