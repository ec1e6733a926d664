"""Threads and messages: the rules, shared by the pages, the JSON API and the socket events."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import defer, joinedload, load_only, make_transient_to_detached, raiseload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.elements import ColumnElement

from community.communities.models import Community
from community.core.content import render_markdown
from community.core.errors import Invalid, Locked, NotFound, RateLimited
from community.core.inputs import load_input
from community.core.models import utcnow
from community.core.permissions import require
from community.core.ratelimit import hit
from community.core.urls import site_path
from community.extensions import db
from community.members.models import Member
from community.moderation.journal import record_action, tell_member
from community.moderation.models import Report
from community.moderation.suspensions import posting_refusal
from community.threads.models import (
    MAX_REASON_LENGTH,
    Message,
    MessageMention,
    Thread,
)
from community.threads.permissions import (
    can_create_thread,
    can_edit_message,
    can_moderate_thread,
    can_post_in_thread,
    can_read_community_threads,
)
from community.threads.queries import (
    closed_by_hidden_initiative,
    community_threads,
    open_for_messages,
    thread_is_readable,
)
from community.threads.reading import read_statement, unread_counts
from community.threads.schemas import MessageEditInput, MessageInput, ReasonInput, ThreadInput
from community.threads.signals import message_hidden, message_posted, message_restored

PAGE_SIZE = 200  # thread:join and GET …/messages return at most this many
MENTION = re.compile(r"(?<![\w@])@(\w[^\n@]{0,39})")
TRAILING = ".,;:!?)»\"' "


@dataclass
class Posted:
    message: Message
    created: bool  # False when the same client_id came back: the stored message is returned
    author_name: str | None = None  # the author's pseudonym, read as the message was stored


def _valid_id(value: object, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid(_("Some fields are not valid."), {key: [_("An integer is expected.")]})
    return value


def get_thread(member: Member | None, thread_id: object) -> Thread:
    """The thread with this id if `member` may read it (the visibility layer); NotFound,
    exactly as for an id that does not exist, otherwise."""
    thread = db.session.get(Thread, _valid_id(thread_id, "thread_id"))
    if thread is None or not thread_is_readable(member, thread):
        raise NotFound(_("This thread does not exist."))
    return thread


def get_message(member: Member | None, message_id: object) -> Message:
    """The message with this id if `member` may read its thread (a deleted one too: acting on
    it again answers as the first time); NotFound, as for an id that does not exist,
    otherwise. Whether its body may be read is `queries.may_see_body`'s."""
    message = db.session.get(Message, _valid_id(message_id, "message_id"))
    if message is None or not thread_is_readable(member, message.thread):
        raise NotFound(_("This message does not exist."))
    return message


def create_thread(author: Member, community: Community, title: str) -> Thread:
    """Open a new topic in a community."""
    require(can_create_thread(author, community), author, posting_refusal(author, community))
    title = load_input(ThreadInput(), {"title": title})["title"]
    thread = Thread(kind="community", community=community, title=title, created_by_id=author.id)
    db.session.add(thread)
    db.session.flush()
    return thread


def welcome_thread(community: Community, author: Member | None = None) -> Thread:
    """The community's welcome thread (pinned), opened the first time it is needed.

    A member lands there after joining. Its title is written in the platform's default
    language: it is stored, not translated per reader.
    """
    thread = db.session.execute(
        select(Thread)
        .where(Thread.community_id == community.id, Thread.welcome.is_(True))
        .order_by(Thread.id)
        .limit(1)
    ).scalar_one_or_none()
    if thread is not None:
        return thread
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "fr")):
        title = _("Welcome! Introduce yourself")
    thread = Thread(
        kind="community",
        community=community,
        title=title,
        created_by_id=author.id if author is not None else None,
        pinned=True,
        welcome=True,
    )
    db.session.add(thread)
    db.session.flush()
    return thread


def latest_threads(communities: list[Community], per_community: int = 3) -> dict[int, list[Thread]]:
    """The most recently active topics of each community (welcome first while it is quiet)."""
    if not communities:
        return {}
    ranked = (
        select(
            Thread.id,
            func.row_number()
            .over(
                partition_by=Thread.community_id,
                order_by=(Thread.last_message_at.desc().nulls_last(), Thread.id.desc()),
            )
            .label("rank"),
        )
        .where(Thread.community_id.in_([c.id for c in communities]), Thread.kind == "community")
        .subquery()
    )
    threads = db.session.execute(
        select(Thread)
        .join(ranked, ranked.c.id == Thread.id)
        .where(ranked.c.rank <= per_community)
        .order_by(Thread.last_message_at.desc().nulls_last(), Thread.id.desc())
    ).scalars()
    found: dict[int, list[Thread]] = {c.id: [] for c in communities}
    for thread in threads:
        assert thread.community_id is not None
        found[thread.community_id].append(thread)
    return found


# Loading is thread-safe: one instance each, not one per message.
_MESSAGE_INPUT = MessageInput()
_MESSAGE_EDIT_INPUT = MessageEditInput()


def _clean_body(body: object) -> str:
    text: str = load_input(_MESSAGE_EDIT_INPUT, {"body": body})["body"]
    return text


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
    mentioned = _record_mentions(message, draft.mentions) if draft.mentions else []
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


def post_message(
    author: Member,
    thread: Thread,
    body: object,
    client_id: object = None,
    reply_to: object = None,
) -> Posted:
    """Store a message with the thread's next `seq`; a known client_id returns the stored one.

    In the caller's transaction (the demo, tests, a use case that holds the write turn):
    authorised, drafted and stored at once. The doors post through
    `threads.use_cases.send_message`, which drafts before the write turn."""
    authorise_post(author, thread)
    draft = draft_message(author.id, thread.id, body, client_id, reply_to)
    try:
        return store_message(draft)
    except Refused:
        found = resent(author.id, thread.id, client_id)
        if found is not None:
            return found
        raise why_refused(thread) from None


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


def _record_mentions(message: Message, candidates: list[list[str]] | None = None) -> list[int]:
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


def edit_message(author: Member, message: Message, body: object) -> Message:
    """Change one's own message; it is marked as edited."""
    require(can_edit_message(author, message), author)
    text = _clean_body(body)
    if message.deleted or message.hidden:
        raise Invalid(_("This message can no longer be edited."))
    if message.thread.locked:
        raise Locked(_("This thread is locked: no new messages."))
    message.body = text
    message.body_html = render_markdown(text)
    message.edited_at = utcnow()
    db.session.execute(
        MessageMention.__table__.delete().where(MessageMention.message_id == message.id)
    )
    db.session.flush()
    _record_mentions(message)
    return message


def delete_message(author: Member, message: Message) -> Message:
    """Delete one's own message: it stays in the thread as "message deleted", without its text."""
    require(can_edit_message(author, message), author)
    if message.deleted:
        return message
    message.deleted_at = utcnow()
    message.body = ""
    message.body_html = ""
    db.session.execute(
        MessageMention.__table__.delete().where(MessageMention.message_id == message.id)
    )
    db.session.flush()
    return message


def _reason(reason: object) -> str:
    text: str = load_input(ReasonInput(), {"reason": reason})["reason"]
    return text.strip()


def _record(
    actor: Member, action: str, target_type: str, target_id: int, thread: Thread, reason: str
) -> None:
    record_action(actor, action, target_type, target_id, community=thread.community, reason=reason)


def hide_message(
    moderator: Member, message: Message, reason: object, *, report: Report | None = None
) -> Message:
    """Hide a message from everyone but its author and the moderators: the one way to hide
    one, from its thread page, a socket or a report answered (`report`, whose answer checked
    the reason). The act is written to the moderation journal about its author, who is told.
    """
    require(can_moderate_thread(moderator, message.thread), moderator)
    text = _reason(reason) if report is None else str(reason or "").strip()
    if message.hidden:
        raise Invalid(_("This message is already hidden."))
    message.hidden_at = utcnow()
    message.hidden_by_id = moderator.id
    message.hidden_reason = text
    _moderated(moderator, message, "hide", text, report)
    message_hidden.send(message, actor=moderator, reason=text)
    return message


def restore_message(
    moderator: Member, message: Message, reason: object, *, report: Report | None = None
) -> Message:
    """Show a hidden message again (the one way, as `hide_message`); the act is recorded."""
    require(can_moderate_thread(moderator, message.thread), moderator)
    text = _reason(reason) if report is None else str(reason or "").strip()
    if not message.hidden:
        raise Invalid(_("This message is not hidden."))
    message.hidden_at = None
    message.hidden_by_id = None
    message.hidden_reason = ""
    _moderated(moderator, message, "restore", text, report)
    message_restored.send(message, actor=moderator, reason=text)
    return message


def message_url(message: Message) -> str:
    """The message's place on its thread page."""
    return site_path("threads.show", thread_id=message.thread_id, _anchor=f"message-{message.id}")


def _moderated(
    moderator: Member, message: Message, action: str, reason: str, report: Report | None
) -> None:
    community = message.thread.community
    record_action(
        moderator, action, "message", message.id,
        community=community, subject=message.author, reason=reason, report=report,
    )  # fmt: skip
    tell_member(
        moderator,
        message.author,
        action,
        reason,
        noun=_l("your message"),
        reason_code=report.reason if report is not None else "off_charter",
        url=message_url(message),
        community=report.community if report is not None else community,
        contest_target=("message", message.id),  # a hidden message's author may contest
    )


def set_locked(moderator: Member, thread: Thread, locked: bool, reason: str = "") -> Thread:
    """Lock (no new messages) or unlock a thread; the act is recorded."""
    require(can_moderate_thread(moderator, thread), moderator)
    if thread.locked != locked:
        thread.locked = locked
        _record(
            moderator,
            "lock" if locked else "unlock",
            "thread",
            thread.id,
            thread,
            reason.strip()[:MAX_REASON_LENGTH],
        )
        db.session.flush()
    return thread


def set_pinned(moderator: Member, thread: Thread, pinned: bool) -> Thread:
    """Pin a topic at the top of its community's list, or unpin it."""
    require(can_moderate_thread(moderator, thread), moderator)
    thread.pinned = pinned
    db.session.flush()
    return thread


def messages_after(
    thread: Thread, after_seq: int = 0, limit: int = PAGE_SIZE
) -> tuple[list[Message], bool]:
    """Messages above `after_seq`, oldest first, at most `limit`; and whether more follow."""
    rows = list(
        db.session.execute(
            select(Message)
            .where(Message.thread_id == thread.id, Message.seq > after_seq)
            .order_by(Message.seq)
            .limit(limit + 1)
        ).scalars()
    )
    return rows[:limit], len(rows) > limit


def messages_before(
    thread: Thread, before_seq: int | None, limit: int = 50
) -> tuple[list[Message], bool]:
    """The `limit` messages before `before_seq` (or the latest), oldest first; and if more exist.

    Only what the thread page shows (issue 17): not the markdown source nor the client id, and
    of the author only the id and pseudonym, without their neighbourhood (loaded if asked for).
    """
    stmt = (
        select(Message)
        .where(Message.thread_id == thread.id)
        .options(
            defer(Message.body),
            defer(Message.client_id),
            joinedload(Message.author)
            .load_only(Member.id, Member.display_name)
            .lazyload(Member.neighbourhood),
        )
    )
    if before_seq is not None:
        stmt = stmt.where(Message.seq < before_seq)
    rows = list(db.session.execute(stmt.order_by(Message.seq.desc()).limit(limit + 1)).scalars())
    earlier = len(rows) > limit
    return list(reversed(rows[:limit])), earlier


def community_discussions(
    member: Member | None, community: Community, limit: int = 5
) -> tuple[list[Thread], dict[int, int]]:
    """A community page's latest topics (only the shown columns) and what is unread in them."""
    if not can_read_community_threads(member, community):
        return [], {}
    threads = list(
        db.session.execute(
            community_threads(community)
            .options(
                load_only(Thread.id, Thread.title, Thread.last_seq, Thread.community_id),
                raiseload("*"),
            )
            .limit(limit)
        ).scalars()
    )
    return threads, unread_counts(member, threads)
