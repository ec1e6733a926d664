"""What the API shows of rencontres and what it accepts (names from DESIGN.md)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from community.core.dates import BoundedDateTime
from community.core.models import utcnow
from community.territory.schemas import PlaceSchema


class EventSchema(Schema):
    """A rencontre as anyone who may read its community sees it (no names, no e-mails)."""

    id = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    description_html = fields.String(dump_only=True)
    community = fields.Function(lambda e: e.community.slug, dump_only=True)
    # The linked initiative, only when the reader may read it (`api._shown` sets it; unset,
    # nothing is said): a rencontre never points to an initiative hidden from her.
    initiative_id = fields.Function(
        lambda e: getattr(e, "shown_initiative_id", None), dump_only=True
    )
    starts_at = fields.DateTime(dump_only=True)
    ends_at = fields.DateTime(dump_only=True)
    place = fields.String(dump_only=True)
    neighbourhood = fields.Nested(PlaceSchema, dump_only=True, allow_none=True)
    capacity = fields.Integer(dump_only=True, allow_none=True)
    accepts_guests = fields.Boolean(dump_only=True)
    going_count = fields.Integer(dump_only=True)
    waitlist_count = fields.Integer(dump_only=True)
    status = fields.Method("_status", dump_only=True)
    cancel_reason = fields.Function(lambda e: e.cancel_reason or None, dump_only=True)
    my_rsvp = fields.Function(lambda e: getattr(e, "my_rsvp", None), dump_only=True)
    thread_id = fields.Integer(dump_only=True, allow_none=True)
    series_id = fields.Integer(dump_only=True, allow_none=True)
    report_html = fields.String(dump_only=True, allow_none=True)

    def _status(self, event: Any) -> str:
        return str(event.state_at(utcnow()))


class EventBrowseArgsSchema(Schema):
    community = fields.String(load_default=None, validate=validate.Length(max=80))
    from_ = BoundedDateTime(data_key="from", load_default=None)
    to = BoundedDateTime(load_default=None)


_title = fields.String(validate=validate.Length(max=1000))
_capacity = fields.Integer(strict=True, allow_none=True)


class EventCreateSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(max=1000))
    description = fields.String(load_default="", validate=validate.Length(max=50_000))
    starts_at = BoundedDateTime(required=True)
    ends_at = BoundedDateTime(required=True)
    place = fields.String(load_default="", validate=validate.Length(max=1000))
    neighbourhood_id = fields.Integer(strict=True, allow_none=True)
    capacity = _capacity
    initiative_id = fields.Integer(strict=True, allow_none=True)
    accepts_guests = fields.Boolean(load_default=False)
    repeat_weekly = fields.Integer(strict=True, load_default=1)


class EventUpdateSchema(Schema):
    """`PATCH /events/<id>`: every field optional; `capacity: null` removes the limit."""

    title = _title
    description = fields.String(validate=validate.Length(max=50_000))
    starts_at = BoundedDateTime()
    ends_at = BoundedDateTime()
    place = fields.String(validate=validate.Length(max=1000))
    neighbourhood_id = fields.Integer(strict=True, allow_none=True)
    capacity = _capacity
    initiative_id = fields.Integer(strict=True, allow_none=True)
    accepts_guests = fields.Boolean()


class EventCancelSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(max=5000))


class EventRsvpSchema(Schema):
    status = fields.String(dump_only=True)
    event_id = fields.Integer(dump_only=True)
    code = fields.String(dump_only=True, allow_none=True)


class EventGuestSchema(Schema):
    display_name = fields.String(required=True, validate=validate.Length(max=200))
    email = fields.String(required=True, validate=validate.Length(max=320))


class EventAcceptedSchema(Schema):
    message = fields.String(dump_only=True)


class EventAttendeeSchema(Schema):
    """For the gardeners' list only: pseudonyms and presence, never an e-mail."""

    id = fields.Integer(dump_only=True)
    display_name = fields.String(attribute="name", dump_only=True)
    guest = fields.Boolean(attribute="is_guest", dump_only=True)
    member_id = fields.Integer(dump_only=True, allow_none=True)
    status = fields.String(dump_only=True)
    checked_in_at = fields.DateTime(dump_only=True, allow_none=True)


class EventCheckinSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(max=100))


class EventCheckinResultSchema(EventAttendeeSchema):
    already = fields.Boolean(dump_only=True)


class EventReportSchema(Schema):
    body = fields.String(required=True, validate=validate.Length(max=100_000))
