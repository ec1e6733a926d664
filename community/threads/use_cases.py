"""Posting a message, once for the three doors (socket `message:send`, `POST
/api/v1/threads/<id>/messages`, the thread page's form).

Before the thread's write turn: the author is authorised (`authorise_post`, or the socket's
posting grant, `threads.live`), the message checked and rendered (`draft_message`). Inside the
turn (`threads.realtime.thread_sequence`), one write transaction (`begin_write`) holds only
the `seq` allocation, the insert and the commit; the broadcast, its payload built once and
also returned to the sender, leaves after the commit and before the turn ends, so that every
process sends a thread's messages in `seq` order. Any error rolls the transaction back whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy.exc import IntegrityError

from community.core.handlers import transaction
from community.core.realtime import emit_after_commit, thread_room
from community.members.models import Member
from community.threads import posting, services
from community.threads.models import Thread
from community.threads.realtime import begin_write, relaxed_commit, thread_sequence
from community.threads.schemas import message_payload, new_message_payload


def send_message(
    actor: Callable[[], Member | None],
    thread_id: int,
    body: object,
    client_id: object = None,
    reply_to: object = None,
    *,
    load_thread: Callable[[Member | None, int], Thread] = services.get_thread,
    author: Callable[[int], int] | None = None,
    still: Callable[[], posting.Condition] | None = None,
) -> tuple[posting.Posted, dict[str, Any]]:
    """Post in thread `thread_id` as `actor()`; returns what was posted (or found again by its
    `client_id`) and its full payload for the sender.

    `author(thread_id)` (a socket) gives the author's id from a posting grant, checking the
    right itself when it has none; `still()` a condition the `seq` statement checks with the
    thread's (the socket's credential). Without them, `actor()` and `load_thread(member, id)`
    (the thread if she may read it, else NotFound) are loaded and authorised here."""
    if author is None:
        member = actor()
        thread = load_thread(member, thread_id)
        posting.authorise_post(member, thread)
        assert member is not None
        author_id = member.id
    else:
        author_id = author(thread_id)
    draft = posting.draft_message(author_id, thread_id, body, client_id, reply_to)
    try:
        with thread_sequence(thread_id), transaction():
            begin_write()
            if not current_app.config["MESSAGES_SYNCHRONOUS_COMMIT"]:
                relaxed_commit()
            try:
                posted = posting.store_message(draft, still() if still is not None else None)
            except posting.Refused:  # nothing written: say why, or give the stored one
                found = _refused(actor, thread_id, load_thread, author_id, client_id)
                return found, message_payload(found.message, reveal=True)
            payload = new_message_payload(posted.message, posted.author_name)
            emit_after_commit("message:new", payload, thread_room(thread_id))
        return posted, payload
    except IntegrityError:
        # The same client_id stored meanwhile in another thread's turn: refused as a resend
        # in another thread; anything else is raised.
        again = posting.resent(author_id, thread_id, client_id)
        if again is None:
            raise
        return again, message_payload(again.message, reveal=True)


def _refused(
    actor: Callable[[], Member | None],
    thread_id: int,
    load_thread: Callable[[Member | None, int], Thread],
    author_id: int,
    client_id: object,
) -> posting.Posted:
    """Why the `seq` statement took no message, in the order the checks had: the credential
    (a socket's `actor()` raises once it has ended), a resend of a stored message (returned),
    the thread gone or closed to the author."""
    member = actor()
    found = posting.resent(author_id, thread_id, client_id)
    if found is not None:
        return found
    thread = load_thread(member, thread_id)
    posting.authorise_post(member, thread)
    raise posting.why_refused(thread)
