"""Same origin always allowed; `PORT` alone enough (issue 12, finding 12)."""

from __future__ import annotations

import re

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


def test_a_forged_host_never_reaches_a_mailed_link(app, client, outbox, monkeypatch):
    """Attacker walk: `POST /auth/forgot` with `Host: evil.example` mailed a reset link to
    http://evil.example/auth/reset/… (PUBLIC_URL unset, as production started then)."""
    make_member(email="victime@example.org")
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://terreau.example.fr")
    evil = "http://evil.example"
    page = client.get("/auth/forgot", base_url=evil).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    answer = client.post(
        "/auth/forgot",
        data={"email": "victime@example.org", "csrf_token": token},
        base_url=evil,
    )
    assert answer.status_code == 302
    [mail] = outbox.to("victime@example.org")
    assert all(link.startswith("https://terreau.example.fr/") for link in outbox.links_in(mail))


def test_production_refuses_to_start_without_its_public_url(monkeypatch, other_app):
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        other_app("production")
    for wrong in ("terreau.example.fr", "javascript:alert(1)", "https://", "https://t.fr/x?y=1"):
        monkeypatch.setenv("PUBLIC_URL", wrong)
        with pytest.raises(RuntimeError, match="PUBLIC_URL"):
            other_app("production")


def test_production_links_never_come_from_the_host_header(monkeypatch, other_app):
    from community.core.origins import public_url

    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("PUBLIC_URL", "https://terreau.example.fr/")
    monkeypatch.setenv("TRUSTED_HOSTS", "10.0.0.11")
    production = other_app("production", SQLALCHEMY_DATABASE_URI="sqlite://")
    with production.test_request_context("/", base_url="http://10.0.0.11:8000"):
        assert public_url() == "https://terreau.example.fr"
    production.config["PUBLIC_URL"] = ""  # cannot start so; should it happen, no Host is used
    with (
        production.test_request_context("/", base_url="http://10.0.0.11:8000"),
        pytest.raises(RuntimeError, match="PUBLIC_URL"),
    ):
        public_url()


def test_production_answers_only_the_hosts_it_trusts(monkeypatch, other_app):
    """Flask's TRUSTED_HOSTS: PUBLIC_URL's host, and those listed (a health checker that calls
    a process by its address); any other Host is a 400 before any view runs."""
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("PUBLIC_URL", "https://terreau.example.fr")
    monkeypatch.setenv("TRUSTED_HOSTS", "10.0.0.11")
    production = other_app("production", SQLALCHEMY_DATABASE_URI="sqlite://")
    client = production.test_client()
    assert client.get("/healthz", base_url="https://terreau.example.fr").status_code == 200
    assert client.get("/healthz", base_url="http://10.0.0.11:8000").status_code == 200
    refused = client.get("/auth/forgot", base_url="http://evil.example")
    assert refused.status_code == 400
    assert client.get("/api/v1/themes", base_url="http://evil.example").status_code == 400


def test_development_trusts_any_host(app, client):
    assert app.config["TRUSTED_HOSTS"] is None
    assert client.get("/healthz", base_url="http://192.168.1.20:5001").status_code == 200


def test_no_link_is_built_from_the_request_host():
    """Every absolute link goes through `public_url()` (`core.urls.external`, the template
    global `external_url`): `url_for(..., _external=True)` would take the Host header."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for folder in ("community", "templates")
        for path in (root / folder).rglob("*")
        if path.suffix in {".py", ".html", ".txt"}
        and ("_external" in path.read_text() or "host_url" in path.read_text())
        and path.name != "origins.py"
    ]
    assert offenders == []
