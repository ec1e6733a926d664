"""`/api/v1/events`: the same services and predicates as the pages, in JSON."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint
from sqlalchemy import select

from community.communities.services import community_by_slug
from community.core.database import begin_write
from community.core.errors import NotFound
from community.core.models import utcnow
from community.core.pagination import count_of
from community.core.permissions import current_member, require
from community.core.rest import authenticated_member
from community.core.standing import kept_while_suspended
from community.events import (
    attendance,
    calendar,
    codes,
    guests,
    permissions,
    queries,
    registrations,
    services,
)
from community.events.models import Event, Registration
from community.events.schemas import (
    EventAcceptedSchema,
    EventAttendeeSchema,
    EventBrowseArgsSchema,
    EventCancelSchema,
    EventCheckinResultSchema,
    EventCheckinSchema,
    EventCreateSchema,
    EventGuestSchema,
    EventReportSchema,
    EventRsvpSchema,
    EventSchema,
    EventUpdateSchema,
)
from community.events.times import as_utc
from community.extensions import db
from community.initiatives.queries import readable_titles

blp = Blueprint("events-api", __name__, url_prefix="/api/v1", description="Rencontres")

FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "neighbourhood_id",
    "capacity",
    "initiative_id",
    "accepts_guests",
)


def _load(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not permissions.can_read_event(current_member(), event):
        raise NotFound(_("This rencontre does not exist."))
    return event


def _shown(events: list[Event]) -> list[Event]:
    """Say which initiative each rencontre is linked to, when the reader may read it (one
    query): `EventSchema.initiative_id` says nothing otherwise."""
    titles = readable_titles(current_member(), [e.initiative_id for e in events])
    for event in events:
        event.shown_initiative_id = event.initiative_id if event.initiative_id in titles else None
    return events


def _with_rsvp(event: Event) -> Event:
    event.my_rsvp = registrations.my_rsvp(current_member(), event)
    return _shown([event])[0]


def _data(body: dict[str, Any]) -> services.EventData:
    data = services.EventData(given=frozenset(name for name in FIELDS if name in body))
    for name in FIELDS:
        value = body.get(name)
        if name in {"starts_at", "ends_at"} and value is not None:
            value = as_utc(value)
        setattr(data, name, value)
    return data


@blp.get("/events")
@blp.arguments(EventBrowseArgsSchema, location="query")
@blp.response(200, EventSchema(many=True))
@blp.paginate()
def list_events(args: dict[str, Any], pagination_parameters: Any) -> list[Event]:
    """Rencontres one may read, soonest first; from now on unless `from` says otherwise."""
    member = current_member()
    # An on-request community's rencontres are for its members: the list is empty for others.
    community = community_by_slug(args["community"]) if args.get("community") else None
    start = as_utc(args["from_"]) if args.get("from_") else None
    end = as_utc(args["to"]) if args.get("to") else None
    if start is None and end is None:
        start = utcnow()
    stmt = queries.browse(member, community, start, end)
    pagination_parameters.item_count = count_of(stmt)
    page = list(
        db.session.execute(
            stmt.limit(pagination_parameters.page_size).offset(pagination_parameters.first_item)
        )
        .scalars()
        .unique()
    )
    mine: dict[int, str] = {}
    if member is not None and page:
        mine = {
            event_id: status
            for event_id, status in db.session.execute(
                select(Registration.event_id, Registration.status).where(
                    Registration.member_id == member.id,
                    Registration.event_id.in_([e.id for e in page]),
                    Registration.status.in_(("going", "waitlisted")),
                )
            )
        }
    for event in page:
        event.my_rsvp = mine.get(event.id)
    return _shown(page)


@blp.post("/communities/<slug>/events")
@blp.arguments(EventCreateSchema)
@blp.response(201, EventSchema(many=True))
def create_event(body: dict[str, Any], slug: str) -> list[Event]:
    """Plan a rencontre (`repeat_weekly`: that many, a week apart); answers the list created."""
    member = authenticated_member()
    community = community_by_slug(slug)
    require(permissions.can_create_event(member, community), member)
    events = services.create_event(member, community, _data(body), body["repeat_weekly"])
    return [_with_rsvp(e) for e in events]


@blp.get("/events/<int:event_id>")
@blp.response(200, EventSchema)
def get_event(event_id: int) -> Event:
    """One rencontre."""
    return _with_rsvp(_load(event_id))


@blp.get("/events/<int:event_id>.ics")
def get_event_ics(event_id: int) -> Response:
    """The rencontre as an iCalendar file."""
    event = _load(event_id)
    return Response(
        calendar.calendar_of([event], event.title),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="rencontre-{event.id}.ics"'},
    )


@blp.patch("/events/<int:event_id>")
@blp.arguments(EventUpdateSchema)
@blp.response(200, EventSchema)
def patch_event(body: dict[str, Any], event_id: int) -> Event:
    """Change a rencontre (gardeners, staff, the creating ambassador)."""
    member = authenticated_member()
    begin_write()
    event = _load(event_id)
    require(permissions.can_manage_event(member, event), member)
    services.edit_event(member, event, _data(body))
    return _with_rsvp(_load(event_id))


@blp.post("/events/<int:event_id>/cancel")
@blp.arguments(EventCancelSchema)
@blp.response(200, EventSchema)
def cancel_event(body: dict[str, Any], event_id: int) -> Event:
    """Cancel with a `reason`; everyone registered is told."""
    member = authenticated_member()
    begin_write()
    event = _load(event_id)
    require(permissions.can_manage_event(member, event), member)
    services.cancel_event(member, event, body["reason"])
    return _with_rsvp(_load(event_id))


def _rsvp_state(registration: Registration) -> dict[str, Any]:
    return {
        "event_id": registration.event_id,
        "status": registration.status,
        "code": codes.checkin_code(registration.event_id, registration.id)
        if registration.active
        else None,
    }


@blp.post("/events/<int:event_id>/rsvp")
@blp.response(201, EventRsvpSchema)
def post_rsvp(event_id: int) -> Any:
    """Register: `going`, or `waitlisted` once the capacity is reached."""
    member = authenticated_member()
    begin_write()
    event = _load(event_id)
    require(permissions.can_rsvp(member, event), member)
    registration = registrations.register(member, event)
    return _rsvp_state(registration)


@blp.delete("/events/<int:event_id>/rsvp")
@kept_while_suspended("taking back what is hers: her place at a rencontre")
@blp.response(204)
def delete_rsvp(event_id: int) -> None:
    """Give one's place back (the first person waiting gets it)."""
    member = authenticated_member()
    begin_write()
    event = _load(event_id)
    require(permissions.can_rsvp(member, event), member)
    registrations.unregister(member, event)


@blp.post("/events/<int:event_id>/guests")
@blp.arguments(EventGuestSchema)
@blp.response(202, EventAcceptedSchema)
def post_guest(body: dict[str, Any], event_id: int) -> dict[str, str]:
    """Ask for a place without an account: a confirmation link is sent to the e-mail."""
    member = current_member()
    guests.refuse_members(member)  # a member registers with `POST …/rsvp`
    begin_write()
    event = _load(event_id)
    guests.request_guest_place(
        event, body["display_name"], body["email"], client=get_remote_address(), actor=member
    )
    return {"message": _("Check your e-mail: a link confirms your registration.")}


def _managed(event_id: int) -> tuple[Any, Event]:
    member = authenticated_member()
    event = _load(event_id)
    require(permissions.can_manage_event(member, event), member)
    return member, event


@blp.get("/events/<int:event_id>/attendees")
@blp.response(200, EventAttendeeSchema(many=True))
def get_attendees(event_id: int) -> list[Registration]:
    """Those registered and waiting, with their presence (gardeners, staff, its ambassador)."""
    _member, event = _managed(event_id)
    return attendance.attendees(event)


def _checked_in(result: attendance.CheckIn) -> Registration:
    # Dumped once, by the response schema (a dict dumped before would be dumped twice).
    result.registration.already = result.already
    return result.registration


@blp.post("/events/<int:event_id>/checkin")
@blp.arguments(EventCheckinSchema)
@blp.response(200, EventCheckinResultSchema)
def post_checkin(body: dict[str, Any], event_id: int) -> Any:
    """Mark the holder of a `code` present."""
    begin_write()
    member, event = _managed(event_id)
    return _checked_in(attendance.check_in(member, event, body["code"]))


@blp.post("/events/<int:event_id>/attendees/<int:registration_id>/checkin")
@blp.response(200, EventCheckinResultSchema)
def post_attendee_checkin(event_id: int, registration_id: int) -> Any:
    """Mark a person of the attendee list present without her code."""
    begin_write()
    member, event = _managed(event_id)
    return _checked_in(attendance.mark_present(member, event, registration_id))


@blp.post("/events/<int:event_id>/report")
@blp.arguments(EventReportSchema)
@blp.response(200, EventSchema)
def post_report(body: dict[str, Any], event_id: int) -> Event:
    """Write the compte rendu (Markdown); the first time, it is sent to those who came."""
    begin_write()
    member, event = _managed(event_id)
    attendance.publish_report(member, event, body["body"])
    return _with_rsvp(_load(event_id))
