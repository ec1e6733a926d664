"""A member with an open socket receives the notification when another member replies to them."""

from __future__ import annotations

import queue
from typing import Any

import pytest
import requests
import socketio

from community.extensions import db
from community.threads import services as threads
from tests.factories import make_community, make_member, make_thread

pytestmark = pytest.mark.live


def test_a_reply_reaches_the_open_socket(live_server, api_token) -> None:  # type: ignore[no-untyped-def]
    asker, helper = make_member(display_name="Léa"), make_member(display_name="Karim")
    community = make_community(members=(asker, helper))
    thread = make_thread(community, title="Le composteur")
    question = threads.post_message(asker, thread, "Qui a la clé ?").message
    asker_token = api_token(asker)["Authorization"].split()[1]
    helper_headers = api_token(helper)
    thread_id, question_id = thread.id, question.id
    db.session.commit()

    received: queue.Queue[Any] = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("notification:new", received.put)
    client.connect(live_server, auth={"token": asker_token}, transports=["websocket"])
    try:
        response = requests.post(
            f"{live_server}/api/v1/threads/{thread_id}/messages",
            json={"body": "Moi, je passe ce soir.", "client_id": "r-1", "reply_to": question_id},
            headers=helper_headers,
            timeout=10,
        )
        assert response.status_code == 201, response.text
        payload = received.get(timeout=10)
        assert payload["kind"] == "reply"
        assert payload["text"] == "Karim vous a répondu dans «\u00a0Le composteur\u00a0»"
        assert payload["url"] == f"/threads/{thread_id}#unread"
        assert payload["unread_count"] == 1
    finally:
        client.disconnect()
