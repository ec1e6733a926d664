"""How far each member has read each thread: ONE marker, moved forward by every door.

The marker (`ThreadRead.last_read_seq`) moves forward, never back, and never past the thread's
latest message:

- on the thread page (everything it shows is read: `threads.views.show`);
- on the socket, `thread:join` (what it returns, when the page is visible) and `thread:read`
  (the messages that arrived live while the page was visible: `thread.js` says so, at most
  every few seconds, with the highest `seq` it showed);
- when the member posts (`posting.store_message`, in the statement of the message's turn).

Every unread count (the home page, a community's page, its list of topics) is computed from it
by `unread_counts` (a message a moderator hid is no news; the discussions of initiatives and
rencontres she wrote in by `discussions_taken_part_in`, same rule), and every link to a thread
with something unread opens it at its first unread message (`thread_path`, the page's
`#unread`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import load_only, raiseload

from community.communities.gardening import gardened_ids
from community.communities.models import GardenerMandate, Membership
from community.core.models import utcnow
from community.core.permissions import require
from community.core.urls import site_path
from community.extensions import db
from community.members.models import Member
from community.threads.models import Message, Thread, ThreadRead
from community.threads.permissions import can_read_thread
from community.threads.queries import readable_threads
from community.threads.signals import thread_read

# The thread page opens on at most this many messages (as many as `thread:join` returns).
MOST_SHOWN = 200
# A page that opens on unread messages shows this many read ones above the first of them.
UNREAD_CONTEXT = 2

_STATEMENTS: dict[str, Any] = {}


def read_statement(dialect: str) -> Any:
    """The marker moved to `last_read_seq` in one statement (an upsert that never goes back:
    two doors moving it at once cannot meet in the unique constraint)."""
    statement = _STATEMENTS.get(dialect)
    if statement is None:
        table = ThreadRead.__table__
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        base = insert(table)
        statement = base.on_conflict_do_update(
            index_elements=[table.c.thread_id, table.c.member_id],
            set_={
                "last_read_seq": base.excluded.last_read_seq,
                "updated_at": base.excluded.updated_at,
            },
            where=table.c.last_read_seq < base.excluded.last_read_seq,
        )
        _STATEMENTS[dialect] = statement
    return statement


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
    """Move the member's marker forward to `seq` (never back, never past the thread's latest
    message), if she may read the thread (the visibility layer's rule)."""
    require(can_read_thread(member, thread), member)
    seq = min(seq, thread.last_seq)
    if seq <= 0:
        return
    db.session.execute(
        read_statement(db.session.connection().dialect.name),
        {
            "thread_id": thread.id,
            "member_id": member.id,
            "last_read_seq": seq,
            "updated_at": utcnow(),
        },
    )
    thread_read.send(thread, member=member, seq=seq)


def opening_size(read_seq: int, last_seq: int, page: int) -> int:
    """How many of the latest messages the thread page shows: a page, or enough to begin just
    above the first unread one (at most `MOST_SHOWN`: beyond, it begins with unread ones)."""
    if read_seq <= 0 or last_seq <= read_seq:
        return page
    return max(page, min(MOST_SHOWN, last_seq - read_seq + UNREAD_CONTEXT))


def thread_path(thread_id: int, unread: int | bool = 0) -> str:
    """The link to a thread from a list or a notification: opened at its first unread message
    when it has some (`unread`: the count, or True for news), else as it is.

    The page's `#unread` is its "New messages" marker; once everything is read, the end of the
    thread, by the latest messages and the box to write (a link made while something was
    unread, clicked later, still lands somewhere that makes sense)."""
    if unread:
        return site_path("threads.show", thread_id=thread_id, _anchor="unread")
    return site_path("threads.show", thread_id=thread_id)


def unread_counts(member: Member | None, threads: list[Thread]) -> dict[int, int]:
    """Unread messages per thread id, for the threads of the communities `member` belongs to
    (an active member or a gardener): before she joins, nothing is "unread" for her."""
    if member is None or not threads:
        return {}
    communities = {t.community_id for t in threads if t.community_id is not None}
    if not communities:
        return {}
    insider = set(
        db.session.execute(
            select(Membership.community_id)
            .where(
                Membership.member_id == member.id,
                Membership.status == "active",
                Membership.community_id.in_(communities),
            )
            .union(gardened_ids(member).where(GardenerMandate.community_id.in_(communities)))
        ).scalars()
    )
    threads = [t for t in threads if t.community_id in insider]
    if not threads:
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
    news = [t.id for t in threads if t.last_seq > reads.get(t.id, 0)]
    counts: dict[int, int] = {}
    if news:
        # The messages after her marker, but those a moderator hid or their author deleted:
        # no news for anyone who reads the list (`Message.is_news`; one grouped query, for
        # the threads with something new only).
        counts = dict(
            db.session.execute(
                select(Message.thread_id, func.count(Message.id))
                .outerjoin(
                    ThreadRead,
                    and_(
                        ThreadRead.thread_id == Message.thread_id,
                        ThreadRead.member_id == member.id,
                    ),
                )
                .where(
                    Message.thread_id.in_(news),
                    Message.is_news,
                    Message.seq > func.coalesce(ThreadRead.last_read_seq, 0),
                )
                .group_by(Message.thread_id)
            ).all()
        )
    return {t.id: counts.get(t.id, 0) for t in threads}


# The kinds of thread that belong to something else than a community's list of topics.
ATTACHED_KINDS = ("initiative", "event")


def discussions_taken_part_in(member: Member, limit: int = 10) -> list[tuple[Thread, int]]:
    """The discussions of initiatives and rencontres `member` wrote in and may still read (the
    visibility layer's rule), the latest active first, each with her unread count (as
    `unread_counts`: after her marker, only `Message.is_news`). One query: the count is a
    subquery, computed only where the thread went past her marker."""
    marker = func.coalesce(ThreadRead.last_read_seq, 0)
    unread = (
        select(func.count(Message.id))
        .where(Message.thread_id == Thread.id, Message.is_news, Message.seq > marker)
        .correlate(Thread, ThreadRead)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Thread, case((Thread.last_seq > marker, unread), else_=0))
        .outerjoin(
            ThreadRead,
            and_(ThreadRead.thread_id == Thread.id, ThreadRead.member_id == member.id),
        )
        .where(
            Thread.kind.in_(ATTACHED_KINDS),
            Thread.id.in_(select(Message.thread_id).where(Message.author_id == member.id)),
            readable_threads(member),
        )
        .options(
            load_only(
                Thread.id, Thread.kind, Thread.title, Thread.last_seq, Thread.last_message_at
            ),
            raiseload("*"),
        )
        .order_by(Thread.last_message_at.desc().nulls_last(), Thread.id.desc())
        .limit(limit)
    ).all()
    return [(thread, int(count or 0)) for thread, count in rows]
