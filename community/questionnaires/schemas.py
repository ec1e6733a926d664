"""What the API shows of questionnaires, and what it takes."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from community.core.dates import BoundedAwareDateTime
from community.questionnaires.models import AUDIENCES, CHANNELS, KINDS
from community.questionnaires.services import Details


class OptionSchema(Schema):
    id = fields.Integer(dump_only=True)
    label = fields.String(dump_only=True)


class ConditionSchema(Schema):
    question_id = fields.Integer(dump_only=True)
    option_id = fields.Integer(dump_only=True)


class QuestionSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True)
    label = fields.String(dump_only=True)
    note = fields.String(dump_only=True)
    required = fields.Boolean(dump_only=True)
    options = fields.List(fields.Nested(OptionSchema), dump_only=True)
    condition = fields.Nested(ConditionSchema, dump_only=True, allow_none=True)


class QuestionnaireSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)
    intro = fields.String(dump_only=True)
    intro_html = fields.String(dump_only=True)
    community = fields.Function(
        lambda q: q.community.slug if q.community is not None else None, dump_only=True
    )
    audience = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    opens_at = fields.DateTime(dump_only=True, allow_none=True)
    closes_at = fields.DateTime(dump_only=True, allow_none=True)
    follow_up = fields.String(dump_only=True)
    follow_up_html = fields.String(dump_only=True)
    follow_up_at = fields.DateTime(dump_only=True, allow_none=True)
    questions = fields.List(fields.Nested(QuestionSchema), dump_only=True)


class ConditionInSchema(Schema):
    question = fields.Integer(required=True, strict=True)
    option = fields.Integer(required=True, strict=True)


class QuestionInSchema(Schema):
    id = fields.Integer(strict=True, load_default=None, allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    label = fields.String(required=True, validate=validate.Length(min=1, max=300))
    note = fields.String(load_default="", validate=validate.Length(max=300))
    required = fields.Boolean(load_default=False)
    options = fields.List(fields.String(validate=validate.Length(max=200)), load_default=list)
    condition = fields.Nested(ConditionInSchema, load_default=None, allow_none=True)


class QuestionnaireInSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    intro = fields.String(load_default="", validate=validate.Length(max=4000))
    audience = fields.String(load_default="anyone", validate=validate.OneOf(AUDIENCES))
    opens_at = BoundedAwareDateTime(load_default=None, allow_none=True)
    closes_at = BoundedAwareDateTime(load_default=None, allow_none=True)
    questions = fields.List(
        fields.Nested(QuestionInSchema), load_default=list, validate=validate.Length(max=60)
    )


class QuestionnairePatchSchema(Schema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    intro = fields.String(validate=validate.Length(max=4000))
    audience = fields.String(validate=validate.OneOf(AUDIENCES))
    opens_at = BoundedAwareDateTime(allow_none=True)
    closes_at = BoundedAwareDateTime(allow_none=True)
    questions = fields.List(fields.Nested(QuestionInSchema), validate=validate.Length(max=60))


class AnswerInSchema(Schema):
    question_id = fields.Integer(required=True, strict=True)
    option_ids = fields.List(fields.Integer(strict=True), load_default=None, allow_none=True)
    value = fields.Integer(strict=True, load_default=None, allow_none=True)
    text = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))


class ResponseInSchema(Schema):
    answers = fields.List(
        fields.Nested(AnswerInSchema), required=True, validate=validate.Length(max=200)
    )
    channel = fields.String(load_default="web", validate=validate.OneOf(CHANNELS))
    neighbourhood_id = fields.Integer(strict=True, load_default=None, allow_none=True)
    consent = fields.Boolean(load_default=False)


class ResponseSchema(Schema):
    id = fields.Integer(dump_only=True)
    questionnaire_id = fields.Integer(dump_only=True)
    channel = fields.String(dump_only=True)
    neighbourhood_id = fields.Integer(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)


class FollowUpInSchema(Schema):
    body = fields.String(required=True, validate=validate.Length(min=1, max=6000))


class ResultsQuerySchema(Schema):
    neighbourhood = fields.Integer(load_default=None, allow_none=True)


def details_from(data: dict[str, Any]) -> Any:
    return Details(
        title=data.get("title"),
        intro=data.get("intro"),
        audience=data.get("audience"),
        opens_at=data.get("opens_at"),
        closes_at=data.get("closes_at"),
        dates_given={k for k in ("opens_at", "closes_at") if k in data},
    )
