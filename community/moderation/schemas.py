"""Reports in JSON: what a reporter sends, what moderators read, how they answer."""

from __future__ import annotations

from datetime import UTC

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate

from community.core.dates import BoundedAwareDateTime
from community.members.schemas import PublicMemberSchema
from community.moderation.models import REASONS, RESOLUTIONS
from community.moderation.targets import kind_of


def _registered(target_type: str) -> None:
    """A kind of content a domain registered as reportable (`moderation.targets.register`)."""
    if kind_of(target_type) is None:
        raise ValidationError(_("Unknown kind of content."))


class ReportCreateSchema(Schema):
    """`POST /reports`."""

    target_type = fields.String(required=True, validate=_registered)
    target_id = fields.Integer(required=True, strict=True)
    reason = fields.String(required=True, validate=validate.OneOf(REASONS))
    text = fields.String(load_default="", validate=validate.Length(max=1000))


class ReportSchema(Schema):
    """A report as its reporter and the moderators see it (the reporter's name is never shown)."""

    id = fields.Integer(dump_only=True)
    target_type = fields.String(dump_only=True)
    target_id = fields.Integer(dump_only=True)
    reason = fields.String(dump_only=True)
    text = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    community = fields.Function(
        lambda r: r.community.slug if r.community is not None else None, dump_only=True
    )
    resolution = fields.String(dump_only=True, allow_none=True)
    resolution_reason = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    resolved_at = fields.DateTime(dump_only=True, allow_none=True)


class ModeratorReportSchema(ReportSchema):
    """A report as its moderators read it: who is concerned, and what was reported as it
    stood then (the reporter is only echoed what they sent: `ReportSchema`)."""

    target_author = fields.Nested(PublicMemberSchema, dump_only=True, allow_none=True)
    snapshot = fields.String(dump_only=True)


class ReportQuerySchema(Schema):
    status = fields.String(
        load_default="open", validate=validate.OneOf(("open", "resolved", "all"))
    )


class ResolveSchema(Schema):
    """`POST /moderation/reports/<id>/resolve`."""

    action = fields.String(required=True, validate=validate.OneOf(RESOLUTIONS))
    reason = fields.String(load_default="", validate=validate.Length(max=1000))
    until = BoundedAwareDateTime(load_default=None, allow_none=True, default_timezone=UTC)
    scope = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(("community", "platform"))
    )
