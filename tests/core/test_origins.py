"""Same origin always allowed; `PORT` alone enough (issue 12, finding 12)."""

from __future__ import annotations

import pytest
import socketio as socketio_client

from community.auth.services import issue_token
from community.extensions import db, socketio
from tests.factories import make_member

SIGNUP = {
    "email": "port@example.org",
    "display_name": "Portuaire",
    "password": "une phrase de passe",
    "accept_charter": True,
}


def test_without_public_url_mails_link_to_the_served_address(app, client, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "")
    answer = client.post("/api/v1/members", json=SIGNUP, base_url="http://127.0.0.1:5001")
    assert answer.status_code == 202
    [mail] = outbox.to("port@example.org")
    assert outbox.links_in(mail)[0].startswith("http://127.0.0.1:5001/auth/confirm/")


def test_public_url_wins_when_set(app, client, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://terreau.example.fr/")
    client.post("/api/v1/members", json=SIGNUP, base_url="http://127.0.0.1:5001")
    [mail] = outbox.to("port@example.org")
    assert outbox.links_in(mail)[0].startswith("https://terreau.example.fr/auth/confirm/")


def test_outside_a_request_links_follow_port(app, monkeypatch):
    from community.core.origins import public_url

    monkeypatch.setitem(app.config, "PUBLIC_URL", "")
    monkeypatch.setitem(app.config, "PORT", 5001)
    assert public_url() == "http://127.0.0.1:5001"


@pytest.mark.parametrize(
    "origin,allowed,extra",
    [
        ("http://localhost", True, []),  # the page's own origin, with no setting at all
        ("https://evil.example", False, []),
        ("https://evil.example", True, ["https://evil.example"]),  # ALLOWED_ORIGINS adds
    ],
)
def test_socket_origins(app, api_token, monkeypatch, origin, allowed, extra):
    monkeypatch.setitem(app.config, "ALLOWED_ORIGINS", extra)
    token = api_token(make_member())["Authorization"].split()[1]
    client = socketio.test_client(app, auth={"token": token}, headers={"Origin": origin})
    try:
        assert client.is_connected() is allowed
    finally:
        if client.is_connected():
            client.disconnect()


@pytest.mark.live
def test_a_real_server_on_any_port_accepts_its_own_pages_sockets(app, live_server, monkeypatch):
    # Nothing lists the server's address: its own origin is enough.
    monkeypatch.setitem(app.config, "ALLOWED_ORIGINS", [])
    monkeypatch.setitem(app.config, "PUBLIC_URL", "")
    token, _ = issue_token(make_member())
    db.session.commit()
    client = socketio_client.Client(reconnection=False)
    client.connect(  # the websocket client sends the server's own origin, as a page would
        live_server,
        auth={"token": token},
        transports=["websocket"],
        wait_timeout=5,
    )
    try:
        assert client.connected
    finally:
        client.disconnect()
    foreign = socketio_client.Client(reconnection=False)
    with pytest.raises(socketio_client.exceptions.ConnectionError):
        foreign.connect(
            live_server,
            auth={"token": token},
            headers={"Origin": "http://127.0.0.1:1"},
            transports=["websocket"],
            wait_timeout=5,
        )
