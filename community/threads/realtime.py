"""Live delivery of a thread: ordered broadcasts and per-audience payloads.

Ordering: `seq` is allocated under the thread's row lock, but the broadcast happens after
commit, outside it. Two senders could commit seq 5 then 6 and broadcast 6 first. So every write
to a thread runs inside `thread_sequence(thread_id)`, which holds a lock from before the
transaction until its broadcasts are out: a process lock, plus a Redis lock when several
processes share `REDIS_URL`. Redis then hands the publishes to every process in order.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from flask import current_app

from community.core.database import give_back_write
from community.core.realtime import emit_after_commit, member_room, thread_room
from community.core.redis import degraded, recovered, redis_client
from community.extensions import db
from community.threads.models import Message
from community.threads.schemas import message_payload

_LOCKS = [threading.Lock() for _ in range(64)]


def moderators_room(thread_id: int) -> str:
    """Sockets of the thread's moderators: they receive hidden bodies."""
    return f"thread:{thread_id}:moderators"


@contextmanager
def thread_sequence(thread_id: int) -> Iterator[None]:
    """Hold the thread's write turn from before the transaction until its broadcasts are sent."""
    with process_turn(thread_id), shared_turn(thread_id):
        yield


@contextmanager
def process_turn(thread_id: int) -> Iterator[None]:
    """The first half of the write turn: this process's lock for the thread. The turn comes
    before the database: a request's write lock that holds nothing yet is given back before
    the wait (`give_back_write`)."""
    give_back_write()
    with _LOCKS[thread_id % len(_LOCKS)]:
        yield


@contextmanager
def shared_turn(thread_id: int) -> Iterator[None]:
    """The second half, inside `process_turn`: the Redis lock shared by the processes of
    `REDIS_URL` (nothing more with one process)."""
    client = redis_client()
    if client is None:
        yield
        return
    # redis-py polls a held lock; its default (every 100 ms) made each contended send
    # wait up to 100 ms for a turn of a few milliseconds.
    shared = client.lock(
        f"terreau:thread-seq:{thread_id}", timeout=30, blocking_timeout=30, sleep=0.005
    )
    try:
        acquired = shared.acquire()
    except redis.RedisError as error:
        # Redis down: the message is still stored with its gapless seq (the row lock
        # does that) and acknowledged; only the order of broadcasts across processes is
        # not held, and other processes' clients catch up with `after_seq`.
        degraded("thread broadcast order across processes", error)
        yield
        return
    recovered("thread broadcast order across processes")
    try:
        yield
    finally:
        if acquired:
            try:
                shared.release()
            except Exception:
                current_app.logger.warning("thread %s sequence lock expired", thread_id)


def relaxed_commit() -> None:
    """PostgreSQL: this transaction commits without waiting for its WAL flush
    (`MESSAGES_SYNCHRONOUS_COMMIT = false`); nothing on SQLite."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL synchronous_commit = off")


def broadcast_new(message: Message) -> None:
    """`message:new` to the thread's room, once committed."""
    emit_after_commit("message:new", message_payload(message), thread_room(message.thread_id))


def broadcast_updated(message: Message) -> None:
    """`message:updated` to the room; a hidden body goes again, in full, to those who may see it.

    Sockets of the author and of the moderators receive the redacted payload then the full
    one (same order on every process): the last one wins on the client.
    """
    emit_after_commit("message:updated", message_payload(message), thread_room(message.thread_id))
    if message.hidden and not message.deleted:
        full = message_payload(message, reveal=True)
        emit_after_commit("message:updated", full, moderators_room(message.thread_id))
        if message.author_id is not None:
            emit_after_commit("message:updated", full, member_room(message.author_id))
