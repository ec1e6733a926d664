"""What the API shows of communities: public fields, pseudonyms only, never an e-mail."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from community.members.schemas import PublicMemberSchema
from community.territory.schemas import PlaceSchema


class GardenersSchema(Schema):
    technician = fields.Nested(PublicMemberSchema, allow_none=True, dump_only=True)
    citizen = fields.Nested(PublicMemberSchema, allow_none=True, dump_only=True)


class CommunitySchema(Schema):
    """A community card (`CommunityCard`): public fields, member count and gardener pair."""

    id = fields.Integer(attribute="community.id", dump_only=True)
    slug = fields.String(attribute="community.slug", dump_only=True)
    name = fields.String(attribute="community.name", dump_only=True)
    theme = fields.Nested(PlaceSchema, attribute="community.theme", dump_only=True)
    neighbourhood = fields.Nested(
        PlaceSchema, attribute="community.neighbourhood", allow_none=True, dump_only=True
    )
    description = fields.String(attribute="community.description", dump_only=True)
    visibility = fields.String(attribute="community.visibility", dump_only=True)
    member_count = fields.Integer(dump_only=True)
    gardeners = fields.Nested(GardenersSchema, dump_only=True)


class CommunityDetailSchema(CommunitySchema):
    charter_html = fields.String(attribute="community.charter_html", dump_only=True)


class ProposalSchema(Schema):
    """Someone asked to take one side of the pair, who has not answered yet."""

    side = fields.String(dump_only=True)
    candidate = fields.Nested(PublicMemberSchema, dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class PairChangeSchema(CommunityDetailSchema):
    """`PUT /communities/<slug>/gardeners`: the community, and who is asked to join the pair."""

    asked = fields.List(fields.Nested(ProposalSchema), attribute="extra.asked", dump_only=True)


class CommunityQuerySchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=100))
    theme = fields.Integer(load_default=None, allow_none=True)
    neighbourhood = fields.Integer(load_default=None, allow_none=True)


class JoinSchema(Schema):
    accept_charter = fields.Boolean(required=True)
    message = fields.String(load_default="", validate=validate.Length(max=1000))


class MembershipAnswerSchema(Schema):
    status = fields.String(dump_only=True)


class GardenersUpdateSchema(Schema):
    """`PUT /communities/<slug>/gardeners`: either side, by member id (null removes it)."""

    technician_id = fields.Integer(allow_none=True, strict=True)
    citizen_id = fields.Integer(allow_none=True, strict=True)
    handover_note = fields.String(load_default="", validate=validate.Length(max=5000))
