from __future__ import annotations

from marshmallow import Schema, fields, validate


class SignupSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=200))
    display_name = fields.String(required=True, validate=validate.Length(min=3, max=40))
    neighbourhood_id = fields.Integer(allow_none=True, strict=True, load_default=None)
    accept_charter = fields.Boolean(required=True)
    invitation = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))


class SignupAnswerSchema(Schema):
    status = fields.String(dump_only=True)
    message = fields.String(dump_only=True)


class CredentialsSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=200))


class TokenSchema(Schema):
    token = fields.String(dump_only=True)
    expires_at = fields.DateTime(dump_only=True)


class TokenInfoSchema(Schema):
    id = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    expires_at = fields.DateTime(dump_only=True)
    current = fields.Boolean(dump_only=True)


class TokenListSchema(Schema):
    tokens = fields.List(fields.Nested(TokenInfoSchema), dump_only=True)
