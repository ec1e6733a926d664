"""What the API shows of mutual help, per audience: a request's author reaches only those who
may know them (`HelpRequestSchema`); matching offerers get `AnonymousHelpRequestSchema`."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from community.members.schemas import PublicMemberSchema
from community.solidarity.models import SIGNAL_CONTACTS, SIGNAL_KINDS
from community.solidarity.services import MAX_AVAILABILITY, MAX_PEOPLE, MAX_TEXT
from community.territory.schemas import PlaceSchema


class PlaceInSchema(Schema):
    theme_id = fields.Integer(required=True, strict=True)
    neighbourhood_id = fields.Integer(required=True, strict=True)
    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))


class HelpOfferInSchema(PlaceInSchema):
    availability = fields.String(load_default="", validate=validate.Length(max=MAX_AVAILABILITY))


class HelpRequestInSchema(PlaceInSchema):
    on_behalf = fields.Boolean(load_default=False)
    oral_consent = fields.Boolean(load_default=False)


class SignalInSchema(PlaceInSchema):
    kind = fields.String(required=True, validate=validate.OneOf(SIGNAL_KINDS))
    people = fields.Integer(required=True, strict=True, validate=validate.Range(1, MAX_PEOPLE))
    contact = fields.String(required=True, validate=validate.OneOf(SIGNAL_CONTACTS))


class HelpOfferSchema(Schema):
    id = fields.Integer(dump_only=True)
    author = fields.Nested(PublicMemberSchema, dump_only=True)
    theme = fields.Nested(PlaceSchema, dump_only=True)
    neighbourhood = fields.Nested(PlaceSchema, dump_only=True)
    text = fields.String(dump_only=True)
    text_html = fields.String(dump_only=True)
    availability = fields.String(dump_only=True)
    active = fields.Boolean(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class AnonymousHelpRequestSchema(Schema):
    """A request as a matching offerer sees it before being accepted: no author."""

    id = fields.Integer(dump_only=True)
    theme = fields.Nested(PlaceSchema, dump_only=True)
    neighbourhood = fields.Nested(PlaceSchema, dump_only=True)
    text = fields.String(dump_only=True)
    text_html = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    expires_at = fields.DateTime(dump_only=True)


class HelpRequestSchema(AnonymousHelpRequestSchema):
    """A request as its author, the gardeners of its theme and its accepted helper see it."""

    author = fields.Nested(PublicMemberSchema, dump_only=True)
    on_behalf = fields.Boolean(dump_only=True)


class HelpRequestOutSchema(HelpRequestSchema):
    """The shape of `GET /help-requests/<id>`: `author`, `on_behalf` null when anonymised."""

    author = fields.Nested(PublicMemberSchema, dump_only=True, allow_none=True)
    on_behalf = fields.Boolean(dump_only=True, allow_none=True)


class SignalSchema(Schema):
    id = fields.Integer(dump_only=True)
    theme = fields.Nested(PlaceSchema, dump_only=True)
    neighbourhood = fields.Nested(PlaceSchema, dump_only=True)
    kind = fields.String(dump_only=True)
    people = fields.Integer(dump_only=True)
    contact = fields.String(dump_only=True)
    text = fields.String(dump_only=True)
    text_html = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


def request_for(request: Any, show_identity: bool) -> dict[str, Any]:
    """One request for one reader, to dump with `HelpRequestOutSchema`: anonymised unless
    they may know who asked (`author` and `on_behalf` are then null)."""
    fields_ = (
        "id",
        "theme",
        "neighbourhood",
        "text",
        "text_html",
        "status",
        "created_at",
        "expires_at",
    )
    data = {name: getattr(request, name) for name in fields_}
    data["author"] = request.author if show_identity else None
    data["on_behalf"] = request.on_behalf if show_identity else None
    return data
