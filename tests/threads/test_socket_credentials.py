"""Sockets carry the credential they were opened with (issue 12, findings 3, 13, 14): a
revoked token's socket stays dead even when the database gives its id to another token;
revoking a token, resetting a password or logging out closes those sockets; every handler
answers, whatever fails."""

from __future__ import annotations

import logging

from community.auth import services
from community.auth.models import ApiToken
from community.extensions import db, socketio
from tests.factories import make_member


def _join(client, thread_id):  # type: ignore[no-untyped-def]
    return client.emit("thread:join", {"thread_id": thread_id}, callback=True)


def test_a_socket_of_a_revoked_token_is_refused_even_when_its_id_comes_back(app, cast):
    clear, token = services.issue_token(cast.member)
    client = socketio.test_client(app, auth={"token": clear})
    assert _join(client, cast.thread.id)["ok"]
    old_id = token.id
    # The row goes without the sockets being told (as when a token simply expires and is
    # purged), then another member's token is stored under the same id.
    db.session.execute(ApiToken.__table__.delete().where(ApiToken.id == old_id))
    db.session.expunge(token)
    other = make_member()
    db.session.add(
        ApiToken(id=old_id, member=other, token_hash="f" * 64, expires_at=token.expires_at)
    )
    db.session.flush()
    ack = _join(client, cast.thread.id)
    assert ack["ok"] is False and ack["error"]["code"] == "unauthenticated"
    client.disconnect()


def test_revoking_a_token_closes_its_sockets_only(app, client, cast, api_token):
    kept = api_token(cast.member)
    doomed_clear, doomed = services.issue_token(cast.member)
    doomed_socket = socketio.test_client(app, auth={"token": doomed_clear})
    kept_socket = socketio.test_client(app, auth={"token": kept["Authorization"].split()[1]})
    assert doomed_socket.is_connected() and kept_socket.is_connected()
    answer = client.delete(f"/api/v1/me/tokens/{doomed.id}", headers=kept)
    assert answer.status_code == 204
    assert not doomed_socket.is_connected()
    assert kept_socket.is_connected() and _join(kept_socket, cast.thread.id)["ok"]
    kept_socket.disconnect()


def test_a_password_reset_closes_every_socket(app, cast):
    clear, _ = services.issue_token(cast.member)
    token_socket = socketio.test_client(app, auth={"token": clear})
    assert token_socket.is_connected()
    services.reset_password(cast.member, "une toute nouvelle phrase")
    db.session.commit()
    assert not token_socket.is_connected()


def test_logging_out_closes_the_sessions_sockets(app, client, cast, api_token):
    client.login_as(cast.member)
    browser_socket = socketio.test_client(app, flask_test_client=client)
    token_socket = socketio.test_client(
        app, auth={"token": api_token(cast.member)["Authorization"].split()[1]}
    )
    assert browser_socket.is_connected() and token_socket.is_connected()
    client.post_form("/auth/logout")
    assert not browser_socket.is_connected()
    assert token_socket.is_connected()  # a plain logout keeps API tokens, and their sockets
    token_socket.disconnect()


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_an_unexpected_failure_still_answers_with_a_reference(app, cast, sio, monkeypatch):
    from community.threads import services as thread_services

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(thread_services, "messages_after", broken)
    client = sio(cast.member)
    kept = _Kept()
    app.logger.addHandler(kept)
    try:
        ack = _join(client, cast.thread.id)
    finally:
        app.logger.removeHandler(kept)
    assert ack["ok"] is False and ack["error"]["code"] == "server_error"
    reference = ack["error"]["reference"]
    assert reference in ack["error"]["message"]
    assert any(reference in message for message in kept.messages)
    # The socket still answers afterwards.
    ack = client.emit("typing", {"thread_id": "x"}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"


def test_control_characters_in_a_payload_are_an_error_ack(cast, sio):
    client = sio(cast.member)
    ack = client.emit(
        "message:send",
        {"thread_id": cast.thread.id, "body": "bonjour\x00", "client_id": "nul"},
        callback=True,
    )
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"
