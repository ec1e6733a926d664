"""What a member may read in threads: ONE rule, as an SQL filter and as loaders.

Every door goes through here — pages, API, sockets, report targets, mentions, notifications'
excerpts, exports and search:

- `readable_threads(member)`: the filter on `Thread` (lists, search, `can_read_thread`);
- `readable_message(member, id)`: the message, or None exactly as for an id that does not
  exist (deleted, in a thread the member may not read);
- `readable_body(member, message)` / `readable_excerpt(...)`: its text, or None when hidden
  from this member (a hidden body reaches its author and the thread's moderators only).

A thread is readable by anyone when it belongs to no community or to an open one; by its
active members, its gardeners and staff when its community is on request. The author of an
initiative always reads its thread (she may have proposed it in a community she has not
joined). The thread of a hidden initiative is readable only by the initiative's author and its
moderators (and takes no new message: `closed_by_hidden_initiative`).

Whatever changes one of the columns this rule reads takes the sockets that may no longer read
out of the thread's rooms by itself (`threads.readers`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, exists, false, or_, select, true
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.elements import ColumnElement

from community.communities.memberships import community_ids_of
from community.communities.models import Community
from community.communities.permissions import (
    can_moderate,
    in_good_standing,
    moderated_community_ids,
)
from community.core.cache import request_memo
from community.core.content import excerpt
from community.core.edge import as_id
from community.core.permissions import is_authenticated, is_staff
from community.extensions import db
from community.initiatives.models import Initiative
from community.members.models import Member
from community.threads.models import Message, Thread


def community_threads(community: Community) -> Select[Any]:
    """A community's topics: pinned first, then the most recently active."""
    return (
        select(Thread)
        .where(Thread.community_id == community.id, Thread.kind == "community")
        .order_by(
            Thread.pinned.desc(), Thread.last_message_at.desc().nulls_last(), Thread.id.desc()
        )
    )


def _own_initiative(member: Member) -> Any:
    """The thread of an initiative `member` proposed."""
    return exists().where(Initiative.thread_id == Thread.id, Initiative.author_id == member.id)


def _hidden_initiative(*extra: Any) -> Any:
    return exists().where(
        Initiative.thread_id == Thread.id, Initiative.hidden_at.is_not(None), *extra
    )


def open_for_messages() -> ColumnElement[bool]:
    """The filter on `Thread` of those whose initiative is not hidden (a hidden initiative's
    thread takes no new message); the thread's own `locked` is apart."""
    return or_(Thread.kind != "initiative", ~_hidden_initiative())


def readable_threads(member: Member | None) -> ColumnElement[bool]:
    """The filter on `Thread` of what `member` (None: a visitor) may read."""
    if is_staff(member):
        return true()
    public = or_(
        Thread.community_id.is_(None),
        Thread.community_id.in_(select(Community.id).where(Community.visibility == "open")),
    )
    if not is_authenticated(member):
        return and_(public, ~_hidden_initiative())
    assert member is not None
    moderated = moderated_community_ids(member)
    insider = Thread.community_id.in_(community_ids_of(member))
    own = _own_initiative(member)
    sees_hidden = or_(Thread.community_id.in_(moderated) if moderated else false(), own)
    return and_(or_(public, insider, own), or_(~_hidden_initiative(), sees_hidden))


def thread_is_readable(member: Member | None, thread: Thread) -> bool:
    """`readable_threads` for one thread (one query, once per request: reading and posting
    both ask)."""
    return bool(
        request_memo(
            ("thread_readable", getattr(member, "id", None), thread.id),
            lambda: db.session.execute(
                select(exists().where(Thread.id == thread.id, readable_threads(member)))
            ).scalar(),
        )
    )


def initiative_thread(initiative: Initiative) -> Thread | None:
    """The thread of `initiative`, with its community (None for an initiative without one)."""
    if initiative.thread_id is None:
        return None
    return db.session.get(Thread, initiative.thread_id, options=[joinedload(Thread.community)])


def initiative_of(thread: Thread) -> Any:
    """The initiative whose discussion `thread` is (its id and title), or None: the thread's
    page leads back to it. Whoever reads the thread reads the initiative (a hidden
    initiative's thread is read by its author and moderators only)."""
    if thread.kind != "initiative":
        return None
    return db.session.execute(
        select(Initiative.id, Initiative.title).where(Initiative.thread_id == thread.id)
    ).first()


def is_initiative_author(member: Member | None, thread: Thread) -> bool:
    """`member` proposed the initiative of this thread: she reads it and writes in it, whatever
    her membership of its community (once per request)."""
    if thread.kind != "initiative" or not is_authenticated(member):
        return False
    assert member is not None
    return bool(
        request_memo(
            ("initiative_author", member.id, thread.id),
            lambda: db.session.execute(
                select(
                    exists().where(
                        Initiative.thread_id == thread.id, Initiative.author_id == member.id
                    )
                )
            ).scalar(),
        )
    )


def closed_by_hidden_initiative(thread: Thread) -> bool:
    """The thread of a hidden initiative: hidden and closed with it, until it is restored."""
    if thread.kind != "initiative":
        return False
    return bool(
        db.session.execute(select(_hidden_initiative().where(Thread.id == thread.id))).scalar()
    )


def readable_message(member: Member | None, message_id: object) -> Message | None:
    """The message if `member` may read where it is; None as for an id that does not exist."""
    ident = as_id(message_id)
    message = db.session.get(Message, ident) if ident is not None else None
    if message is None or message.deleted:
        return None
    if not thread_is_readable(member, message.thread):
        return None
    return message


def moderates_thread(member: Member | None, thread: Thread) -> bool:
    """The thread's moderators: its community's (`can_moderate`), staff for a thread of none.
    `permissions.can_moderate_thread` is this rule."""
    if thread.community is None:
        return is_staff(member) and in_good_standing(member)
    return can_moderate(member, thread.community)


def may_see_body(member: Member | None, message: Message) -> bool:
    """A hidden body reaches only its author and the thread's moderators
    (`permissions.can_see_hidden` is this rule)."""
    if not message.hidden:
        return True
    author = is_authenticated(member) and message.author_id == member.id  # type: ignore[union-attr]
    return author or moderates_thread(member, message.thread)


def readable_body_ids(member: Member | None, message_ids: list[int]) -> set[int]:
    """Those of `message_ids` whose text `member` may read (`readable_body` for a list): one
    query, then the moderators' rule once per thread holding a body hidden from others."""
    if not message_ids:
        return set()
    rows = db.session.execute(
        select(Message)
        .join(Thread, Message.thread_id == Thread.id)
        .where(Message.id.in_(message_ids), Message.deleted_at.is_(None), readable_threads(member))
        .options(joinedload(Message.thread).joinedload(Thread.community))
    ).scalars()
    reader = getattr(member, "id", None) if is_authenticated(member) else None
    moderates: dict[int, bool] = {}
    readable = set()
    for message in rows:
        # `may_see_body`, its moderators' part asked once per thread.
        if message.hidden and message.author_id != reader:
            if message.thread_id not in moderates:
                moderates[message.thread_id] = moderates_thread(member, message.thread)
            if not moderates[message.thread_id]:
                continue
        readable.add(message.id)
    return readable


def readable_thread_titles(member: Member | None, thread_ids: list[int]) -> dict[int, str]:
    """{id: title} of those of `thread_ids` that `member` may read, in one query."""
    rows = db.session.execute(
        select(Thread.id, Thread.title).where(Thread.id.in_(thread_ids), readable_threads(member))
    )
    return {thread_id: title for thread_id, title in rows}


def readable_body(member: Member | None, message_id: object) -> Message | None:
    """The message only if `member` may read its text (not hidden from them)."""
    message = readable_message(member, message_id)
    if message is None or not may_see_body(member, message):
        return None
    return message


def readable_excerpt(member: Member | None, message: Message, length: int = 80) -> str | None:
    """The only way an excerpt of a message leaves: None when `member` may not read it."""
    if readable_body(member, message.id) is None:
        return None
    return excerpt(message.body, length)
