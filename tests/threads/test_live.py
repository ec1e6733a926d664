"""Real server, real python-socketio clients: ordering and no loss under concurrent senders."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
import socketio
from sqlalchemy import func, select

from community.auth.services import issue_token
from community.extensions import db
from community.threads.models import Message, Thread
from tests.factories import make_community, make_member, make_thread
from tests.threads.stress import Listener, run_senders

# Sized to prove the guarantee on every run; CI's PostgreSQL pass sets TERREAU_STRESS=full.
SENDERS, EACH = (20, 50) if os.environ.get("TERREAU_STRESS") == "full" else (8, 25)


def _setup(senders: int, listeners: int) -> tuple[Thread, list[str], list[str]]:
    members = [make_member() for _ in range(senders)]
    readers = [make_member() for _ in range(listeners)]
    community = make_community(visibility="open", members=tuple(members))
    thread = make_thread(community)
    send_tokens = [issue_token(m)[0] for m in members]
    read_tokens = [issue_token(m)[0] for m in readers]
    db.session.commit()
    return thread, send_tokens, read_tokens


@pytest.mark.live
def test_concurrent_senders_get_gapless_seq_and_every_client_all_in_order(live_server: str) -> None:
    thread, send_tokens, read_tokens = _setup(SENDERS, 3)
    total = SENDERS * EACH
    listeners = [Listener(live_server, token, thread.id, total) for token in read_tokens]
    try:
        for listener in listeners:
            listener.start()
        errors = run_senders([live_server], send_tokens, thread.id, EACH)
        assert errors == []
        for listener in listeners:
            assert listener.done.wait(timeout=60), f"got {len(listener.seqs)} of {total}"
            assert listener.seqs == list(range(1, total + 1))  # all of them, in seq order
    finally:
        for listener in listeners:
            listener.stop()
    db.session.rollback()  # end the read snapshot taken before the senders wrote
    seqs = db.session.execute(
        select(Message.seq).where(Message.thread_id == thread.id).order_by(Message.seq)
    ).scalars()
    assert list(seqs) == list(range(1, total + 1))
    assert db.session.get(Thread, thread.id).last_seq == total


@pytest.mark.live
def test_disconnect_mid_stream_and_rejoin_with_last_seq(live_server: str) -> None:
    thread, send_tokens, read_tokens = _setup(4, 1)
    total = 4 * 40
    listener = Listener(live_server, read_tokens[0], thread.id, total)
    listener.start()
    got_some = listener.done  # reuse: wait for a first batch, then drop the connection

    def cut_after_first(message: dict[str, Any]) -> None:
        Listener._keep(listener, message)
        if len(listener.seqs) == 20 and listener.client.connected:
            # From the server's point of view: gone mid-stream. (Not from this handler's own
            # thread: it is the client's reading loop, which the disconnection ends.)
            listener.client.start_background_task(listener.client.disconnect)

    listener.client.handlers["/"]["message:new"] = cut_after_first
    errors = run_senders([live_server], send_tokens, thread.id, 40)
    assert errors == []
    assert not got_some.is_set() and len(listener.seqs) < total
    # Reconnect with the last seq we hold: the server sends whatever was missed.
    listener.client.handlers["/"]["message:new"] = listener._on_new
    last = max(listener.seqs)
    deadline = time.monotonic() + 10
    while listener.client.eio.state != "disconnected" and time.monotonic() < deadline:
        time.sleep(0.01)
    listener.client.connect(
        live_server, auth={"token": read_tokens[0]}, transports=["websocket"], wait_timeout=10
    )
    try:
        listener.join(last)
        assert listener.done.wait(timeout=30)
        assert sorted(listener.seqs) == list(range(1, total + 1)) and len(listener.seqs) == total
    finally:
        listener.stop()


@pytest.mark.live
def test_resending_client_id_over_a_real_socket_creates_nothing(live_server: str) -> None:
    thread, send_tokens, _ = _setup(1, 0)
    client = socketio.Client(reconnection=False)
    client.connect(
        live_server, auth={"token": send_tokens[0]}, transports=["websocket"], wait_timeout=10
    )
    try:
        payload = {"thread_id": thread.id, "body": "Une seule fois", "client_id": "retry-me"}
        first = client.call("message:send", payload, timeout=10)
        client.disconnect()
        client.connect(
            live_server, auth={"token": send_tokens[0]}, transports=["websocket"], wait_timeout=10
        )
        second = client.call("message:send", payload, timeout=10)
    finally:
        client.disconnect()
    assert first["ok"] and second == first
    db.session.rollback()
    assert db.session.execute(select(func.count(Message.id))).scalar_one() == 1


@pytest.mark.live
def test_anonymous_and_foreign_origin_refused_on_a_real_server(live_server: str) -> None:
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(live_server, transports=["websocket"], wait_timeout=5)
    _thread, tokens, _ = _setup(1, 0)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            live_server,
            auth={"token": tokens[0]},
            headers={"Origin": "https://evil.example"},
            transports=["websocket"],
            wait_timeout=5,
        )


@pytest.mark.live
def test_api_posts_and_socket_sends_into_one_thread_never_wait_on_each_other(
    live_server: str,
) -> None:
    """A write request starts as a writer on SQLite (BEGIN IMMEDIATE); the sockets take the
    thread's turn, then the database. A post over the API into the same thread must not hold
    the database while it waits for the turn (each side waited on the other until SQLite's busy
    timeout, then the socket's messages failed)."""
    import threading

    import requests

    thread, send_tokens, _ = _setup(6, 0)
    socket_tokens, api_tokens = send_tokens[:3], send_tokens[3:]
    thread_id, each = thread.id, 15
    answers: list[int] = []

    def post_many(index: int, token: str) -> None:
        for n in range(each):
            response = requests.post(
                f"{live_server}/api/v1/threads/{thread_id}/messages",
                json={"body": f"api{index} n°{n}", "client_id": f"api{index}-{n}"},
                headers={"Authorization": f"Bearer {token}"},
                timeout=60,
            )
            answers.append(response.status_code)

    started = time.monotonic()
    posters = [
        threading.Thread(target=post_many, args=(i, token)) for i, token in enumerate(api_tokens)
    ]
    for poster in posters:
        poster.start()
    errors = run_senders([live_server], socket_tokens, thread_id, each)
    for poster in posters:
        poster.join(timeout=120)
    elapsed = time.monotonic() - started
    assert errors == []
    assert answers == [201] * (len(api_tokens) * each)
    assert elapsed < 10, f"{elapsed:.1f} s: a side waited for the other"
    db.session.rollback()
    seqs = db.session.execute(
        select(Message.seq).where(Message.thread_id == thread_id).order_by(Message.seq)
    ).scalars()
    assert list(seqs) == list(range(1, 6 * each + 1))
