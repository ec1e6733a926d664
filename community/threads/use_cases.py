"""Posting a message, once for the three doors (socket `message:send`, `POST
/api/v1/threads/<id>/messages`, the thread page's form).

Before the thread's write turn: the author is authorised (`authorise_post`, or the socket's
posting grant, `threads.live`), the message checked and rendered (`draft_message`). Inside the
turn (`threads.realtime.thread_sequence`), one write transaction (`begin_write`) holds only
the `seq` allocation, the insert and the commit; the broadcast, its payload built once and
also returned to the sender, leaves after the commit and before the turn ends, so that every
process sends a thread's messages in `seq` order. Any error rolls the transaction back whole.

**Group commit.** A message waits for its thread's turn in a queue of the process. Whoever
gets the turn writes every message waiting for that thread (up to `BATCH_LIMIT`), in their
order of arrival, in one transaction: one commit — one wait for the disk — for all of them;
each message still has its own `seq` statement (with its own checks: the thread open, its
`client_id` new, its socket's credential), insert and read marker. The senders whose message
was written by another find it done when their turn comes. A message the `seq` statement
refuses is skipped (nothing of it was written); should the transaction fail (a `client_id`
stored meanwhile in another thread, a database error), nothing of it is kept and each message
of the batch is written again alone, as if there had been no batch, by its own sender.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy.exc import IntegrityError

from community.core.handlers import transaction
from community.core.realtime import emit_after_commit, thread_room
from community.extensions import db
from community.members.models import Member
from community.threads import posting, services
from community.threads.models import Thread
from community.threads.realtime import begin_write, process_turn, relaxed_commit, shared_turn
from community.threads.schemas import message_payload, new_message_payload

BATCH_LIMIT = 64  # messages written in one transaction at most


@dataclass(eq=False)
class _Waiting:
    """A drafted message waiting for its thread's turn, then what became of it."""

    draft: posting.Draft
    still: posting.Condition | None
    state: str = "waiting"  # then "stored", "refused" (nothing written) or "alone" (again)
    payload: dict[str, Any] | None = None


_QUEUE_GUARD = threading.Lock()
_QUEUES: dict[int, list[_Waiting]] = {}


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
) -> tuple[bool, dict[str, Any]]:
    """Post in thread `thread_id` as `actor()`; returns whether it was stored now (false for
    a message found again by its `client_id`) and its full payload for the sender.

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
    mine = _Waiting(draft, still() if still is not None else None)
    with _QUEUE_GUARD:
        _QUEUES.setdefault(thread_id, []).append(mine)
    try:
        with process_turn(thread_id):
            if mine.state == "waiting":  # nobody wrote it yet: write what waits, mine first
                with _QUEUE_GUARD:
                    queue = _QUEUES.pop(thread_id, [])
                    if mine in queue:  # else an earlier batch failed before writing it
                        queue.remove(mine)
                    queue.insert(0, mine)
                    waiting, rest = queue[:BATCH_LIMIT], queue[BATCH_LIMIT:]
                    if rest:
                        _QUEUES[thread_id] = rest
                with shared_turn(thread_id):
                    _write(thread_id, waiting, alone=len(waiting) == 1)
            if mine.state == "alone":  # its batch failed: written again, alone
                with shared_turn(thread_id):
                    _write(thread_id, [mine], alone=True)
    except IntegrityError:
        # The same client_id stored meanwhile in another thread's turn: refused as a resend
        # in another thread; anything else is raised.
        again = posting.resent(author_id, thread_id, client_id)
        if again is None:
            raise
        return False, message_payload(again.message, reveal=True)
    if mine.state == "refused":  # nothing written: say why, or give the stored one
        found = _refused(actor, thread_id, load_thread, author_id, client_id)
        return False, message_payload(found.message, reveal=True)
    assert mine.payload is not None
    return True, mine.payload


def _write(thread_id: int, batch: list[_Waiting], *, alone: bool) -> None:
    """Store `batch` in one transaction, then say what became of each message. A failure
    raises when the batch is one message; otherwise each one is to be written again alone."""
    outcomes: list[tuple[str, dict[str, Any] | None]] = []
    known = set(db.session.identity_map.keys())
    try:
        with transaction():
            begin_write()
            if not current_app.config["MESSAGES_SYNCHRONOUS_COMMIT"]:
                relaxed_commit()
            for waiting in batch:
                try:
                    posted = posting.store_message(waiting.draft, waiting.still)
                except posting.Refused:
                    outcomes.append(("refused", None))
                    continue
                payload = new_message_payload(posted.message, posted.author_name)
                emit_after_commit("message:new", payload, thread_room(thread_id))
                outcomes.append(("stored", payload))
    except Exception:
        # The messages of the rolled-back transaction leave the session: their ids may come
        # again (SQLite gives a rolled-back rowid again), and a message written again alone
        # would meet its own ghost.
        for key in set(db.session.identity_map.keys()) - known:
            db.session.expunge(db.session.identity_map[key])
        if alone:
            raise
        for waiting in batch:
            waiting.state = "alone"
        return
    for waiting, (state, given) in zip(batch, outcomes, strict=True):
        waiting.state, waiting.payload = state, given


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
