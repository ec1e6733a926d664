"""Messages as report targets (`moderation.targets`): loaded here, hidden and restored through
`threads.services` — the same service as the thread page and the sockets."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from community.core.content import excerpt
from community.core.database import begin_write
from community.extensions import db
from community.moderation.targets import (
    Target,
    TargetType,
    already_moderated,
    register,
    register_name,
)
from community.threads import services
from community.threads.models import Message, Thread
from community.threads.queries import readable_body, readable_body_ids, readable_thread_titles
from community.threads.realtime import broadcast_updated, thread_sequence


def _target(message: Message) -> Target:
    thread = message.thread
    return Target(
        obj=message,
        community=thread.community,
        author=message.author,
        label=f"« {excerpt(message.body, 90)} » — {thread.title}",
        url=services.message_url(message),
        hidden=message.hidden,
    )


def _load(message_id: int) -> Target | None:
    message = db.session.get(Message, message_id)
    if message is None or message.deleted:
        return None
    return _target(message)


def _load_many(ids: list[int]) -> dict[int, Target]:
    rows = db.session.execute(
        select(Message)
        .where(Message.id.in_(ids), Message.deleted_at.is_(None))
        .options(selectinload(Message.thread).selectinload(Thread.community))
    ).scalars()
    return {m.id: _target(m) for m in rows}


def _hide(actor: Any, message: Message, reason: str, report: Any) -> None:
    if message.hidden:
        raise already_moderated(True)
    services.hide_message(actor, message, reason, report=report)
    broadcast_updated(message)  # the thread page and sockets broadcast in their handlers


def _restore(actor: Any, message: Message, reason: str, report: Any) -> None:
    if not message.hidden:
        raise already_moderated(False)
    services.restore_message(actor, message, reason, report=report)
    broadcast_updated(message)


@contextmanager
def _write_turn(message_id: int) -> Iterator[None]:
    """A report's answer writes to the message's thread as any other write: in its turn, as a
    writer (README, "ordered broadcasts")."""
    message = db.session.get(Message, message_id)
    if message is None:
        yield
        return
    with thread_sequence(message.thread_id):
        begin_write()
        yield


register(
    "message",
    TargetType(
        load=_load,
        load_many=_load_many,
        hide=_hide,
        restore=_restore,
        noun=_l("your message"),
        # Who may see it through the report form is who may read it (the visibility layer).
        readable=lambda member, message_id: readable_body(member, message_id) is not None,
        readable_many=readable_body_ids,
        snapshot=lambda message: message.body,
        write_turn=_write_turn,
    ),
)

# A thread locked or unlocked is named in the moderation journal by its title, to whoever
# reads it.
register_name("thread", readable_thread_titles)
