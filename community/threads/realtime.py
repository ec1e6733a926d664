"""Live delivery of a thread: ordered broadcasts, per-audience payloads, and who is connected.

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
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy.engine import Engine

from community.core.realtime import emit_after_commit, member_room, thread_room
from community.extensions import db, socketio
from community.threads.models import Message
from community.threads.schemas import message_payload

_LOCKS = [threading.Lock() for _ in range(64)]
_REDIS: dict[str, Any] = {}
# sid → member id, for the sockets of this process (the source of truth for `disconnect_member`
# across processes is the Redis set below when REDIS_URL is set).
_LOCAL_SOCKETS: dict[str, SocketAuth] = {}
_LOCAL_GUARD = threading.Lock()


@dataclass(frozen=True)
class SocketAuth:
    """Who opened a socket, and with what: the session's nonce or an API token's id."""

    member_id: int
    session_nonce: str | None = None
    token_id: int | None = None


def moderators_room(thread_id: int) -> str:
    """Sockets of the thread's moderators: they receive hidden bodies."""
    return f"thread:{thread_id}:moderators"


def _redis() -> Any:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = _REDIS.get(url)
    if client is None:
        import redis

        client = _REDIS[url] = redis.Redis.from_url(url)
    return client


@contextmanager
def thread_sequence(thread_id: int) -> Iterator[None]:
    """Hold the thread's write turn from before the transaction until its broadcasts are sent."""
    lock = _LOCKS[thread_id % len(_LOCKS)]
    with lock:
        client = _redis()
        if client is None:
            yield
            return
        shared = client.lock(f"terreau:thread-seq:{thread_id}", timeout=30, blocking_timeout=30)
        acquired = shared.acquire()
        try:
            yield
        finally:
            if acquired:
                try:
                    shared.release()
                except Exception:
                    current_app.logger.warning("thread %s sequence lock expired", thread_id)


def begin_write() -> None:
    """Start the session's transaction as a writer: on SQLite, BEGIN IMMEDIATE.

    A deferred SQLite transaction that reads, then writes, fails at once under WAL when another
    writer committed in between; taking the write lock up front makes writers queue instead.
    """
    session = db.session()
    bind = session.get_bind()
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        return  # PostgreSQL locks rows; a test's bound connection has no concurrency
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            return
        session.rollback()  # only reads so far (loading the member): start again as a writer
    session.connection(execution_options={"sqlite_immediate": True})


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


# --- who is connected ---------------------------------------------------------------------


def register_socket(sid: str, auth: SocketAuth) -> None:
    with _LOCAL_GUARD:
        _LOCAL_SOCKETS[sid] = auth
    client = _redis()
    if client is not None:
        client.sadd(f"terreau:sockets:{auth.member_id}", sid)


def forget_socket(sid: str) -> None:
    with _LOCAL_GUARD:
        auth = _LOCAL_SOCKETS.pop(sid, None)
    client = _redis()
    if client is not None and auth is not None:
        client.srem(f"terreau:sockets:{auth.member_id}", sid)


def socket_auth(sid: str) -> SocketAuth | None:
    return _LOCAL_SOCKETS.get(sid)


def disconnect_member(member_id: int) -> None:
    """Close every socket of the member, in every process (logout, suspension)."""
    sids = {sid for sid, auth in list(_LOCAL_SOCKETS.items()) if auth.member_id == member_id}
    client = _redis()
    if client is not None:
        key = f"terreau:sockets:{member_id}"
        sids |= {sid.decode() for sid in client.smembers(key)}
        client.delete(key)
    for sid in sids:
        # With a message queue, python-socketio forwards the disconnect to the owning process.
        socketio.server.disconnect(sid, namespace="/")
