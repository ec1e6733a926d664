"""Live posting at the bare server's cost, without losing a right (issue 17): `message:send`
authorises before the thread's write turn and keeps a posting grant for the socket's life
(`threads/live.py`); inside the turn, a bounded handful of statements. Every right that ends
still reaches the socket's next message, whichever process holds it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from community.auth.models import ApiToken
from community.communities import memberships
from community.core.models import utcnow
from community.core.realtime import thread_room
from community.extensions import db, socketio
from community.members.models import new_session_nonce
from community.threads import live
from tests.factories import make_member, make_membership, make_thread
from tests.initiatives.factories import make_initiative


def _join(client: Any, thread: Any) -> Any:
    return client.emit("thread:join", {"thread_id": thread.id}, callback=True)


def _send(client: Any, thread: Any, client_id: str, body: str = "Bonjour", **extra: Any) -> Any:
    return client.emit(
        "message:send",
        {"thread_id": thread.id, "body": body, "client_id": client_id, **extra},
        callback=True,
    )


def _sid(client: Any) -> str:
    return str(socketio.server.manager.sid_from_eio_sid(client.eio_sid, "/"))


def test_a_message_costs_three_statements_once_the_socket_is_granted(sio, cast, queries):
    client = sio(cast.member)
    thread = SimpleNamespace(id=cast.thread.id)  # the test's own object expires at commit
    assert _join(client, thread)["ok"]
    with queries() as first:
        assert _send(client, thread, "q0")["ok"]
    counts = []
    for n in range(1, 6):
        with queries() as log:
            ack = _send(client, thread, f"q{n}", f"message {n}")
        assert ack["ok"] and ack["message"]["seq"] == n + 1, ack
        counts.append(log.count)
    # The seq statement (thread open, client_id new, credential valid, pseudonym read), the
    # insert, the read marker; the test's connection is already a writer (no BEGIN here; a
    # server adds BEGIN IMMEDIATE on SQLite). Flat: the fifth message costs the first's.
    assert counts == [3] * 5, log.statements
    assert first.count <= 14  # the first one also checks the credential and the right in full


def test_a_reply_or_a_mention_adds_only_what_telling_them_needs(sio, cast, queries):
    client = sio(cast.member)
    thread = SimpleNamespace(id=cast.thread.id)
    assert _join(client, thread)["ok"]
    first = _send(client, thread, "r0")["message"]
    with queries() as reply:
        assert _send(client, thread, "r1", "Oui", reply_to=first["id"])["ok"]
    # The parent's thread, checked before the write turn; then its author is told (the
    # notification's own reads, through the visibility layer).
    assert reply.count <= 12, reply.statements
    assert reply.statements[0].startswith("SELECT messages.thread_id")
    name = cast.gardener.display_name
    with queries() as mention:
        assert _send(client, thread, "r2", f"Merci @{name} !")["ok"]
    assert mention.count <= 24, mention.statements  # the mention recorded, then the notice sent


def test_the_api_door_is_bounded_too(client, cast, api_token, queries):
    headers = api_token(cast.member)
    url = f"/api/v1/threads/{cast.thread.id}/messages"
    assert (
        client.post(url, json={"body": "un", "client_id": "a1"}, headers=headers).status_code == 201
    )
    with queries() as log:
        response = client.post(url, json={"body": "deux", "client_id": "a2"}, headers=headers)
    assert response.status_code == 201
    assert log.count <= 14, log.statements


def test_the_payload_is_the_one_the_room_and_the_sender_get(sio, cast):
    sender, reader = sio(cast.member), sio(cast.citizen)
    assert _join(sender, cast.thread)["ok"] and _join(reader, cast.thread)["ok"]
    reader.get_received()
    ack = _send(sender, cast.thread, "p1", "**gras**")
    [new] = [i["args"][0] for i in reader.get_received() if i["name"] == "message:new"]
    assert new == ack["message"]
    assert new["author"] == {"id": cast.member.id, "display_name": cast.member.display_name}
    assert "<strong>gras</strong>" in new["body_html"] and new["hidden"] is False
    from community.threads.models import Message
    from community.threads.schemas import message_payload

    stored = db.session.get(Message, new["id"])
    assert message_payload(stored) == new  # same shape as every other door's


def test_a_resend_returns_the_stored_message_without_a_new_seq(sio, cast):
    client = sio(cast.member)
    assert _join(client, cast.thread)["ok"]
    first = _send(client, cast.thread, "same")
    again = _send(client, cast.thread, "same", "autre texte")
    assert again["ok"] and again["message"]["id"] == first["message"]["id"]
    db.session.refresh(cast.thread)
    assert cast.thread.last_seq == 1


def test_leaving_the_community_ends_the_grant_even_after_joining_again(sio, cast):
    """An open community: the leaver may still read (join again), no longer post."""
    client = sio(cast.member)
    assert _join(client, cast.thread)["ok"] and _send(client, cast.thread, "a")["ok"]
    assert live.grant(_sid(client), cast.thread.id) == cast.member.id
    memberships.leave(cast.member, cast.community)
    db.session.commit()
    ack = _send(client, cast.thread, "b")
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden", ack
    assert _join(client, cast.thread)["ok"]  # a reader again
    ack = _send(client, cast.thread, "c")
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden", ack


def test_a_grant_goes_when_another_process_takes_the_socket_out_of_the_room(sio, cast):
    """With a message queue, `revoke_rooms` in another process reaches this one as the
    manager's own leave_room (python-socketio's pubsub): the grant goes with the room."""
    client = sio(cast.member)
    assert _join(client, cast.thread)["ok"] and _send(client, cast.thread, "a")["ok"]
    sid = _sid(client)
    socketio.server.manager.basic_leave_room(sid, "/", thread_room(cast.thread.id))
    assert live.grant(sid, cast.thread.id) is None


def test_a_grant_made_before_joining_again_is_not_kept(sio, cast):
    client = sio(cast.member)
    assert _join(client, cast.thread)["ok"]
    sid = _sid(client)
    at_turn = live.turn(sid, cast.thread.id)
    assert _join(client, cast.thread)["ok"]  # joined again while the right was being checked
    live.remember(sid, cast.thread.id, cast.member.id, at_turn)
    assert live.grant(sid, cast.thread.id) is None


def test_a_suspension_closes_the_socket_and_its_grant(sio, cast):
    from community.moderation.suspensions import suspend_from_community

    client = sio(cast.member)
    assert _join(client, cast.thread)["ok"] and _send(client, cast.thread, "a")["ok"]
    suspend_from_community(cast.technician, cast.member, cast.community, None, "hors charte")
    db.session.commit()
    assert not client.is_connected()
    again = sio(cast.member)
    assert _join(again, cast.thread)["ok"]
    ack = _send(again, cast.thread, "b")
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden", ack


def test_a_token_gone_without_a_word_stops_the_next_message(sio, cast):
    """The credential is checked by the seq statement itself, at every message."""
    client = sio(cast.member)
    assert _join(client, cast.thread)["ok"] and _send(client, cast.thread, "a")["ok"]
    db.session.execute(ApiToken.__table__.delete().where(ApiToken.member_id == cast.member.id))
    db.session.flush()
    ack = _send(client, cast.thread, "b")
    assert ack["ok"] is False and ack["error"]["code"] == "unauthenticated", ack


def test_an_expired_token_stops_the_next_message(sio, cast):
    client = sio(cast.member)
    assert _join(client, cast.thread)["ok"] and _send(client, cast.thread, "a")["ok"]
    db.session.execute(
        ApiToken.__table__.update()
        .where(ApiToken.member_id == cast.member.id)
        .values(expires_at=utcnow())
    )
    db.session.flush()
    ack = _send(client, cast.thread, "b")
    assert ack["ok"] is False and ack["error"]["code"] == "unauthenticated", ack


def test_a_session_nonce_changed_stops_the_next_message(app, client, cast):
    client.login_as(cast.member)
    browser = socketio.test_client(app, flask_test_client=client)
    assert _join(browser, cast.thread)["ok"] and _send(browser, cast.thread, "a")["ok"]
    cast.member.session_nonce = new_session_nonce()  # as a logout everywhere does
    db.session.flush()
    ack = _send(browser, cast.thread, "b")
    assert ack["ok"] is False and ack["error"]["code"] == "unauthenticated", ack
    browser.disconnect()


def test_a_locked_thread_refuses_a_granted_socket(sio, cast):
    client = sio(cast.member)
    assert _join(client, cast.thread)["ok"] and _send(client, cast.thread, "a")["ok"]
    cast.thread.locked = True
    db.session.flush()
    ack = _send(client, cast.thread, "b")
    assert ack["ok"] is False and ack["error"]["code"] == "locked", ack
    ack = _send(client, cast.thread, "a")  # a resend still gets its stored message
    assert ack["ok"] is True


def test_a_hidden_initiative_closes_its_thread_to_a_granted_socket(sio, cast):
    author = make_member()
    make_membership(cast.community, author)
    initiative = make_initiative(author, community=cast.community, title="Un jardin partagé")
    from community.threads.models import Thread

    thread = db.session.get(Thread, initiative.thread_id)
    moderator, reader = sio(cast.gardener), sio(cast.member)
    for client in (moderator, reader):
        assert _join(client, thread)["ok"] and _send(client, thread, "a")["ok"]
    initiative.hidden_at = utcnow()
    db.session.flush()
    ack = _send(moderator, thread, "b")  # she still reads it: closed
    assert ack["ok"] is False and ack["error"]["code"] == "locked", ack
    ack = _send(reader, thread, "b")  # she no longer reads it: as if it did not exist
    assert ack["ok"] is False and ack["error"]["code"] == "not_found", ack


def test_a_grant_lasts_a_minute_at_most(sio, cast, monkeypatch):
    """Should a revocation from another process be lost (Redis down), the right is checked
    again within `GRANT_SECONDS`."""
    client = sio(cast.member)
    assert _join(client, cast.thread)["ok"] and _send(client, cast.thread, "a")["ok"]
    sid = _sid(client)
    assert live.grant(sid, cast.thread.id) == cast.member.id
    later = live.time.monotonic() + live.GRANT_SECONDS + 1
    monkeypatch.setattr(live.time, "monotonic", lambda: later)
    assert live.grant(sid, cast.thread.id) is None


def test_a_grant_is_for_one_thread(sio, cast):
    other = make_thread(cast.community, title="Un autre sujet")
    client = sio(cast.member)
    assert _join(client, cast.thread)["ok"] and _send(client, cast.thread, "a")["ok"]
    assert live.grant(_sid(client), other.id) is None
