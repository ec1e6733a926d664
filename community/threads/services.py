"""Threads and messages: the rules, shared by the pages, the JSON API and the socket events."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import defer, joinedload, load_only, raiseload

from community.communities.models import Community
from community.core.content import render_markdown
from community.core.edge import as_id
from community.core.errors import Invalid, Locked, NotFound
from community.core.inputs import load_input
from community.core.models import utcnow
from community.core.permissions import require
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
    can_read_community_threads,
)
from community.threads.posting import (
    Posted,
    Refused,
    authorise_post,
    draft_message,
    record_mentions,
    resent,
    store_message,
    why_refused,
)
from community.threads.queries import (
    community_threads,
    thread_is_readable,
)
from community.threads.reading import unread_counts
from community.threads.schemas import MessageEditInput, ReasonInput, ThreadInput
from community.threads.signals import message_deleted, message_hidden, message_restored

PAGE_SIZE = 200  # thread:join and GET …/messages return at most this many


def _valid_id(value: object, key: str) -> int | None:
    """An integer is expected (422 otherwise); one no row can have is None: "not found"."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid(_("Some fields are not valid."), {key: [_("An integer is expected.")]})
    return as_id(value)


def get_thread(member: Member | None, thread_id: object) -> Thread:
    """The thread with this id if `member` may read it (the visibility layer); NotFound,
    exactly as for an id that does not exist, otherwise."""
    ident = _valid_id(thread_id, "thread_id")
    thread = db.session.get(Thread, ident) if ident is not None else None
    if thread is None or not thread_is_readable(member, thread):
        raise NotFound(_("This thread does not exist."))
    return thread


def get_message(member: Member | None, message_id: object) -> Message:
    """The message with this id if `member` may read its thread (a deleted one too: acting on
    it again answers as the first time); NotFound, as for an id that does not exist,
    otherwise. Whether its body may be read is `queries.may_see_body`'s."""
    ident = _valid_id(message_id, "message_id")
    message = db.session.get(Message, ident) if ident is not None else None
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


# Loading is thread-safe: one instance, not one per message.
_MESSAGE_EDIT_INPUT = MessageEditInput()


def _clean_body(body: object) -> str:
    text: str = load_input(_MESSAGE_EDIT_INPUT, {"body": body})["body"]
    return text


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
    record_mentions(message)
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
    message_deleted.send(message, actor=author)
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
