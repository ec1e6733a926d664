"""What the API shows of members, per audience: a member's e-mail leaves only through `MeSchema`."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from community.members.models import LOCALES
from community.members.services import MAX_BIO_LENGTH, MAX_SKILL_LENGTH, MAX_SKILLS
from community.territory.schemas import PlaceSchema


class PublicMemberSchema(Schema):
    """A member as anyone may see them: a pseudonym, nothing else."""

    id = fields.Integer(dump_only=True)
    display_name = fields.String(dump_only=True)


class MeSchema(Schema):
    """The member's own account."""

    id = fields.Integer(dump_only=True)
    email = fields.String(dump_only=True)
    display_name = fields.String(dump_only=True)
    role = fields.String(dump_only=True)
    neighbourhood = fields.Nested(PlaceSchema, dump_only=True, allow_none=True)
    themes = fields.List(fields.Nested(PlaceSchema), dump_only=True)
    skills = fields.List(fields.String(), dump_only=True)
    bio = fields.String(dump_only=True)
    locale = fields.String(dump_only=True)


class MeUpdateSchema(Schema):
    """`PATCH /me`: every field optional; `neighbourhood_id: null` clears the neighbourhood."""

    display_name = fields.String(validate=validate.Length(min=3, max=40))
    neighbourhood_id = fields.Integer(allow_none=True, strict=True)
    theme_ids = fields.List(fields.Integer(strict=True), validate=validate.Length(max=50))
    skills = fields.List(
        fields.String(validate=validate.Length(max=MAX_SKILL_LENGTH)),
        validate=validate.Length(max=MAX_SKILLS),
    )
    bio = fields.String(validate=validate.Length(max=MAX_BIO_LENGTH))
    locale = fields.String(validate=validate.OneOf(LOCALES))


class EraseSchema(Schema):
    """`DELETE /me`: the account's password, to be sure it is its owner."""

    password = fields.String(required=True, validate=validate.Length(min=1, max=200))
