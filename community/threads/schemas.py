"""What clients see of threads and messages (the JSON API and the Socket.IO payloads), and the
input of each act (`…Input`): one schema per act, loaded by the API, by the socket `event()`
wrapper and by the service behind the page's form (`core/inputs.py`)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from marshmallow import Schema, fields, pre_load, validate

from community.core.edge import INT_MAX, single_line
from community.core.inputs import length_between, require_text
from community.core.validation import N_
from community.members.schemas import PublicMemberSchema
from community.threads.models import (
    MAX_BODY_LENGTH,
    MAX_CLIENT_ID_LENGTH,
    MAX_REASON_LENGTH,
    Message,
)


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


class ThreadInput(Schema):
    """Opening a topic: its title, on one line (it is the subject of every reply's mail)."""

    title = fields.String(
        required=True,
        validate=length_between(3, 160, lambda: _("Between 3 and 160 characters.")),
    )

    @pre_load
    def _one_line(self, data: Any, **_kwargs: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("title"), str):
            return {**data, "title": single_line(data["title"])}
        return data


def _body() -> fields.String:
    write = N_("Write a message.")
    return fields.String(
        required=True,
        error_messages={"required": write, "null": write, "invalid": write},
        validate=[
            require_text(lambda: _("Write a message.")),
            length_between(
                0,
                MAX_BODY_LENGTH,
                lambda: _("At most %(count)d characters.", count=MAX_BODY_LENGTH),
            ),
        ],
    )


class MessageInput(Schema):
    """Posting a message (socket `message:send`, `POST /threads/<id>/messages`, the page)."""

    body = _body()
    client_id = fields.String(
        allow_none=True,
        validate=length_between(
            1,
            MAX_CLIENT_ID_LENGTH,
            lambda: _("From 1 to %(count)d characters.", count=MAX_CLIENT_ID_LENGTH),
        ),
    )
    reply_to = fields.Integer(
        strict=True,
        allow_none=True,
        error_messages={"invalid": N_("An integer is expected.")},
    )


class MessageEditInput(Schema):
    """Changing one's message (socket `message:edit`, the page's edit form)."""

    body = _body()


class ReasonInput(Schema):
    """A moderator hides a message or shows it again (socket `message:hide`/`restore`, the
    thread page's moderation form): the reason, told to the author."""

    reason = fields.String(
        required=True,
        error_messages={"required": N_("Give a reason."), "null": N_("Give a reason.")},
        validate=[
            require_text(lambda: _("Give a reason.")),
            length_between(
                0,
                MAX_REASON_LENGTH,
                lambda: _("At most %(count)d characters.", count=MAX_REASON_LENGTH),
            ),
        ],
    )


class ReadInput(Schema):
    """How far the page has shown a thread (socket `thread:read`): its highest `seq`."""

    seq = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=0, max=INT_MAX, error=N_("A positive integer is expected.")),
        error_messages={
            "required": N_("A positive integer is expected."),
            "null": N_("A positive integer is expected."),
            "invalid": N_("A positive integer is expected."),
        },
    )


class MessagesQuerySchema(Schema):
    after_seq = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=200))
