from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import lazy_gettext as _l

from community.core.models import utcnow
from community.extensions import db, socketio
from community.notifications import services
from community.notifications.models import Notification
from tests.factories import make_member


def test_notify_stores_and_counts() -> None:
    member, actor = make_member(), make_member()
    notification = services.notify(
        member, "reply", "Quelqu'un vous a répondu", "/threads/1", actor=actor
    )
    assert notification is not None
    assert notification.member_id == member.id and notification.actor_id == actor.id
    assert not notification.read
    assert services.unread_count(member) == 1
    assert services.unread_count(actor) == 0


def test_no_notification_for_ones_own_act() -> None:
    member = make_member()
    assert services.notify(member, "reply", "x", "/", actor=member) is None
    assert services.unread_count(member) == 0


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        services.notify(make_member(), "nonsense", "x", "/")


def test_text_is_written_in_the_members_language() -> None:
    french, english = make_member(locale="fr"), make_member(locale="en")
    text = _l("Replies to you")
    assert services.notify(french, "reply", text, "/").text == "Réponses à vos messages"  # type: ignore[union-attr]
    assert services.notify(english, "reply", text, "/").text == "Replies to you"  # type: ignore[union-attr]


def test_only_site_paths_are_kept_as_links() -> None:
    member = make_member()
    assert services.notify(member, "reply", "x", "https://evil.example/").url == ""  # type: ignore[union-attr]
    assert services.notify(member, "reply", "x", "//evil.example/").url == ""  # type: ignore[union-attr]
    assert services.notify(member, "reply", "x", "/threads/2#m-3").url == "/threads/2#m-3"  # type: ignore[union-attr]


def test_long_texts_are_shortened() -> None:
    notification = services.notify(make_member(), "reply", "a" * 2000, "/")
    assert notification is not None and len(notification.text) == services.MAX_TEXT


def test_mark_read_touches_only_ones_own() -> None:
    member, other = make_member(), make_member()
    mine = [services.notify(member, "reply", f"n{i}", "/") for i in range(3)]
    theirs = services.notify(other, "reply", "x", "/")
    assert theirs is not None and mine[0] is not None
    assert services.mark_read(member, [mine[0].id, theirs.id]) == 1
    db.session.refresh(theirs)
    assert theirs.read_at is None
    assert services.unread_count(member) == 2
    assert services.mark_read(member) == 2
    assert services.unread_count(member) == 0
    assert services.mark_read(member, []) == 0


def test_notifications_newest_first() -> None:
    member = make_member()
    old = services.notify(member, "reply", "old", "/")
    assert old is not None
    old.created_at = utcnow() - timedelta(days=1)
    new = services.notify(member, "reply", "new", "/")
    rows = list(db.session.execute(services.notifications_of(member)).scalars())
    assert rows == [new, old]
    services.mark_read(member, [new.id])  # type: ignore[union-attr]
    assert list(
        db.session.execute(services.notifications_of(member, unread_only=True)).scalars()
    ) == [old]


def test_email_frequency_defaults_to_daily_and_can_change(app) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    assert services.email_frequency(member) == "daily"
    services.set_email_frequency(member, "weekly")
    assert services.email_frequency(member) == "weekly"
    from community.core.errors import Invalid

    with app.test_request_context(), pytest.raises(Invalid):
        services.set_email_frequency(member, "hourly")


def test_pushed_live_to_the_members_room_after_commit(app, client) -> None:  # type: ignore[no-untyped-def]
    member, other = make_member(), make_member()
    client.login_as(member)
    socket = socketio.test_client(app, flask_test_client=client)
    ack = socket.emit("notifications:subscribe", {}, callback=True)
    assert ack == {"ok": True, "unread_count": 0}
    services.notify(member, "reply", "Bonjour", "/threads/1", actor=other)
    services.notify(other, "reply", "Pas pour vous", "/")
    assert socket.get_received() == []  # nothing before commit
    db.session.commit()
    received = socket.get_received()
    assert [r["name"] for r in received] == ["notification:new"]
    payload = received[0]["args"][0]
    assert payload["text"] == "Bonjour" and payload["unread_count"] == 1
    assert set(payload) == {"id", "kind", "text", "url", "created_at", "read", "unread_count"}
    socket.disconnect()


def test_nothing_pushed_on_rollback(app, client) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    db.session.commit()
    client.login_as(member)
    socket = socketio.test_client(app, flask_test_client=client)
    socket.emit("notifications:subscribe", {}, callback=True)
    services.notify(member, "reply", "Bonjour", "/")
    db.session.rollback()
    assert socket.get_received() == []
    socket.disconnect()


def test_a_visitor_socket_never_reaches_subscribe(app, client) -> None:  # type: ignore[no-untyped-def]
    socket = socketio.test_client(app, flask_test_client=client)
    assert not socket.is_connected()  # anonymous sockets are refused at the handshake


def test_a_token_socket_subscribes(app, api_token) -> None:  # type: ignore[no-untyped-def]
    """An API client's socket (token, no session cookie) is the member, as for thread events."""
    member = make_member()
    services.notify(member, "reply", "Bonjour", "/")
    db.session.commit()
    token = api_token(member)["Authorization"].split()[1]
    socket = socketio.test_client(app, auth={"token": token})
    assert socket.is_connected()
    ack = socket.emit("notifications:subscribe", {}, callback=True)
    assert ack == {"ok": True, "unread_count": 1}
    socket.disconnect()


def test_a_revoked_token_socket_cannot_subscribe(app, api_token) -> None:  # type: ignore[no-untyped-def]
    from community.auth.models import ApiToken

    member = make_member()
    db.session.commit()
    token = api_token(member)["Authorization"].split()[1]
    socket = socketio.test_client(app, auth={"token": token})
    assert socket.is_connected()
    db.session.query(ApiToken).filter_by(member_id=member.id).delete()
    db.session.flush()
    ack = socket.emit("notifications:subscribe", {}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "unauthenticated"
    socket.disconnect()


def test_notification_model_repr() -> None:
    notification = services.notify(make_member(), "mention", "x", "/")
    assert "mention" in repr(notification)
    assert isinstance(notification, Notification)
