from __future__ import annotations

from marshmallow import Schema, fields


class PlaceSchema(Schema):
    """A theme or a neighbourhood, as the API shows it."""

    id = fields.Integer(dump_only=True)
    slug = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
