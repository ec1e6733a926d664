"""Threads and messages: the rules, shared by the pages, the JSON API and the socket events."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import defer, joinedload

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
    Message,
    MessageMention,
    Thread,
    ThreadRead,
)
from community.threads.permissions import (
    can_create_thread,
    can_edit_message,
    can_moderate_thread,
    can_post_in_thread,
    can_read_thread,
)
from community.threads.queries import closed_by_hidden_initiative, thread_is_readable
from community.threads.schemas import MessageEditInput, MessageInput, ThreadInput
from community.threads.signals import message_hidden, message_posted, message_restored

PAGE_SIZE = 200  # thread:join and GET …/messages return at most this many
MENTION = re.compile(r"(?<![\w@])@(\w[^\n@]{0,39})")
TRAILING = ".,;:!?)»\"' "
MAX_REASON_LENGTH = 500


@dataclass
class Posted:
    message: Message
    created: bool  # False when the same client_id came back: the stored message is returned


def get_thread(thread_id: object) -> Thread:
    """The thread with this id, or NotFound."""
    if not isinstance(thread_id, int) or isinstance(thread_id, bool):
        raise Invalid(
            _("Some fields are not valid."), {"thread_id": [_("An integer is expected.")]}
        )
    thread = db.session.get(Thread, thread_id)
    if thread is None:
        raise NotFound(_("This thread does not exist."))
    return thread


def get_message(message_id: object) -> Message:
    """The message with this id, or NotFound."""
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise Invalid(
            _("Some fields are not valid."), {"message_id": [_("An integer is expected.")]}
        )
    message = db.session.get(Message, message_id)
    if message is None:
        raise NotFound(_("This message does not exist."))
    return message


def create_thread(author: Member, community: Community, title: str) -> Thread:
    """Open a new topic in a community."""
    require(can_create_thread(author, community), author)
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


def _clean_body(body: object) -> str:
    text: str = load_input(MessageEditInput(), {"body": body})["body"]
    return text


def _check_rate(author: Member) -> None:
    if not hit(current_app.config["MESSAGE_RATE_LIMIT"], "message", str(author.id)):
        raise RateLimited(_("You are sending messages too fast. Wait a moment."))


def _lock_thread(thread: Thread) -> Thread:
    """Lock the thread's row until commit (PostgreSQL; SQLite writers already hold the lock)."""
    db.session.execute(select(Thread.id).where(Thread.id == thread.id).with_for_update())
    db.session.refresh(thread)
    return thread


def post_message(
    author: Member,
    thread: Thread,
    body: object,
    client_id: object = None,
    reply_to: object = None,
) -> Posted:
    """Store a message with the thread's next `seq`; a known client_id returns the stored one."""
    # A hidden initiative closes its thread for everyone: say so before who may post.
    if closed_by_hidden_initiative(thread):
        raise Locked(_("This thread is locked: no new messages."))
    require(can_post_in_thread(author, thread), author, posting_refusal(author, thread.community))
    text = load_input(MessageInput(), {"body": body, "client_id": client_id})["body"]
    _lock_thread(thread)
    if client_id is not None:
        stored = db.session.execute(
            select(Message).where(Message.author_id == author.id, Message.client_id == client_id)
        ).scalar_one_or_none()
        if stored is not None:
            if stored.thread_id != thread.id:
                raise Invalid(
                    _("Some fields are not valid."),
                    {"client_id": [_("This identifier was already used in another thread.")]},
                )
            return Posted(stored, created=False)
    if thread.locked or closed_by_hidden_initiative(thread):
        raise Locked(_("This thread is locked: no new messages."))
    reply_to_id = None
    if reply_to is not None:
        if not isinstance(reply_to, int) or isinstance(reply_to, bool):
            raise Invalid(
                _("Some fields are not valid."), {"reply_to": [_("An integer is expected.")]}
            )
        parent = db.session.get(Message, reply_to)
        if parent is None or parent.thread_id != thread.id:
            raise Invalid(
                _("Some fields are not valid."),
                {"reply_to": [_("This message is not in this thread.")]},
            )
        reply_to_id = parent.id
    _check_rate(author)
    now = utcnow()
    # One atomic statement: the row lock makes concurrent senders take turns.
    seq = db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(last_seq=Thread.last_seq + 1, last_message_at=now)
        .returning(Thread.last_seq)
    ).scalar_one()
    message = Message(
        thread_id=thread.id,
        seq=seq,
        author_id=author.id,
        client_id=client_id,
        body=text,
        body_html=render_markdown(text),
        reply_to_id=reply_to_id,
        created_at=now,
    )
    db.session.add(message)
    db.session.flush()
    _record_mentions(message)
    message_posted.send(message)
    db.session.refresh(thread)
    mark_read(author, thread, seq)
    return Posted(message, created=True)


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


def _record_mentions(message: Message) -> None:
    candidates = _mention_candidates(message.body)
    keys = {key for options in candidates for key in options}
    if not keys:
        return
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
    for member_id in mentioned:
        # A mention reaches only whoever may read the thread: nothing (no title, no excerpt)
        # leaves a thread towards a non-member.
        named = db.session.get(Member, member_id)
        if named is None or not thread_is_readable(named, message.thread):
            continue
        db.session.add(MessageMention(message_id=message.id, member_id=member_id))
    db.session.flush()


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
    if not isinstance(reason, str) or not reason.strip():
        raise Invalid(_("Some fields are not valid."), {"reason": [_("Give a reason.")]})
    if len(reason) > MAX_REASON_LENGTH:
        raise Invalid(
            _("Some fields are not valid."),
            {"reason": [_("At most %(count)d characters.", count=MAX_REASON_LENGTH)]},
        )
    return reason.strip()


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


def last_read_seq(member: Member | None, thread: Thread) -> int:
    """The last `seq` the member has read in the thread (0 if never)."""
    if member is None:
        return 0
    value = db.session.execute(
        select(ThreadRead.last_read_seq).where(
            ThreadRead.thread_id == thread.id, ThreadRead.member_id == member.id
        )
    ).scalar_one_or_none()
    return value or 0


def mark_read(member: Member, thread: Thread, seq: int) -> None:
    """Move the member's unread marker forward to `seq` (never back)."""
    require(can_read_thread(member, thread), member)
    read = db.session.execute(
        select(ThreadRead).where(
            ThreadRead.thread_id == thread.id, ThreadRead.member_id == member.id
        )
    ).scalar_one_or_none()
    if read is None:
        db.session.add(ThreadRead(thread_id=thread.id, member_id=member.id, last_read_seq=seq))
    elif seq > read.last_read_seq:
        read.last_read_seq = seq
        read.updated_at = utcnow()
    db.session.flush()


def unread_counts(member: Member | None, threads: list[Thread]) -> dict[int, int]:
    """Unread messages per thread id for the member (one query)."""
    if member is None or not threads:
        return {}
    reads = dict(
        db.session.execute(
            select(ThreadRead.thread_id, func.max(ThreadRead.last_read_seq))
            .where(
                ThreadRead.member_id == member.id, ThreadRead.thread_id.in_([t.id for t in threads])
            )
            .group_by(ThreadRead.thread_id)
        ).all()
    )
    return {t.id: max(0, t.last_seq - reads.get(t.id, 0)) for t in threads}
