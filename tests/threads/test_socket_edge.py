"""Socket payloads at the edge (issue 12, findings 14 and 15): ids bounded by the schema,
`typing` rate-limited."""

from __future__ import annotations

import pytest

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
