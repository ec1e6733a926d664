"""Posting a message, once for the three doors (socket `message:send`, `POST
/api/v1/threads/<id>/messages`, the thread page's form).

The thread's write turn is held from before the transaction until its broadcast is out
(`threads.realtime.thread_sequence`), the transaction starts as a writer (`begin_write`), the
acting member is loaded inside it, the service authorises and stores, the broadcast is queued
for after commit, and the transaction commits once — or rolls back whole on any error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from community.core.handlers import transaction
from community.core.permissions import require
from community.members.models import Member
from community.moderation.suspensions import posting_refusal
from community.threads import services
from community.threads.models import Thread
from community.threads.permissions import can_post_in_thread
from community.threads.realtime import begin_write, broadcast_new, thread_sequence
from community.threads.schemas import message_payload


def send_message(
    actor: Callable[[], Member | None],
    thread_id: int,
    body: object,
    client_id: object = None,
    reply_to: object = None,
    *,
    load_thread: Callable[[int], Thread] = services.get_thread,
) -> tuple[services.Posted, dict[str, Any]]:
    """Post in thread `thread_id` as `actor()` (called inside the write transaction); returns
    what was posted (or found again by its `client_id`) and its full payload for the sender."""
    with thread_sequence(thread_id), transaction():
        begin_write()
        member = actor()
        thread = load_thread(thread_id)
        require(
            can_post_in_thread(member, thread), member, posting_refusal(member, thread.community)
        )
        assert member is not None
        posted = services.post_message(member, thread, body, client_id, reply_to)
        if posted.created:
            broadcast_new(posted.message)
        payload = message_payload(posted.message, reveal=True)
    return posted, payload
