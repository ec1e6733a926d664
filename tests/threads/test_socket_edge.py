"""Socket payloads at the edge (issue 12, findings 14 and 15): ids bounded by the schema,
`typing` rate-limited."""

from __future__ import annotations

import pytest

from community.extensions import db
from tests.factories import make_thread

HUGE = 2**70


@pytest.mark.parametrize(
    "event,payload",
    [
        ("thread:join", {"thread_id": HUGE}),
        ("thread:join", {"thread_id": 1, "after_seq": HUGE}),
        ("message:send", {"thread_id": HUGE, "body": "x", "client_id": "a"}),
        ("message:edit", {"message_id": HUGE, "body": "x"}),
        ("typing", {"thread_id": 2**31}),
    ],
)
def test_ids_beyond_the_schema_get_an_error_ack(cast, sio, event, payload):
    client = sio(cast.member)
    ack = client.emit(event, payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"


def test_typing_is_rate_limited(app, cast, sio, monkeypatch):
    monkeypatch.setitem(app.config, "TYPING_RATE_LIMIT", "2 per minute")
    client = sio(cast.member)
    acks = [client.emit("typing", {"thread_id": cast.thread.id}, callback=True) for _ in range(3)]
    assert [ack["ok"] for ack in acks] == [True, True, False]
    assert acks[2]["error"]["code"] == "rate_limited"


def test_joining_is_rate_limited_in_french(app, cast, sio, monkeypatch):
    """`thread:join` opens a writer's transaction and reads the thread: a client that joins
    without end is slowed (`JOIN_RATE_LIMIT`, per member), with a French error ack."""
    monkeypatch.setitem(app.config, "JOIN_RATE_LIMIT", "2 per minute")
    client = sio(cast.member, headers={"Accept-Language": "fr"})
    join = {"thread_id": cast.thread.id}
    acks = [client.emit("thread:join", join, callback=True) for _ in range(3)]
    assert [ack["ok"] for ack in acks] == [True, True, False]
    assert acks[2]["error"]["code"] == "rate_limited"
    assert acks[2]["error"]["message"] == "Ralentissez un peu."
    # Per member: someone else still joins.
    assert sio(cast.gardener).emit("thread:join", join, callback=True)["ok"] is True


def test_reading_an_unreadable_thread_counts_nothing(app, cast, sio, monkeypatch):
    """`thread:read` asks the visibility layer before it counts: a thread one may not read is
    "not found" every time (never "slow down", which would tell it from a missing id by its
    counter), and leaves no counter behind."""
    from tests.factories import make_community

    monkeypatch.setitem(app.config, "READ_RATE_LIMIT", "2 per minute")
    closed = make_community(visibility="on_request", citizen=cast.gardener)
    hidden = make_thread(closed)
    db.session.commit()
    client = sio(cast.citizen)
    for thread_id in (hidden.id, 2**30):  # unreadable, missing: the same answers
        acks = [
            client.emit("thread:read", {"thread_id": thread_id, "seq": 1}, callback=True)
            for _ in range(3)
        ]
        assert [ack["error"]["code"] for ack in acks] == ["not_found"] * 3
