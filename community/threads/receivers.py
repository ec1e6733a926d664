"""The threads domain reacts to facts: replies and mentions are told (`core.notify`); narrowed
rights reach live sockets."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community.communities.models import Community
from community.communities.signals import access_narrowed, community_created
from community.core.notify import notify, register_kind
from community.extensions import db
from community.members.models import Member
from community.threads import services
from community.threads.models import Message, MessageMention
from community.threads.queries import thread_is_readable
from community.threads.readers import narrowed
from community.threads.reading import thread_path
from community.threads.signals import message_posted

# Who, where, never what was said (`tell_replied_and_mentioned`); pushed with a neutral title
# (notifications/push.py), as the thread's title is not for a lock screen.
register_kind("reply", _l("Replies to you"))
register_kind("mention", _l("Mentions of you"))


@message_posted.connect
def tell_replied_and_mentioned(message: Message, mentioned: list[int] | None = None) -> None:
    """A reply tells the author of the message answered; a mention tells who was named.

    Who, what and where — never the message's text: a notification is stored, mailed and
    exported, and would keep a copy of a message a moderator hides later (the text stays
    behind the visibility layer, on the thread page the link opens). Only a member who may
    read the thread is told (`queries.thread_is_readable`; mentions are recorded only for
    them). `mentioned` (the ids `post_message` recorded) spares the query; a message that
    answers nobody and names nobody costs nothing here."""
    if message.reply_to_id is None and mentioned is not None and not mentioned:
        return
    author = message.author
    thread = message.thread
    # At her first unread message, resolved when she opens it: the reply and what came before
    # it, in order (an anchor on this message would skip those, and miss it once it is no
    # longer among the latest).
    url = thread_path(thread.id, unread=True)
    who = author.display_name if author is not None else ""
    told: set[int] = set()
    if message.reply_to_id is not None:
        parent = db.session.get(Message, message.reply_to_id)
        replied = parent.author if parent is not None and not parent.deleted else None
        if replied is not None and thread_is_readable(replied, thread):
            text = _l("%(who)s replied to you in “%(thread)s”", who=who, thread=thread.title)
            notify(replied, "reply", text, url, actor=author, message_id=message.id)
            told.add(replied.id)  # nobody is told of their own act: no mention either
    if mentioned is not None and not mentioned:
        return
    named = db.session.execute(
        select(Member)
        .join(MessageMention, MessageMention.member_id == Member.id)
        .where(MessageMention.message_id == message.id)
    ).scalars()
    for member in named:
        if member.id not in told and thread_is_readable(member, thread):
            text = _l("%(who)s mentioned you in “%(thread)s”", who=who, thread=thread.title)
            notify(member, "mention", text, url, actor=author, message_id=message.id)


@access_narrowed.connect
def _take_sockets_out_of_rooms(
    community: Community, member: Member | None = None, **_: Any
) -> None:
    """After commit, sockets leave the rooms of the community's threads (and their moderators'
    rooms), in every process: the member's sockets, or everyone's when the community turned
    on-request (`threads.readers`, which also sees such changes by itself)."""
    narrowed(community=community.id, member=member.id if member is not None else None)


@community_created.connect
def _open_welcome_thread(community: Any, **_kwargs: Any) -> None:
    services.welcome_thread(community)
