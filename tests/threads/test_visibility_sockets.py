"""The socket door of the visibility matrix: `thread:join` gives a thread, and a hidden
body, exactly to those the one rule lets read them."""

from __future__ import annotations

import pytest

from tests.moderation.test_visibility import READERS, ROLES, SECRET, build


@pytest.mark.parametrize(
    "kind", ["message_open", "message_on_request", "message_hidden", "initiative_thread_hidden"]
)
@pytest.mark.parametrize("role", [r for r in ROLES if r != "visitor"])
def test_thread_join_follows_the_visibility_layer(sio, role, kind) -> None:  # type: ignore[no-untyped-def]
    world = build()
    thread = world.threads[kind]
    client = sio(world.people[role])
    ack = client.emit("thread:join", {"thread_id": thread.id, "after_seq": 0}, callback=True)
    allowed = role in READERS[kind]
    bodies = " ".join(m.get("body_html") or "" for m in ack.get("messages", []))
    assert (SECRET[kind] in bodies) == allowed, ack
    if kind != "message_hidden":  # a hidden body: the thread itself is readable
        assert ack["ok"] is allowed
