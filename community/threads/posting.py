"""Posting a message: the write path shared by every door, in two steps around the thread's
write turn. `draft_message` checks and renders outside it (the author authorised before:
`authorise_post`, or a socket's posting grant, `threads.live`); `store_message` writes inside
it in three statements (`seq`, the message, the author's read marker). `services.post_message`
does both at once for a caller that holds the turn; the doors go through
`threads.use_cases.send_message`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.elements import ColumnElement

from community.core.content import render_markdown
from community.core.errors import Invalid, Locked, RateLimited
from community.core.inputs import load_input
from community.core.models import utcnow
from community.core.permissions import require
from community.core.ratelimit import hit
from community.extensions import db
from community.members.models import Member
from community.moderation.suspensions import posting_refusal
from community.threads.models import Message, MessageMention, Thread
from community.threads.permissions import can_post_in_thread
from community.threads.queries import (
    closed_by_hidden_initiative,
    open_for_messages,
    thread_is_readable,
)
from community.threads.reading import read_statement
from community.threads.schemas import MessageInput
from community.threads.signals import message_posted

MENTION = re.compile(r"(?<![\w@])@(\w[^\n@]{0,39})")
TRAILING = ".,;:!?)»\"' "


@dataclass
class Posted:
    message: Message
    created: bool  # False when the same client_id came back: the stored message is returned
    author_name: str | None = None  # the author's pseudonym, read as the message was stored


# Loading is thread-safe: one instance, not one per message.
_MESSAGE_INPUT = MessageInput()


@dataclass(frozen=True)
class Draft:
    """A message checked and rendered before its thread's write turn (`draft_message`): what
    `store_message` writes, with the thread's next `seq`, once its author was authorised."""

    author_id: int
    thread_id: int
    text: str
    html: str
    client_id: str | None
    reply_to_id: int | None
    mentions: list[list[str]]


class Refused(Exception):
    """`store_message` found the thread closed to this message (locked, gone, its initiative
    hidden, or the `still` condition false): nothing was written; the caller rolls back and
    says why (`why_refused`)."""


def authorise_post(member: Member | None, thread: Thread) -> None:
    """May `member` post in `thread` now? Say why not: a hidden initiative's thread is closed
    (said before who may post), a suspension in the member's words, else the plain refusal.
    The suspension's words are looked up only when posting is refused."""
    if closed_by_hidden_initiative(thread):
        raise Locked(_("This thread is locked: no new messages."))
    if not can_post_in_thread(member, thread):
        require(False, member, posting_refusal(member, thread.community))


def draft_message(
    author_id: int,
    thread_id: int,
    body: object,
    client_id: object = None,
    reply_to: object = None,
) -> Draft:
    """Check and render a message of `author_id` for `thread_id`, outside the thread's write
    turn. The author was authorised for the thread before (`authorise_post`, or a socket's
    posting grant, `threads.live`); the thread's state is checked by `store_message`."""
    loaded = load_input(
        _MESSAGE_INPUT, {"body": body, "client_id": client_id, "reply_to": reply_to}
    )
    text: str = loaded["body"]
    reply_to_id: int | None = loaded.get("reply_to")
    if isinstance(reply_to, bool):  # marshmallow takes True for 1
        raise Invalid(_("Some fields are not valid."), {"reply_to": [_("An integer is expected.")]})
    if reply_to_id is not None:
        parent = db.session.execute(
            select(Message.thread_id, Message.hidden_at, Message.deleted_at).where(
                Message.id == reply_to_id
            )
        ).one_or_none()
        if parent is None or parent.thread_id != thread_id:
            raise Invalid(
                _("Some fields are not valid."),
                {"reply_to": [_("This message is not in this thread.")]},
            )
        if parent.hidden_at is not None or parent.deleted_at is not None:
            # Nobody answers what the moderators hid, or what its author took back.
            raise Invalid(
                _("Some fields are not valid."),
                {"reply_to": [_("This message can no longer be answered.")]},
            )
    if not hit(current_app.config["MESSAGE_RATE_LIMIT"], "message", str(author_id)):
        raise RateLimited(_("You are sending messages too fast. Wait a moment."))
    return Draft(
        author_id=author_id,
        thread_id=thread_id,
        text=text,
        html=render_markdown(text),
        client_id=loaded.get("client_id"),
        reply_to_id=reply_to_id,
        mentions=_mention_candidates(text),
    )


Condition = tuple[ColumnElement[bool], dict[str, Any]]  # a clause with bindparams, its values
_STATEMENTS: dict[Any, Any] = {}


def _seq_statement(resend_check: bool, still: ColumnElement[bool] | None) -> Any:
    """The `seq` statement, built once per shape (its cache key then costs nothing)."""
    key = ("seq", resend_check, still)
    statement = _STATEMENTS.get(key)
    if statement is None:
        threads = Thread.__table__
        messages = Message.__table__
        author_name = (
            select(Member.__table__.c.display_name)
            .where(Member.__table__.c.id == bindparam("author_id"))
            .scalar_subquery()
        )
        statement = (
            threads.update()
            .where(
                threads.c.id == bindparam("thread_id"),
                threads.c.locked.is_(False),
                open_for_messages(),
            )
            .values(last_seq=threads.c.last_seq + 1, last_message_at=bindparam("now"))
            .returning(threads.c.last_seq, author_name)
        )
        if resend_check:  # a resend: the caller returns the stored one
            statement = statement.where(
                ~exists().where(
                    messages.c.author_id == bindparam("author_id"),
                    messages.c.client_id == bindparam("client_id"),
                )
            )
        if still is not None:
            statement = statement.where(still)
        _STATEMENTS[key] = statement
    return statement


def _insert_statement() -> Any:
    statement = _STATEMENTS.get("insert")
    if statement is None:
        table = Message.__table__
        statement = table.insert().returning(table.c.id)
        _STATEMENTS["insert"] = statement
    return statement


def store_message(draft: Draft, still: Condition | None = None) -> Posted:
    """Write an authorised draft (`draft_message`) inside its thread's write turn, in three
    statements: the next `seq` (which also checks that the thread is open, that the
    `client_id` is new and the condition `still`, and reads the author's current pseudonym),
    the message, the author's unread marker. Raises `Refused`, nothing written, when the
    first takes no message: the caller says why or returns the stored message (`resent`)."""
    now = utcnow()
    connection = db.session.connection()
    params: dict[str, Any] = {
        "thread_id": draft.thread_id,
        "author_id": draft.author_id,
        "client_id": draft.client_id,
        "now": now,
    }
    clause = None
    if still is not None:
        clause, extra = still
        params.update(extra)
    row = connection.execute(_seq_statement(draft.client_id is not None, clause), params).first()
    if row is None:
        raise Refused()
    seq, display_name = row
    # A loaded thread (the caller's) learns its new seq without another query.
    loaded = db.session.identity_map.get(identity_key(Thread, draft.thread_id))
    if loaded is not None:
        set_committed_value(loaded, "last_seq", seq)
        set_committed_value(loaded, "last_message_at", now)
    values = {
        "thread_id": draft.thread_id,
        "seq": seq,
        "author_id": draft.author_id,
        "client_id": draft.client_id,
        "body": draft.text,
        "body_html": draft.html,
        "reply_to_id": draft.reply_to_id,
        "created_at": now,
        "edited_at": None,
        "deleted_at": None,
        "hidden_at": None,
        "hidden_by_id": None,
        "hidden_reason": "",
    }
    message_id = connection.execute(_insert_statement(), values).scalar_one()
    # The stored row as an ORM object of the session, without reading it back.
    message = Message(id=message_id, **values)
    make_transient_to_detached(message)
    db.session.add(message)
    mentioned = record_mentions(message, draft.mentions) if draft.mentions else []
    connection.execute(
        read_statement(connection.dialect.name),
        {
            "thread_id": draft.thread_id,
            "member_id": draft.author_id,
            "last_read_seq": seq,
            "updated_at": now,
        },
    )
    message_posted.send(message, mentioned=mentioned)
    return Posted(message, created=True, author_name=display_name)


def stored_message(author_id: int, client_id: object) -> Message | None:
    """The author's message already stored under `client_id` (a resend), if any."""
    if not isinstance(client_id, str):
        return None
    return db.session.execute(
        select(Message).where(Message.author_id == author_id, Message.client_id == client_id)
    ).scalar_one_or_none()


def resent(author_id: int, thread_id: int, client_id: object) -> Posted | None:
    """A resend of a stored message: it is returned (`created` false); a `client_id` used in
    another thread is refused."""
    stored = stored_message(author_id, client_id)
    if stored is None:
        return None
    if stored.thread_id != thread_id:
        raise Invalid(
            _("Some fields are not valid."),
            {"client_id": [_("This identifier was already used in another thread.")]},
        )
    return Posted(stored, created=False)


def why_refused(thread: Thread) -> Locked:
    """What to say when `store_message` refused a message for an authorised author."""
    return Locked(_("This thread is locked: no new messages."))


def _mention_candidates(text: str) -> list[list[str]]:
    """For each `@`, the pseudonyms it may start (pseudonyms may hold up to 4 words)."""
    candidates = []
    for tail in MENTION.findall(text):
        words = tail.split()
        options = [
            " ".join(words[:n]).rstrip(TRAILING).casefold()
            for n in range(1, min(4, len(words)) + 1)
        ]
        candidates.append([o for o in options if o])
    return candidates


def record_mentions(message: Message, candidates: list[list[str]] | None = None) -> list[int]:
    """Record the `@pseudonyms` of `message` who may read its thread; their ids."""
    if candidates is None:
        candidates = _mention_candidates(message.body)
    keys = {key for options in candidates for key in options}
    if not keys:
        return []
    known = dict(
        db.session.execute(
            select(Member.display_name_key, Member.id).where(
                Member.display_name_key.in_(keys), Member.id != message.author_id
            )
        ).all()
    )
    mentioned = set()
    for options in candidates:
        matches = [key for key in options if key in known]
        if matches:
            mentioned.add(known[max(matches, key=len)])
    recorded = []
    for member_id in mentioned:
        # A mention reaches only whoever may read the thread: nothing (no title, no excerpt)
        # leaves a thread towards a non-member.
        named = db.session.get(Member, member_id)
        if named is None or not thread_is_readable(named, message.thread):
            continue
        db.session.add(MessageMention(message_id=message.id, member_id=member_id))
        recorded.append(member_id)
    db.session.flush()
    return recorded
