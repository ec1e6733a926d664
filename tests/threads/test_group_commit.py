"""Group commit (issue 17): the messages waiting for a thread's write turn are written by
whoever gets it, in one transaction, each with its own checks; a refused one is skipped, a
failed transaction has each written again alone (`threads/use_cases.py`)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from community.extensions import db
from community.threads import posting, use_cases
from community.threads.models import Message
from tests.threads.conftest import received


@pytest.fixture
def waiting(app: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`waiting(author, thread_id, body, client_id, still=None)` queues a drafted message as
    a sender blocked on the thread's turn would have; the queues are emptied afterwards."""
    monkeypatch.setattr(use_cases, "_QUEUES", {})
    monkeypatch.setattr(use_cases, "_LEADING", set())

    def queue(author: Any, thread_id: int, body: str, client_id: str, **extra: Any) -> Any:
        draft = posting.draft_message(
            author.id, thread_id, body, client_id, extra.pop("reply_to", None)
        )
        item = use_cases._Waiting(draft, extra.pop("still", None))
        use_cases._QUEUES.setdefault(thread_id, []).append(item)
        return item

    return queue


@pytest.fixture
def transactions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many write transactions the posting opened."""
    opened: list[int] = []
    real = use_cases.transaction

    def counted() -> Any:
        opened.append(1)
        return real()

    monkeypatch.setattr(use_cases, "transaction", counted)
    return opened


def _send(client: Any, thread_id: int, body: str, client_id: str) -> Any:
    payload = {"thread_id": thread_id, "body": body, "client_id": client_id}
    return client.emit("message:send", payload, callback=True)


def _stored(thread_id: int) -> list[tuple[int, str, str | None]]:
    return list(
        db.session.execute(
            select(Message.seq, Message.body, Message.client_id)
            .where(Message.thread_id == thread_id)
            .order_by(Message.seq)
        ).all()
    )


def test_messages_waiting_for_the_turn_share_one_commit(sio, cast, waiting, transactions):
    thread = SimpleNamespace(id=cast.thread.id)
    reader = sio(cast.gardener)
    sender = sio(cast.member)
    for client in (reader, sender):
        assert client.emit("thread:join", {"thread_id": thread.id}, callback=True)["ok"]
    reader.get_received()
    first = waiting(cast.gardener, thread.id, "Premier en attente", "w1")
    second = waiting(cast.technician, thread.id, "Second en attente", "w2")

    ack = _send(sender, thread.id, "Le mien", "m1")

    assert ack["ok"] and ack["message"]["seq"] == 3, ack  # in order of arrival
    assert len(transactions) == 1  # three messages, one transaction
    assert _stored(thread.id) == [
        (1, "Premier en attente", "w1"),
        (2, "Second en attente", "w2"),
        (3, "Le mien", "m1"),
    ]
    assert (first.state, first.payload["seq"]) == ("stored", 1)
    assert (second.state, second.payload["seq"]) == ("stored", 2)
    assert first.woken.is_set() and second.woken.is_set() and not first.lead
    # Each broadcast once, in seq order, to the room.
    assert [m["seq"] for m in received(reader, "message:new")] == [1, 2, 3]
    assert use_cases._QUEUES == {} and not use_cases._LEADING


def test_a_refused_message_is_skipped_and_the_others_kept(sio, cast, waiting):
    thread = SimpleNamespace(id=cast.thread.id)
    sender = sio(cast.member)
    assert sender.emit("thread:join", {"thread_id": thread.id}, callback=True)["ok"]
    # Its socket's credential ended while it waited: its seq statement takes nothing.
    ended = (bindparam("credential_ok") == 1, {"credential_ok": 0})
    refused = waiting(cast.gardener, thread.id, "Refusé", "w1", still=ended)
    kept = waiting(cast.technician, thread.id, "Gardé", "w2")

    ack = _send(sender, thread.id, "Le mien", "m1")

    assert ack["ok"] and ack["message"]["seq"] == 2, ack
    assert refused.state == "refused" and refused.payload is None and refused.woken.is_set()
    assert (kept.state, kept.payload["seq"]) == ("stored", 1)
    assert _stored(thread.id) == [(1, "Gardé", "w2"), (2, "Le mien", "m1")]  # no gap


def test_a_failed_batch_keeps_nothing_and_each_is_written_again_alone(
    sio, cast, waiting, transactions
):
    thread = SimpleNamespace(id=cast.thread.id)
    sender = sio(cast.member)
    assert sender.emit("thread:join", {"thread_id": thread.id}, callback=True)["ok"]
    posted = _send(sender, thread.id, "Avant", "m0")["message"]
    broken = waiting(cast.gardener, thread.id, "Cassé", "w1", reply_to=posted["id"])
    # The answered message is gone from the database meanwhile: the insert breaks a foreign key.
    broken.draft = posting.Draft(**{**broken.draft.__dict__, "reply_to_id": 10**9})
    transactions.clear()

    ack = _send(sender, thread.id, "Le mien", "m1")

    assert ack["ok"] and ack["message"]["seq"] == 2, ack
    assert len(transactions) == 3  # the batch, rolled back; then each alone
    # Its own error goes back to its sender (who says why); the others are not held back.
    assert broken.state == "failed" and isinstance(broken.error, IntegrityError)
    assert broken.woken.is_set()
    assert _stored(thread.id) == [(1, "Avant", "m0"), (2, "Le mien", "m1")]


def test_a_batch_is_bounded_and_the_leader_writes_until_its_own_is_written(
    sio, cast, waiting, monkeypatch, transactions
):
    monkeypatch.setattr(use_cases, "BATCH_LIMIT", 2)
    thread = SimpleNamespace(id=cast.thread.id)
    sender = sio(cast.member)
    assert sender.emit("thread:join", {"thread_id": thread.id}, callback=True)["ok"]
    queued = [waiting(cast.gardener, thread.id, f"n{n}", f"w{n}") for n in range(3)]
    transactions.clear()

    ack = _send(sender, thread.id, "Le mien", "m1")

    assert ack["ok"] and ack["message"]["seq"] == 4
    assert len(transactions) == 2  # two, then two
    assert [item.state for item in queued] == ["stored"] * 3
    assert [seq for seq, *_ in _stored(thread.id)] == [1, 2, 3, 4]
    assert use_cases._QUEUES == {} and not use_cases._LEADING


def test_the_lead_goes_to_the_first_in_line(app, cast, waiting):
    thread_id = cast.thread.id
    first = waiting(cast.gardener, thread_id, "un", "w1")
    second = waiting(cast.technician, thread_id, "deux", "w2")
    use_cases._LEADING.add(thread_id)

    use_cases._hand_over(thread_id)

    assert first.lead and first.woken.is_set()
    assert not second.lead and not second.woken.is_set()
    assert thread_id in use_cases._LEADING
    use_cases._QUEUES[thread_id].clear()
    use_cases._hand_over(thread_id)
    assert thread_id not in use_cases._LEADING and thread_id not in use_cases._QUEUES


def test_a_leader_interrupted_mid_batch_puts_back_what_it_held(sio, cast, waiting, monkeypatch):
    thread = SimpleNamespace(id=cast.thread.id)
    sender = sio(cast.member)
    assert sender.emit("thread:join", {"thread_id": thread.id}, callback=True)["ok"]
    queued = [waiting(cast.gardener, thread.id, f"n{n}", f"w{n}") for n in range(2)]

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt  # not an Exception: nothing of the batch is settled

    monkeypatch.setattr(posting, "store_message", interrupted)
    with pytest.raises(KeyboardInterrupt):
        use_cases._deliver(
            thread.id,
            use_cases._Waiting(
                posting.draft_message(cast.member.id, thread.id, "Le mien", "m1"), None
            ),
        )

    # The others are back at the head of the line, in order, and the first leads now.
    assert use_cases._QUEUES[thread.id] == queued
    assert [item.state for item in queued] == ["waiting", "waiting"]
    assert queued[0].lead and queued[0].woken.is_set()
    assert _stored(thread.id) == []
