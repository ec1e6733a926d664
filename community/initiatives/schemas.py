"""What the API shows of initiatives and what it accepts (names from DESIGN.md)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from marshmallow import Schema, fields, validate

from community.initiatives.answers import answer_due_at
from community.initiatives.models import REASONS, STATUSES
from community.initiatives.queries import SORTS
from community.members.schemas import PublicMemberSchema
from community.territory.schemas import PlaceSchema


class StatusChangeSchema(Schema):
    status = fields.String(attribute="to_status", dump_only=True)
    answer = fields.String(dump_only=True)
    reason = fields.String(dump_only=True, allow_none=True)
    at = fields.DateTime(attribute="created_at", dump_only=True)


class InitiativeSchema(Schema):
    """An initiative as anyone may see it."""

    id = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)
    summary = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    description_html = fields.String(dump_only=True)
    themes = fields.List(fields.Nested(PlaceSchema), dump_only=True)
    neighbourhood = fields.Nested(PlaceSchema, dump_only=True, allow_none=True)
    community = fields.Function(lambda i: i.community.slug if i.community else None, dump_only=True)
    needs = fields.List(fields.String(), dump_only=True)
    informal = fields.Boolean(dump_only=True)
    spontaneous = fields.Boolean(dump_only=True)
    status = fields.String(dump_only=True)
    support_count = fields.Integer(dump_only=True)
    thread_id = fields.Integer(dump_only=True, allow_none=True)
    author = fields.Nested(PublicMemberSchema, dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    answer_due_at = fields.Method("_due", dump_only=True)
    status_changes = fields.List(fields.Nested(StatusChangeSchema), dump_only=True)

    def _due(self, initiative: Any) -> str | None:
        due = answer_due_at(initiative)
        return due.isoformat() if due and initiative.awaiting_answer else None


_needs = fields.List(
    fields.String(validate=validate.Length(max=200)), validate=validate.Length(max=50)
)
_theme_ids = fields.List(fields.Integer(strict=True), validate=validate.Length(max=50))


class InitiativeCreateSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(max=1000))
    summary = fields.String(required=True, validate=validate.Length(max=2000))
    description = fields.String(load_default="", validate=validate.Length(max=50_000))
    theme_ids = _theme_ids
    neighbourhood_id = fields.Integer(strict=True, required=True)
    community = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=80))
    needs = _needs
    informal = fields.Boolean(load_default=False)


class InitiativeUpdateSchema(Schema):
    """`PATCH /initiatives/<id>`: every field optional."""

    title = fields.String(validate=validate.Length(max=1000))
    summary = fields.String(validate=validate.Length(max=2000))
    description = fields.String(validate=validate.Length(max=50_000))
    theme_ids = _theme_ids
    neighbourhood_id = fields.Integer(strict=True)
    needs = _needs


class StatusChangeInSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    answer = fields.String(load_default="", validate=validate.Length(max=20_000))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(REASONS))


class StatusChangeOutSchema(StatusChangeSchema):
    initiative = fields.Nested(InitiativeSchema, dump_only=True)


class SupportSchema(Schema):
    initiative_id = fields.Integer(dump_only=True)
    supported = fields.Boolean(dump_only=True)
    support_count = fields.Integer(dump_only=True)


class ParticipationInSchema(Schema):
    message = fields.String(load_default="", validate=validate.Length(max=20_000))


class ParticipationSchema(Schema):
    id = fields.Integer(dump_only=True)
    initiative_id = fields.Integer(dump_only=True)
    member = fields.Nested(PublicMemberSchema, dump_only=True)
    message = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class StoryUpdateSchema(Schema):
    id = fields.Integer(dump_only=True)
    initiative_id = fields.Integer(dump_only=True)
    author = fields.Nested(PublicMemberSchema, dump_only=True, allow_none=True)
    body = fields.String(dump_only=True)
    body_html = fields.String(dump_only=True)
    photo_url = fields.Method("_photo_url", dump_only=True)
    created_at = fields.DateTime(dump_only=True)

    def _photo_url(self, update: Any) -> str | None:
        return url_for("initiatives.photo", name=update.photo) if update.photo else None


class BrowseArgsSchema(Schema):
    theme_id = fields.Integer(load_default=None)
    neighbourhood_id = fields.Integer(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    community = fields.String(load_default=None, validate=validate.Length(max=80))
    informal = fields.Boolean(load_default=False)
    spontaneous = fields.Boolean(load_default=False)
    q = fields.String(load_default="", validate=validate.Length(max=200))
    sort = fields.String(load_default="newest", validate=validate.OneOf(SORTS))
