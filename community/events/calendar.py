"""iCalendar files: one per rencontre, and a member's private feed (`icalendar`).

Times are written in Europe/Paris with its VTIMEZONE, so that a calendar shows the wall-clock
time the rencontre was planned at, on either side of a change to summer or winter time.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from icalendar import Calendar
from icalendar import Event as VEvent
from sqlalchemy import select

from community.core.content import plain_text
from community.core.edge import single_line
from community.core.models import utcnow
from community.core.origins import public_url
from community.core.permissions import is_authenticated, require
from community.events.models import ACTIVE, CalendarFeed, Event, Registration
from community.events.queries import readable_events
from community.events.times import paris
from community.extensions import db
from community.members.models import Member


def _link(path: str) -> str:
    return public_url() + path


def _vevent(event: Event) -> VEvent:
    item = VEvent()
    item.add("uid", f"rencontre-{event.id}@terreau")
    item.add("dtstamp", utcnow())
    item.add("dtstart", paris(event.starts_at))
    item.add("dtend", paris(event.ends_at))
    item.add("summary", event.title)
    if event.place:
        item.add("location", event.place)
    if event.description_html:
        item.add("description", plain_text(event.description_html).strip())
    item.add("url", _link(f"/events/{event.id}"))
    item.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    item.add("last-modified", event.updated_at)
    return item


def calendar_of(events: Iterable[Event], name: str) -> bytes:
    """A VCALENDAR with one VEVENT per rencontre."""
    cal = Calendar()
    cal.add("prodid", "-//Terreau//Rencontres//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # A property icalendar does not escape: a line break in it would break the file.
    cal.add("x-wr-calname", single_line(name))
    cal.add("x-wr-timezone", "Europe/Paris")
    for event in events:
        cal.add_component(_vevent(event))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_feed(member: Member) -> str:
    """A new private feed token for `member` (the previous one stops working)."""
    require(is_authenticated(member), member)
    revoke_feed(member)
    token = secrets.token_urlsafe(24)
    db.session.add(CalendarFeed(member_id=member.id, token_hash=_hash(token)))
    db.session.flush()
    return token


def revoke_feed(member: Member) -> bool:
    """Stop `member`'s private feed; True if there was one."""
    require(is_authenticated(member), member)
    feed = db.session.execute(
        select(CalendarFeed).where(CalendarFeed.member_id == member.id)
    ).scalar_one_or_none()
    if feed is None:
        return False
    db.session.delete(feed)
    db.session.flush()
    return True


def has_feed(member: Member) -> bool:
    return (
        db.session.execute(
            select(CalendarFeed.id).where(CalendarFeed.member_id == member.id)
        ).first()
        is not None
    )


def feed_member(token: str) -> Member | None:
    """The member whose feed this token opens, or None (unknown or revoked)."""
    if not token or len(token) > 200:
        return None
    feed = db.session.execute(
        select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token))
    ).scalar_one_or_none()
    return db.session.get(Member, feed.member_id) if feed is not None else None


def feed_events(member: Member) -> list[Event]:
    """The rencontres of the member's feed: those they have a place at or wait for, from
    the last 30 days on (cancelled ones stay, marked cancelled), and may still read."""

    since = utcnow() - timedelta(days=30)
    stmt = (
        select(Event)
        .join(Registration, Registration.event_id == Event.id)
        .where(
            Registration.member_id == member.id,
            Registration.status.in_(ACTIVE),
            Event.ends_at >= since,
            readable_events(member),
        )
        .order_by(Event.starts_at)
    )
    return list(db.session.execute(stmt).scalars().unique())
