"""A rencontre's places, under its row lock: counted, given, given back, passed down the list.

The steps the services of planning, registrations and guests share.

Every change to a rencontre's registrations runs under its row lock (`_lock`): SELECT … FOR
UPDATE on PostgreSQL; on SQLite the caller starts its transaction as a writer
(`core.database.begin_write`, BEGIN IMMEDIATE), which serialises writers. Counting the
places and taking one happen under that lock, so ten people asking for the last two places get
two places and eight waits, never more.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from community.core.errors import Conflict
from community.core.ratelimit import mailbox
from community.events import signals
from community.events.models import ACTIVE, Event, Registration
from community.events.queries import holder_may_read
from community.extensions import db
from community.members.models import Member


def _lock(event: Event) -> Event:
    """Hold the rencontre's row until commit (PostgreSQL), and read it afresh."""
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())
    db.session.refresh(event)
    return event


def _recount(event: Event) -> None:
    rows = db.session.execute(
        select(Registration.status, func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.status)
    ).all()
    counts = {status: int(count) for status, count in rows}
    event.going_count = counts.get("going", 0)
    event.waitlist_count = counts.get("waitlisted", 0)


def _still_open(event: Event, now: datetime) -> None:
    if event.status == "cancelled":
        raise Conflict(_("This rencontre is cancelled."))
    if event.state_at(now) == "done" or event.status == "done":
        raise Conflict(_("This rencontre is over."))


def _open_for_registration(event: Event, now: datetime) -> None:
    _still_open(event, now)
    if event.starts_at <= now:
        raise Conflict(_("This rencontre has started: registration is closed."))


def _place(event: Event, registration: Registration, now: datetime) -> None:
    """Give `registration` a place, or put it at the end of the waiting list."""
    _recount(event)
    registration.status = "going" if not event.is_full() else "waitlisted"
    registration.queued_at = now
    registration.cancelled_at = None
    registration.checked_in_at = None
    registration.reminded_at = None
    db.session.flush()
    _recount(event)


def place_held_by(event: Event, address: str, besides: Registration | None = None) -> bool:
    """One person, one place: does the mailbox of `address` (however it is spelt) already hold
    a place at `event` (going or waiting) — as a member under her account, or as a guest?"""
    inbox = mailbox(address)
    rows = db.session.execute(
        select(Registration, Member.email)
        .outerjoin(Member, Member.id == Registration.member_id)
        .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE))
    ).all()
    return any(
        registration is not besides and mailbox(email or registration.guest_email or "") == inbox
        for registration, email in rows
    )


def _promote(event: Event, now: datetime) -> list[Registration]:
    """Give freed places to the first waiting, in order (under the rencontre's lock) — among
    those who may still read it: nobody is told of a place at a rencontre they cannot see."""
    promoted: list[Registration] = []
    _recount(event)
    while not event.is_full() and event.waitlist_count > 0:
        first = db.session.execute(
            select(Registration)
            .join(Event, Event.id == Registration.event_id)
            .where(
                Registration.event_id == event.id,
                Registration.status == "waitlisted",
                holder_may_read(),
            )
            .order_by(Registration.queued_at, Registration.id)
            .limit(1)
        ).scalar_one_or_none()
        if first is None:
            break
        first.status = "going"
        first.promoted_at = now
        db.session.flush()
        _recount(event)
        promoted.append(first)
    db.session.flush()
    for registration in promoted:
        signals.promoted.send(registration)
    return promoted


def _cancel_registration(event: Event, registration: Registration, now: datetime) -> None:
    registration.status = "cancelled"
    registration.cancelled_at = now
    db.session.flush()
    _promote(event, now)
