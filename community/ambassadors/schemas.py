"""What the API shows of ambassadors and their journal: pseudonyms only."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from community.ambassadors.models import PLACE_KINDS
from community.core.dates import BoundedDate
from community.members.schemas import PublicMemberSchema
from community.territory.schemas import PlaceSchema


class AmbassadorSchema(Schema):
    id = fields.Integer(dump_only=True)
    member = fields.Nested(PublicMemberSchema, dump_only=True)
    community = fields.Function(lambda a: a.community.slug if a.community else None, dump_only=True)
    neighbourhood = fields.Nested(PlaceSchema, allow_none=True, dump_only=True)
    mission = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    shown = fields.Boolean(dump_only=True)
    started_at = fields.DateTime(dump_only=True)
    ended_at = fields.DateTime(dump_only=True)


class AmbassadorCreateSchema(Schema):
    """`POST /ambassadors`: a member, a mission, a `community` (slug) or a `neighbourhood_id`."""

    member_id = fields.Integer(required=True, strict=True)
    mission = fields.String(required=True, validate=validate.Length(max=2000))
    community = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=80))
    neighbourhood_id = fields.Integer(load_default=None, allow_none=True, strict=True)


class OutreachSchema(Schema):
    id = fields.Integer(dump_only=True)
    happened_on = BoundedDate(required=True)
    neighbourhood_id = fields.Integer(
        load_default=None, allow_none=True, strict=True, load_only=True
    )
    neighbourhood = fields.Nested(PlaceSchema, allow_none=True, dump_only=True)
    place_kind = fields.String(required=True, validate=validate.OneOf(PLACE_KINDS))
    people_met = fields.Integer(required=True, strict=True)
    theme_ids = fields.List(
        fields.Integer(strict=True),
        load_default=list,
        load_only=True,
        validate=validate.Length(max=20),
    )
    themes = fields.List(fields.Nested(PlaceSchema), dump_only=True)
    topics = fields.String(load_default="", validate=validate.Length(max=2000))
    follow_up = fields.String(load_default="", validate=validate.Length(max=2000))
    created_at = fields.DateTime(dump_only=True)
