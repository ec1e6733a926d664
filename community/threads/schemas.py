"""What clients see of threads and messages (the JSON API and the Socket.IO payloads)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from community.members.schemas import PublicMemberSchema
from community.threads.models import MAX_BODY_LENGTH, MAX_CLIENT_ID_LENGTH, Message


class MessageSchema(Schema):
    """A message as everyone sees it; `message_payload` blanks a hidden body for the others."""

    id = fields.Integer(dump_only=True)
    thread_id = fields.Integer(dump_only=True)
    seq = fields.Integer(dump_only=True)
    author = fields.Nested(PublicMemberSchema, dump_only=True, allow_none=True)
    body_html = fields.String(dump_only=True)
    reply_to = fields.Integer(attribute="reply_to_id", dump_only=True, allow_none=True)
    client_id = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    edited_at = fields.DateTime(dump_only=True, allow_none=True)
    hidden = fields.Boolean(dump_only=True)
    deleted = fields.Boolean(dump_only=True)


_message_schema = MessageSchema()
_without_author = MessageSchema(exclude=("author",))


def message_payload(message: Message, reveal: bool = False) -> dict[str, Any]:
    """The message for one audience: a hidden body only when `reveal` (author, moderators)."""
    data: dict[str, Any] = _message_schema.dump(message)
    if message.deleted or (message.hidden and not reveal):
        data["body_html"] = ""
    return data


def new_message_payload(message: Message, author_name: str | None) -> dict[str, Any]:
    """A message just stored, for everyone (`message_payload`'s shape): its author from the
    id and the pseudonym read as it was stored, without loading the member. Built once, it
    is both the room's broadcast and the sender's acknowledgement."""
    data: dict[str, Any] = _without_author.dump(message)
    data["author"] = (
        {"id": message.author_id, "display_name": author_name}
        if message.author_id is not None and author_name is not None
        else None
    )
    return data


class ThreadSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True)
    community = fields.Function(
        lambda thread: thread.community.slug if thread.community else None, dump_only=True
    )
    title = fields.String(dump_only=True)
    pinned = fields.Boolean(dump_only=True)
    locked = fields.Boolean(dump_only=True)
    last_seq = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    last_message_at = fields.DateTime(dump_only=True, allow_none=True)


class ThreadCreateSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=3, max=160))


class MessageCreateSchema(Schema):
    body = fields.String(required=True, validate=validate.Length(min=1, max=MAX_BODY_LENGTH))
    client_id = fields.String(validate=validate.Length(min=1, max=MAX_CLIENT_ID_LENGTH))
    reply_to = fields.Integer(strict=True, allow_none=True)


class MessagesQuerySchema(Schema):
    after_seq = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=200))
