"""Posting a message, once for the three doors (socket `message:send`, `POST
/api/v1/threads/<id>/messages`, the thread page's form).

Before the thread's write turn: the author is authorised (`authorise_post`, or the socket's
posting grant, `threads.live`), the message checked and rendered (`draft_message`). Inside the
turn (`threads.realtime.thread_sequence`), one write transaction (`begin_write`) holds only
the `seq` allocation, the insert and the commit; the broadcast, its payload built once and
also returned to the sender, leaves after the commit and before the turn ends, so that every
process sends a thread's messages in `seq` order. Any error rolls the transaction back whole.

**Group commit.** A message waits for its thread's turn in a queue of the process, in its
order of arrival. One sender at a time leads a thread's queue: holding the thread's write turn
(`process_turn`, then `shared_turn` across processes), it takes what waits — its own message
first in line, up to `BATCH_LIMIT` — and writes it in one transaction: one commit, one wait for
the disk, for all of them. Each message keeps its own `seq` statement (with its own checks:
the thread open, its `client_id` new, its socket's credential), insert, read marker and
broadcast, in `seq` order; each is marked written as the commit returns, before the
broadcasts leave, and its sender is woken at once with its payload. A message the `seq`
statement refuses is skipped (nothing of it was written). Should the transaction fail (a
`client_id` stored meanwhile in another thread, a database error), nothing of it is kept and
each message is written again alone; one that fails alone takes its error back to its sender.
The leader hands the lead to the next in line once its own message is written, so no sender
waits for more than its own batch's turn; a sender interrupted while it waits leaves the queue,
and a leader interrupted mid-batch puts back what it had not written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy.exc import IntegrityError

from community.core.database import begin_write, give_back_write
from community.core.handlers import transaction
from community.core.realtime import emit_after_commit, thread_room
from community.core.signals import on_commit
from community.extensions import db
from community.members.models import Member
from community.threads import posting, services
from community.threads.models import Thread
from community.threads.realtime import process_turn, relaxed_commit, shared_turn
from community.threads.schemas import message_payload, new_message_payload

BATCH_LIMIT = 64  # messages written in one transaction at most


@dataclass(eq=False)
class _Waiting:
    """A drafted message waiting for its thread's turn, then what became of it."""

    draft: posting.Draft
    still: posting.Condition | None
    state: str = "waiting"  # then "stored", "refused" (nothing written) or "failed"
    payload: dict[str, Any] | None = None
    error: Exception | None = None
    lead: bool = False  # woken to lead the queue, not because it was written
    woken: threading.Event = field(default_factory=threading.Event)


_QUEUE_GUARD = threading.Lock()
_QUEUES: dict[int, list[_Waiting]] = {}  # per thread, in order of arrival
_LEADING: set[int] = set()  # threads whose queue has a leader in this process


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
    try:
        _deliver(thread_id, mine)
        if mine.error is not None:
            raise mine.error
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


def _deliver(thread_id: int, mine: _Waiting) -> None:
    """Queue `mine` and return once it is written, refused or failed: led by this sender, or
    by another who wakes it. Nobody waits in line holding the database (`give_back_write`):
    the leader it waits for may be waiting for it."""
    give_back_write()
    with _QUEUE_GUARD:
        _QUEUES.setdefault(thread_id, []).append(mine)
        leading = thread_id not in _LEADING
        _LEADING.add(thread_id)
    if not leading:
        try:
            mine.woken.wait()
        except BaseException:  # interrupted while it waited: out of the line, unless led now
            with _QUEUE_GUARD:
                queue = _QUEUES.get(thread_id, [])
                if mine in queue:
                    queue.remove(mine)
            if mine.lead:
                _hand_over(thread_id)
            raise
        if not mine.lead:
            return
    try:
        while mine.state == "waiting":
            with process_turn(thread_id), shared_turn(thread_id):
                with _QUEUE_GUARD:  # mine is in it while it waits
                    queue = _QUEUES[thread_id]
                    batch = queue[:BATCH_LIMIT]
                    del queue[:BATCH_LIMIT]
                try:
                    _write(thread_id, batch)
                finally:
                    _settle(thread_id, batch, mine)
    finally:
        _hand_over(thread_id)


def _settle(thread_id: int, batch: list[_Waiting], mine: _Waiting) -> None:
    """After a batch: wake the other senders whose message it wrote (or that failed); put back
    at the head of the line, in order, what an interruption left unwritten — but the leader's
    own, whose sender is interrupted."""
    unwritten = [w for w in batch if w.state == "waiting" and w is not mine]
    if unwritten:
        with _QUEUE_GUARD:
            _QUEUES.setdefault(thread_id, [])[0:0] = unwritten
    for waiting in batch:
        if waiting is not mine and waiting.state != "waiting":
            waiting.woken.set()


def _hand_over(thread_id: int) -> None:
    """The lead goes to the first in line, if anyone waits."""
    with _QUEUE_GUARD:
        queue = _QUEUES.get(thread_id)
        if not queue:
            _QUEUES.pop(thread_id, None)
            _LEADING.discard(thread_id)
            return
        successor = queue[0]
        successor.lead = True
    successor.woken.set()


def _write(thread_id: int, batch: list[_Waiting]) -> None:
    """Write `batch` in one transaction; should it fail, each message again alone."""
    try:
        _store(thread_id, batch)
    except Exception as error:
        if len(batch) == 1:
            batch[0].state, batch[0].error = "failed", error
            return
        for waiting in batch:
            try:
                _store(thread_id, [waiting])
            except Exception as alone:
                waiting.state, waiting.error = "failed", alone


def _store(thread_id: int, batch: list[_Waiting]) -> None:
    """One transaction for `batch`: each message's outcome is set as the commit returns,
    before the broadcasts leave (an interruption after the commit must not have it written
    again); nothing is set, and the session forgets the batch's rows, if it fails."""
    outcomes: list[tuple[str, dict[str, Any] | None]] = []

    def settle() -> None:
        for waiting, (state, payload) in zip(batch, outcomes, strict=True):
            waiting.state, waiting.payload = state, payload

    known = set(db.session.identity_map.keys())
    try:
        with transaction():
            begin_write()
            if not current_app.config["MESSAGES_SYNCHRONOUS_COMMIT"]:
                relaxed_commit()
            on_commit(settle)  # first of the commit's effects
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
        # The rolled-back rows leave the session: their ids may come again (SQLite gives a
        # rolled-back rowid again), and a message written again would meet its own ghost.
        for state in db.session.identity_map.all_states():
            instance = state.obj()  # a weak map: gone if collected meanwhile
            if state.key not in known and instance is not None:
                db.session.expunge(instance)
        raise


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
