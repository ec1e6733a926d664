"""Content of other domains as report targets: how to load, hide and restore it.

The initiatives and threads domains own these objects; moderation reads them and sets their
`hidden_*` fields, then lets their own real-time code tell connected clients.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from community.core.content import plain_text
from community.core.errors import Invalid
from community.core.models import utcnow
from community.core.urls import site_path
from community.extensions import db
from community.initiatives.models import Initiative
from community.members.models import Member
from community.moderation.targets import Target, TargetType, register
from community.threads.models import Message, Thread


def _already(hidden: bool) -> Invalid:
    message = _("This is already hidden.") if hidden else _("This is not hidden.")
    return Invalid(message, {"action": [_("Not possible here.")]})


# --- initiatives ------------------------------------------------------------------------


def _initiative_target(initiative: Initiative) -> Target:
    return Target(
        obj=initiative,
        community=initiative.community,
        author=initiative.author,
        label=initiative.title,
        url=site_path("initiatives.show", initiative_id=initiative.id),
        hidden=initiative.hidden_at is not None,
    )


def _load_initiative(initiative_id: int) -> Target | None:
    initiative = db.session.get(Initiative, initiative_id)
    return _initiative_target(initiative) if initiative is not None else None


def _load_initiatives(ids: list[int]) -> dict[int, Target]:
    rows = db.session.execute(
        select(Initiative)
        .where(Initiative.id.in_(ids))
        .options(selectinload(Initiative.community), selectinload(Initiative.author))
    ).scalars()
    return {i.id: _initiative_target(i) for i in rows}


def _hide_initiative(actor: Member, initiative: Initiative, reason: str) -> None:
    if initiative.hidden_at is not None:
        raise _already(True)
    initiative.hidden_at = utcnow()
    initiative.hidden_reason = reason
    db.session.flush()


def _restore_initiative(actor: Member, initiative: Initiative, reason: str) -> None:
    if initiative.hidden_at is None:
        raise _already(False)
    initiative.hidden_at = None
    initiative.hidden_reason = ""
    db.session.flush()


register(
    "initiative",
    TargetType(
        load=_load_initiative,
        load_many=_load_initiatives,
        hide=_hide_initiative,
        restore=_restore_initiative,
        noun=_l("your initiative"),
    ),
)


# --- messages ---------------------------------------------------------------------------


def _excerpt(text: str, length: int = 90) -> str:
    clean = " ".join(plain_text(text or "").split())
    return clean if len(clean) <= length else clean[: length - 1].rstrip() + "…"


def _message_target(message: Message) -> Target:
    thread = message.thread
    return Target(
        obj=message,
        community=thread.community,
        author=message.author,
        label=f"« {_excerpt(message.body)} » — {thread.title}",
        url=site_path("threads.show", thread_id=thread.id, _anchor=f"message-{message.id}"),
        hidden=message.hidden,
    )


def _load_message(message_id: int) -> Target | None:
    message = db.session.get(Message, message_id)
    if message is None or message.deleted:
        return None
    return _message_target(message)


def _load_messages(ids: list[int]) -> dict[int, Target]:
    rows = db.session.execute(
        select(Message)
        .where(Message.id.in_(ids), Message.deleted_at.is_(None))
        .options(selectinload(Message.thread).selectinload(Thread.community))
    ).scalars()
    return {m.id: _message_target(m) for m in rows}


def _hide_message(actor: Member, message: Message, reason: str) -> None:
    from community.threads.realtime import broadcast_updated

    if message.hidden:
        raise _already(True)
    message.hidden_at = utcnow()
    message.hidden_by_id = actor.id
    message.hidden_reason = reason
    db.session.flush()
    broadcast_updated(message)


def _restore_message(actor: Member, message: Message, reason: str) -> None:
    from community.threads.realtime import broadcast_updated

    if not message.hidden:
        raise _already(False)
    message.hidden_at = None
    message.hidden_by_id = None
    message.hidden_reason = ""
    db.session.flush()
    broadcast_updated(message)


register(
    "message",
    TargetType(
        load=_load_message,
        load_many=_load_messages,
        hide=_hide_message,
        restore=_restore_message,
        noun=_l("your message"),
    ),
)


def tell_message_author(moderator: Member, message: Message, action: str, reason: str) -> None:
    """The threads domain calls this after hiding or restoring a message: its author is told
    what was done and why (moderation never happens silently)."""
    from community.moderation.services import tell_member

    tell_member(
        moderator,
        message.author,
        action,
        reason,
        noun=_l("your message"),
        reason_code="off_charter",
        url=_message_target(message).url,
        community=message.thread.community,
        contest_target=("message", message.id),
    )
