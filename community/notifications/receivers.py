"""The notifications domain listens: a domain asks through `core.notify`, this stores and sends."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from community.core.notify import notification_requested
from community.initiatives.models import Initiative
from community.initiatives.signals import initiative_hidden
from community.members.models import Member
from community.notifications import services, triggers  # noqa: F401  (registers its kind)
from community.threads.models import Message, Thread
from community.threads.signals import (
    message_deleted,
    message_hidden,
    message_restored,
    thread_read,
)


@notification_requested.connect
def _on_notification_requested(
    member: Member,
    *,
    kind: str,
    text: Any,
    url: str,
    actor: Member | None = None,
    message_id: int | None = None,
) -> None:
    services.notify(member, kind, text, url, actor=actor, message_id=message_id)


@initiative_hidden.connect
def _forget_the_hidden_initiative(
    initiative: Initiative, *, paths: list[str], **_kwargs: Any
) -> None:
    """A hidden initiative's title leaves every stored notification that links to it (its
    page, its discussion: new statuses, replies, "overdue" notices), for everyone: the list,
    the API, the digests and the export never show it again. Restored, they stay neutral."""
    services.forget_what_was_named(
        paths, _l("This notice was about an initiative that the moderators have hidden since.")
    )


# Web push answers the members' export too (its rows go with the account through `ondelete`).
from community.notifications import push_privacy  # noqa: E402, F401


@thread_read.connect
def _read_in_the_thread(thread: Thread, *, member: Member, seq: int) -> None:
    """News about a message she has now read in its thread (a reply, a mention) is read: the
    bell no longer counts what the thread page showed her, and her open bells (this page's,
    her other tabs') hear the new count once it commits."""
    if services.mark_read_up_to(member, thread.id, seq):
        services.bells_after_commit([member.id])


@message_hidden.connect
@message_restored.connect
@message_deleted.connect
def _recount_the_bells(message: Message, **_kwargs: Any) -> None:
    """A message hidden, shown again or deleted leaves or re-enters the count of those told
    about it (`services._unread`): their open bells hear the new count once it commits."""
    services.bells_after_commit(services.about_message(message.id))
