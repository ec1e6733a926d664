"""A real server and a real Socket.IO client: the notification arrives on the member's socket."""

from __future__ import annotations

import queue
import re
from typing import Any

import pytest
import requests
import socketio

from community.extensions import db
from community.notifications import services
from tests.factories import PASSWORD, make_member

pytestmark = pytest.mark.live


def logged_in_cookies(base: str, email: str) -> dict[str, str]:
    """Log in through the real form, as a browser would; returns the session cookies."""
    http = requests.Session()
    page = http.get(f"{base}/auth/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None
    response = http.post(
        f"{base}/auth/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text
    return http.cookies.get_dict()


def open_socket(base: str, cookies: dict[str, str]) -> tuple[socketio.Client, queue.Queue[Any]]:
    received: queue.Queue[Any] = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("notification:new", received.put)
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    client.connect(base, headers={"Cookie": cookie})
    return client, received


def test_a_notification_reaches_the_open_socket(live_server) -> None:  # type: ignore[no-untyped-def]
    member, other, stranger = make_member(), make_member(), make_member()
    db.session.commit()
    client, received = open_socket(live_server, logged_in_cookies(live_server, member.email))
    spy, spied = open_socket(live_server, logged_in_cookies(live_server, stranger.email))
    try:
        ack = client.call("notifications:subscribe", {}, timeout=10)
        assert ack == {"ok": True, "unread_count": 0}
        spy.call("notifications:subscribe", {}, timeout=10)
        db.session.commit()  # end the read begun above: the server wrote since (logins)
        url = "/threads/1#message-2"
        services.notify(member, "reply", "Karim vous a répondu", url, actor=other)
        db.session.commit()
        payload = received.get(timeout=10)
        assert payload["text"] == "Karim vous a répondu"
        assert payload["url"] == "/threads/1#message-2" and payload["unread_count"] == 1
        assert spied.empty()  # nobody else's socket hears it
    finally:
        client.disconnect()
        spy.disconnect()
