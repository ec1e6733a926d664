"""Members registering: a place or a wait taken, given back, or withdrawn from them.

Withdrawn: before an erasure, or when the community's rencontres are no longer hers to read.
Guests without an account are in `guests.py`.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from community.communities.models import Community
from community.core.errors import Conflict
from community.core.models import utcnow
from community.core.permissions import require
from community.core.ratelimit import mailbox
from community.events import permissions, signals
from community.events.models import ACTIVE, Event, Registration
from community.events.places import (
    _cancel_registration,
    _lock,
    _open_for_registration,
    _place,
    place_held_by,
)
from community.events.queries import holder_may_read
from community.extensions import db
from community.members.models import Member


def registration_of(member: Member | None, event: Event) -> Registration | None:
    if member is None or not getattr(member, "is_authenticated", False):
        return None
    return db.session.execute(
        select(Registration).where(
            Registration.event_id == event.id, Registration.member_id == member.id
        )
    ).scalar_one_or_none()


def register(member: Member, event: Event) -> Registration:
    """Take a place (`going`), or wait for one (`waitlisted`). Registering again changes nothing."""
    require(permissions.can_rsvp(member, event), member)
    now = utcnow()
    _lock(event)
    _open_for_registration(event, now)
    registration = registration_of(member, event)
    if registration is not None and registration.active:
        return registration
    if place_held_by(event, member.email, besides=registration):
        raise Conflict(_("You already have a place at this rencontre, taken with your e-mail."))
    if registration is None:
        registration = Registration(
            event_id=event.id, member_id=member.id, created_at=now, status="pending"
        )
        db.session.add(registration)
    registration.confirmed_at = now
    _place(event, registration, now)
    signals.registered.send(registration)
    return registration


def unregister(member: Member, event: Event) -> Registration | None:
    """Give one's place back; the first person waiting gets it (same transaction)."""
    require(permissions.can_rsvp(member, event), member)
    now = utcnow()
    _lock(event)
    registration = registration_of(member, event)
    if registration is None or not registration.active:
        return registration
    _open_for_registration(event, now)
    _cancel_registration(event, registration, now)
    signals.unregistered.send(registration)
    return registration


def release_member(member: Member) -> None:
    """Before an erasure: give back the member's places at rencontres to come, and those taken
    as a guest with the member's e-mail (the first waiting get them)."""
    now = utcnow()
    rows = db.session.execute(
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(
            (Registration.member_id == member.id) | (Registration.guest_email == member.email),
            Registration.status.in_(ACTIVE),
            Event.status == "scheduled",
            Event.starts_at > now,
        )
    ).scalars()
    for registration in list(rows):
        event = _lock(registration.event)
        _cancel_registration(event, registration, now)


def withdraw_places(
    community: Community, member: Member | None, *, banned: bool = False
) -> list[Registration]:
    """Someone lost the reading of `community`'s rencontres (`communities.access_narrowed`):
    the places and waits at its rencontres to come held by `member` — or, when None (the
    community turned on-request), by anyone who may no longer read them, guests included —
    are cancelled, and the first waiting who still may get the places. `banned`: `member` was
    banned from the community (moderation's `member_suspended`): all her places there go,
    whether or not she may still read its rencontres, those taken as a guest with her mailbox
    too, however spelt (the guest door refuses it from then on:
    `permissions.guest_address_refused`)."""
    now = utcnow()
    stmt = (
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Event.community_id == community.id,
            Event.status == "scheduled",
            Event.starts_at > now,
            Registration.status.in_(ACTIVE),
        )
        .order_by(Event.id, Registration.id)
    )
    if not (banned and member is not None):
        stmt = stmt.where(~holder_may_read())
    if member is not None and banned:  # and those she took as a guest, under her mailbox
        stmt = stmt.where(
            (Registration.member_id == member.id) | Registration.guest_email.is_not(None)
        )
    elif member is not None:
        stmt = stmt.where(Registration.member_id == member.id)
    withdrawn = list(db.session.execute(stmt).scalars())
    if member is not None and banned:
        inbox = mailbox(member.email)
        withdrawn = [
            r
            for r in withdrawn
            if r.member_id == member.id or (r.guest_email and mailbox(r.guest_email) == inbox)
        ]
    for registration in withdrawn:
        event = _lock(registration.event)
        _cancel_registration(event, registration, now)
        signals.withdrawn.send(registration, banned=banned)
    return withdrawn


def my_rsvp(member: Any, event: Event) -> str | None:
    registration = registration_of(member, event)
    return registration.status if registration is not None and registration.active else None
