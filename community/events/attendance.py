"""At the door and after: check-in by signed code, the attendee list, the compte rendu, the
day-before reminders, and closing past rencontres."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from community.core.content import render_markdown
from community.core.edge import as_id
from community.core.errors import Conflict, NotFound
from community.core.models import utcnow
from community.core.permissions import require
from community.events import codes, permissions, signals
from community.events.models import ACTIVE, Event, Registration
from community.events.queries import holder_may_read, told_registrations
from community.events.services import CHECKIN_OPENS, REPORT_MAX, _invalid
from community.events.times import start_of_day_after_tomorrow
from community.extensions import db
from community.members.models import Member


@dataclass
class CheckIn:
    registration: Registration
    already: bool


def checkin_opens_at(event: Event) -> datetime:
    """From when those who run the rencontre may mark people present (a few hours before)."""
    return event.starts_at - CHECKIN_OPENS


def checkin_open(event: Event, now: datetime | None = None) -> bool:
    """Whether people can be marked present now."""
    return event.status != "cancelled" and (now or utcnow()) >= checkin_opens_at(event)


def _check_in_allowed(actor: Member, event: Event, now: datetime) -> None:
    require(permissions.can_manage_event(actor, event), actor)
    if event.status == "cancelled":
        raise Conflict(_("This rencontre is cancelled."))
    if now < checkin_opens_at(event):
        raise Conflict(_("Check-in opens on the day of the rencontre."))


def holder_of(event: Event, code: str) -> Registration | None:
    """Whose `code` it is: a registration to `event` still active, or None. For those who
    manage the rencontre (its attendee page): a scanned code says whom it names before the
    presence is noted."""
    registration_id = codes.read_checkin_code(event.id, code)
    registration = db.session.get(Registration, registration_id) if registration_id else None
    if registration is None or registration.event_id != event.id or not registration.active:
        return None
    return registration


def check_in(actor: Member, event: Event, code: str) -> CheckIn:
    """Mark the holder of `code` present."""
    now = utcnow()
    _check_in_allowed(actor, event, now)
    registration = holder_of(event, code)
    if registration is None:
        raise _invalid("code", _("This code is not valid for this rencontre."))
    return _mark_present(actor, registration, now)


def mark_present(actor: Member, event: Event, registration_id: object) -> CheckIn:
    """Mark a person of the attendee list present, without her code (she has none with her)."""
    now = utcnow()
    _check_in_allowed(actor, event, now)
    ident = as_id(registration_id)
    registration = db.session.get(Registration, ident) if ident is not None else None
    if registration is None or registration.event_id != event.id or not registration.active:
        raise NotFound(_("This person is not registered for this rencontre."))
    return _mark_present(actor, registration, now)


def _mark_present(actor: Member, registration: Registration, now: datetime) -> CheckIn:
    if registration.checked_in_at is not None:
        return CheckIn(registration, True)
    registration.checked_in_at = now
    registration.checked_in_by_id = actor.id
    db.session.flush()
    signals.checked_in.send(registration, actor=actor)
    return CheckIn(registration, False)


def attendees(event: Event) -> list[Registration]:
    """Everyone registered or waiting (places first, then the waiting list in order)."""
    rows = db.session.execute(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE))
        .order_by(Registration.status, Registration.queued_at, Registration.id)
    ).scalars()
    return list(rows)


def publish_report(actor: Member, event: Event, body: str) -> Event:
    """Write the compte rendu; the first time, it goes to those who came."""
    require(permissions.can_manage_event(actor, event), actor)
    if not isinstance(body, str) or not body.strip():
        raise _invalid("body", _("Write what happened."))
    if len(body) > REPORT_MAX:
        raise _invalid("body", _("At most %(count)d characters.", count=REPORT_MAX))
    now = utcnow()
    if event.status == "cancelled":
        raise Conflict(_("This rencontre is cancelled."))
    if event.starts_at > now:
        raise Conflict(_("The compte rendu is written once the rencontre has taken place."))
    first = event.report_sent_at is None
    event.report = body
    event.report_html = render_markdown(body)
    event.status = "done"
    event.updated_at = now
    if first:
        event.report_sent_at = now
    db.session.flush()
    if first:
        came = told_registrations(
            event, Registration.checked_in_at.is_not(None), Registration.member_id.is_not(None)
        )
        signals.report_published.send(event, actor=actor, attendees=came)
    return event


def send_reminders(now: datetime | None = None) -> int:
    """Remind, once, every place at a rencontre of tomorrow (or later today) whose holder may
    still read it."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Event.status == "scheduled",
            Event.starts_at > now,
            Event.starts_at < start_of_day_after_tomorrow(now),
            Registration.status == "going",
            Registration.reminded_at.is_(None),
            holder_may_read(),
        )
        .order_by(Registration.id)
    ).scalars()
    count = 0
    for registration in list(rows):
        registration.reminded_at = now
        signals.reminder_due.send(registration)
        count += 1
    db.session.flush()
    return count


def close_past_events(now: datetime | None = None) -> tuple[int, int]:
    """After the rencontre: mark it done and erase its guests' e-mails (they served it only).

    Returns (rencontres closed, e-mails erased); running it again changes nothing.
    """
    now = now or utcnow()
    past = [Event.ends_at <= now]
    closed = 0
    for event in db.session.execute(
        select(Event).where(Event.status == "scheduled", *past)
    ).scalars():
        event.status = "done"
        closed += 1
    erased = 0
    for registration in db.session.execute(
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.guest_email.is_not(None),
            (Event.ends_at <= now) | (Event.status == "cancelled"),
        )
    ).scalars():
        registration.guest_email = None
        erased += 1
    db.session.flush()
    return closed, erased
