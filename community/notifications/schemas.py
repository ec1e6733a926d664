"""What the API and the live push show of a notification."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema


class NotificationSchema(Schema):
    """A notification as its member sees it."""

    id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True)
    text = fields.String(dump_only=True)
    url = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    read = fields.Boolean(dump_only=True)


class NotificationQuerySchema(Schema):
    unread = fields.Boolean(load_default=False)


class MarkReadSchema(Schema):
    """`POST /me/notifications/read`: `ids` (a list) or `all: true`."""

    ids = fields.List(fields.Integer(strict=True), validate=validate.Length(min=1, max=500))
    all = fields.Boolean()

    @validates_schema
    def _one_of(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if ("ids" in data) == bool(data.get("all")):
            raise ValidationError("Give either `ids` or `all: true`.", "_schema")


class ReadResultSchema(Schema):
    marked = fields.Integer(dump_only=True)
    unread_count = fields.Integer(dump_only=True)


class PreferenceSchema(Schema):
    email_frequency = fields.String(
        required=True, validate=validate.OneOf(("immediate", "daily", "weekly", "none"))
    )
