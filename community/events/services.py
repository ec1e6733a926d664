"""Rencontres: plan, edit, cancel; register, wait, be promoted (guests in `guests.py`, the
check-in, compte rendu and reminders in `attendance.py`).

Every change to a rencontre's registrations runs under its row lock (`_lock`): SELECT … FOR
UPDATE on PostgreSQL; on SQLite the caller starts its transaction as a writer
(`threads.realtime.begin_write`, BEGIN IMMEDIATE), which serialises writers. Counting the
places and taking one happen under that lock, so ten people asking for the last two places get
two places and eight waits, never more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from community.communities.models import Community
from community.core.content import render_markdown
from community.core.edge import single_line
from community.core.errors import Conflict, Invalid, NotFound
from community.core.models import utcnow
from community.core.permissions import require
from community.core.ratelimit import mailbox
from community.events import permissions, signals
from community.events.models import ACTIVE, Event, Registration
from community.events.queries import holder_may_read
from community.events.times import weekly
from community.extensions import db
from community.initiatives.models import Initiative
from community.initiatives.queries import linkable_initiatives
from community.members.models import Member
from community.territory.models import Neighbourhood
from community.threads.models import Thread

TITLE = (3, 160)
PLACE_MAX = 200
DESCRIPTION_MAX = 10_000
REASON = (3, 1_000)
REPORT_MAX = 20_000
CAPACITY_MAX = 10_000
MAX_DURATION = timedelta(days=14)
MAX_AHEAD = timedelta(days=2 * 366)
REPEAT_MAX = 52
# A gardener may check people in from a few hours before the start.
CHECKIN_OPENS = timedelta(hours=12)


def _invalid(name: str, message: str) -> Invalid:
    return Invalid(_("Some fields are not valid."), {name: [message]})


@dataclass
class EventData:
    """What a gardener fills in; None leaves a field as it is (on edit)."""

    title: str | None = None
    description: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = None
    neighbourhood_id: int | None = None
    capacity: int | None = None
    initiative_id: int | None = None
    accepts_guests: bool | None = None
    given: set[str] = field(default_factory=set)  # fields present (capacity may be set to null)


def get_event(event_id: object) -> Event:
    if not isinstance(event_id, int) or isinstance(event_id, bool):
        raise NotFound(_("This rencontre does not exist."))
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound(_("This rencontre does not exist."))
    return event


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


# --- planning ------------------------------------------------------------------------------


def _check(actor: Member, event: Event, data: EventData, now: datetime, *, creating: bool) -> None:
    """Apply `data` to `event` and validate the whole (raises Invalid with every field).

    Without autoflush: a value already set and not yet checked (a capacity of -1, an unknown
    neighbourhood) must not be flushed by the lookup of the next field — the database would
    refuse it with a 500 before this could answer with every field's error."""
    with db.session.no_autoflush:
        _apply_and_check(actor, event, data, now, creating=creating)


def _linkable(actor: Member, event: Event, initiative_id: int) -> bool:
    """The initiative may be linked to the rencontre by `actor`: one of its community's that
    she may read and that is shown (`initiatives.queries.linkable_initiatives`, which the
    form offers)."""
    stmt = linkable_initiatives(actor, event.community_id).where(Initiative.id == initiative_id)
    return db.session.execute(stmt).first() is not None


def _apply_and_check(
    actor: Member, event: Event, data: EventData, now: datetime, *, creating: bool
) -> None:
    errors: dict[str, list[str]] = {}
    given = data.given

    def has(name: str) -> bool:
        return name in given or (creating and getattr(data, name) is not None)

    if has("title"):
        # One line: a title is a calendar's name, a mail's subject, a thread's title.
        title = single_line(data.title or "")
        if not TITLE[0] <= len(title) <= TITLE[1]:
            errors["title"] = [_("Between 3 and 160 characters.")]
        event.title = title
    if has("description"):
        description = data.description or ""
        if len(description) > DESCRIPTION_MAX:
            errors["description"] = [_("At most %(count)d characters.", count=DESCRIPTION_MAX)]
        event.description = description
        event.description_html = render_markdown(description)
    if has("place"):
        place = (data.place or "").strip()
        if len(place) > PLACE_MAX:
            errors["place"] = [_("At most %(count)d characters.", count=PLACE_MAX)]
        event.place = place
    if has("capacity"):
        capacity = data.capacity
        if capacity is not None and not 1 <= capacity <= CAPACITY_MAX:
            errors["capacity"] = [
                _("Between 1 and %(count)d, or empty for no limit.", count=CAPACITY_MAX)
            ]
        event.capacity = capacity
    if has("neighbourhood_id"):
        if data.neighbourhood_id is not None and (
            db.session.get(Neighbourhood, data.neighbourhood_id) is None
        ):
            errors["neighbourhood_id"] = [_("Unknown neighbourhood.")]
        event.neighbourhood_id = data.neighbourhood_id
    if has("initiative_id"):
        chosen = data.initiative_id
        # A link made before its initiative was hidden is kept as it is (it shows again with
        # the initiative); a new one goes only to an initiative that may be linked.
        kept = not creating and chosen == event.initiative_id
        if chosen is not None and not kept and not _linkable(actor, event, chosen):
            errors["initiative_id"] = [_("Choose an initiative of this community.")]
        event.initiative_id = chosen
    if has("accepts_guests"):
        event.accepts_guests = bool(data.accepts_guests)
    if event.accepts_guests and event.community.visibility != "open":
        errors["accepts_guests"] = [
            _("Only the rencontres of an open community can welcome people without an account.")
        ]
    times_given = has("starts_at") or has("ends_at")
    if has("starts_at"):
        event.starts_at = data.starts_at  # type: ignore[assignment]
    if has("ends_at"):
        event.ends_at = data.ends_at  # type: ignore[assignment]
    if creating and event.starts_at is None:
        errors["starts_at"] = [_("Give the date and time it starts.")]
    if creating and event.ends_at is None:
        errors["ends_at"] = [_("Give the date and time it ends.")]
    if times_given and event.starts_at is not None and event.ends_at is not None:
        if event.starts_at.tzinfo is None or event.ends_at.tzinfo is None:
            raise _invalid("starts_at", _("Give a time zone."))
        if event.starts_at <= now:
            errors["starts_at"] = [_("Choose a date to come.")]
        elif event.starts_at > now + MAX_AHEAD:
            errors["starts_at"] = [_("At most two years ahead.")]
        if event.ends_at <= event.starts_at:
            errors["ends_at"] = [_("It must end after it starts.")]
        elif event.ends_at - event.starts_at > MAX_DURATION:
            errors["ends_at"] = [_("A rencontre lasts at most 14 days.")]
    if errors:
        raise Invalid(_("Some fields are not valid."), errors)


def _thread_for(actor: Member, event: Event) -> None:
    thread = Thread(
        kind="event", community_id=event.community_id, title=event.title, created_by_id=actor.id
    )
    db.session.add(thread)
    db.session.flush()
    event.thread_id = thread.id


def create_event(
    actor: Member, community: Community, data: EventData, repeat: int = 1
) -> list[Event]:
    """Plan a rencontre, or `repeat` of them a week apart (each its own list and thread)."""
    require(permissions.can_create_event(actor, community), actor)
    if not isinstance(repeat, int) or not 1 <= repeat <= REPEAT_MAX:
        raise _invalid("repeat", _("Between 1 and %(count)d times.", count=REPEAT_MAX))
    now = utcnow()
    first = Event(community=community, community_id=community.id, created_by_id=actor.id)
    first.status = "scheduled"
    if data.neighbourhood_id is None and "neighbourhood_id" not in data.given:
        data.neighbourhood_id = community.neighbourhood_id
    _check(actor, first, data, now, creating=True)
    if repeat > 1 and first.starts_at + timedelta(weeks=repeat - 1) > now + MAX_AHEAD:
        raise _invalid("repeat", _("At most two years ahead."))
    events = [first]
    for week in range(1, repeat):
        events.append(
            Event(
                community=community,
                community_id=community.id,
                created_by_id=actor.id,
                status="scheduled",
                title=first.title,
                description=first.description,
                description_html=first.description_html,
                place=first.place,
                neighbourhood_id=first.neighbourhood_id,
                capacity=first.capacity,
                initiative_id=first.initiative_id,
                accepts_guests=first.accepts_guests,
                starts_at=weekly(first.starts_at, week),
                ends_at=weekly(first.ends_at, week),
            )
        )
    for event in events:
        event.created_at = event.updated_at = now
        db.session.add(event)
    db.session.flush()
    for event in events:
        if repeat > 1:
            event.series_id = first.id
        _thread_for(actor, event)
    db.session.flush()
    for event in events:
        signals.event_created.send(event, actor=actor)
    return events


def _still_open(event: Event, now: datetime) -> None:
    if event.status == "cancelled":
        raise Conflict(_("This rencontre is cancelled."))
    if event.state_at(now) == "done" or event.status == "done":
        raise Conflict(_("This rencontre is over."))


def edit_event(actor: Member, event: Event, data: EventData) -> Event:
    """Change what a rencontre says; a larger capacity gives places to those waiting."""
    require(permissions.can_manage_event(actor, event), actor)
    now = utcnow()
    _lock(event)
    _still_open(event, now)
    _check(actor, event, data, now, creating=False)
    event.updated_at = now
    if "title" in data.given and event.thread_id is not None:
        thread = db.session.get(Thread, event.thread_id)
        if thread is not None:
            thread.title = event.title
    db.session.flush()
    _promote(event, now)
    return event


def cancel_event(actor: Member, event: Event, reason: str) -> Event:
    """Cancel with a reason; everyone registered is told."""
    require(permissions.can_manage_event(actor, event), actor)
    reason = (reason or "").strip()
    if not REASON[0] <= len(reason) <= REASON[1]:
        raise _invalid("reason", _("Between 3 and 1000 characters."))
    now = utcnow()
    _lock(event)
    _still_open(event, now)
    registrations = list(
        db.session.execute(
            select(Registration)
            .join(Event, Event.id == Registration.event_id)
            .where(
                Registration.event_id == event.id,
                Registration.status.in_(ACTIVE),
                holder_may_read(),
            )
        ).scalars()
    )
    event.status = "cancelled"
    event.cancel_reason = reason
    event.cancelled_at = event.updated_at = now
    db.session.flush()
    signals.event_cancelled.send(event, actor=actor, reason=reason, registrations=registrations)
    return event


# --- registrations -------------------------------------------------------------------------


def registration_of(member: Member | None, event: Event) -> Registration | None:
    if member is None or not getattr(member, "is_authenticated", False):
        return None
    return db.session.execute(
        select(Registration).where(
            Registration.event_id == event.id, Registration.member_id == member.id
        )
    ).scalar_one_or_none()


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


def event_payload_status(event: Event, now: datetime | None = None) -> str:
    return event.state_at(now or utcnow())


def my_rsvp(member: Any, event: Event) -> str | None:
    registration = registration_of(member, event)
    return registration.status if registration is not None and registration.active else None
