"""Planning rencontres: plan them (once or weekly), edit them, cancel them.

The places are counted and given in `places.py`, members register in `registrations.py`,
guests in `guests.py`; the check-in, compte rendu and reminders are in `attendance.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _

from community.communities.models import Community
from community.core.content import render_markdown
from community.core.edge import as_id, single_line
from community.core.errors import Invalid, NotFound
from community.core.models import utcnow
from community.core.permissions import require
from community.events import permissions, signals
from community.events.models import Event
from community.events.places import _lock, _promote, _still_open
from community.events.queries import told_registrations
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
    # The fields present (capacity may be set to null); frozen: a caller narrows its own copy.
    given: frozenset[str] = field(default_factory=frozenset)


def get_event(event_id: object) -> Event:
    ident = as_id(event_id)
    event = db.session.get(Event, ident) if ident is not None else None
    if event is None:
        raise NotFound(_("This rencontre does not exist."))
    return event


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


def _where_and_when(event: Event) -> tuple[object, ...]:
    return (event.starts_at, event.ends_at, event.place, event.neighbourhood_id)


def edit_event(actor: Member, event: Event, data: EventData) -> Event:
    """Change what a rencontre says; a larger capacity gives places to those waiting, and a
    new date, time or place is told to everyone registered."""
    require(permissions.can_manage_event(actor, event), actor)
    now = utcnow()
    _lock(event)
    _still_open(event, now)
    before = _where_and_when(event)
    _check(actor, event, data, now, creating=False)
    event.updated_at = now
    if "title" in data.given and event.thread_id is not None:
        thread = db.session.get(Thread, event.thread_id)
        if thread is not None:
            thread.title = event.title
    db.session.flush()
    _promote(event, now)
    if _where_and_when(event) != before:
        signals.event_moved.send(event, actor=actor, registrations=told_registrations(event))
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
    registrations = told_registrations(event)
    event.status = "cancelled"
    event.cancel_reason = reason
    event.cancelled_at = event.updated_at = now
    db.session.flush()
    signals.event_cancelled.send(event, actor=actor, reason=reason, registrations=registrations)
    return event


def event_payload_status(event: Event, now: datetime | None = None) -> str:
    return event.state_at(now or utcnow())
