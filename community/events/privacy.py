"""The events domain answers for its rows in a member's export and before an erasure."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select

from community.events import registrations
from community.events.models import CalendarFeed, Event, Registration
from community.extensions import db
from community.members.models import Member
from community.members.signals import erasing, exporting


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _mine(member: Member) -> Any:
    """The member's registrations, and those made as a guest with the member's e-mail."""
    return or_(Registration.member_id == member.id, Registration.guest_email == member.email)


@exporting.connect
def _export(member: Member, **_: Any) -> dict[str, list[dict[str, Any]]]:
    registrations = db.session.execute(
        select(Registration, Event)
        .join(Event, Event.id == Registration.event_id)
        .where(_mine(member))
        .order_by(Registration.created_at)
    ).all()
    created = db.session.execute(
        select(Event).where(Event.created_by_id == member.id).order_by(Event.starts_at)
    ).scalars()
    feed = db.session.execute(
        select(CalendarFeed).where(CalendarFeed.member_id == member.id)
    ).scalar_one_or_none()
    return {
        "event_registrations": [
            {
                "event_id": event.id,
                "event_title": event.title,
                "starts_at": _iso(event.starts_at),
                "as_guest": registration.member_id is None,
                "guest_name": registration.guest_name,
                "guest_email": registration.guest_email,
                "status": registration.status,
                "registered_at": _iso(registration.created_at),
                "cancelled_at": _iso(registration.cancelled_at),
                "checked_in_at": _iso(registration.checked_in_at),
                "reminded_at": _iso(registration.reminded_at),
            }
            for registration, event in registrations
        ],
        "events_created": [
            {
                "id": event.id,
                "title": event.title,
                "description": event.description,
                "starts_at": _iso(event.starts_at),
                "ends_at": _iso(event.ends_at),
                "place": event.place,
                "status": event.status,
                "report": event.report,
            }
            for event in created
        ],
        "event_calendar_feed": [{"created_at": _iso(feed.created_at)}] if feed else [],
    }


@erasing.connect
def _erase(member: Member, **_: Any) -> None:
    # Places at rencontres to come go to those waiting; the rows go with the account
    # (ondelete), and so do guest registrations made with the same address.
    registrations.release_member(member)
    db.session.execute(delete(Registration).where(Registration.guest_email == member.email))
