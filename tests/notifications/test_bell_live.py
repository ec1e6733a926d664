"""The bell stays true on the open sockets: a message hidden, shown again or deleted leaves or
re-enters the count of the members told about it, and their sockets hear the new count once it
commits (`notification:count`), nobody else's."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from community.extensions import db, socketio
from community.notifications.services import unread_count
from community.threads import services as threads
from tests.factories import make_community, make_member, make_thread


class Told:
    """A thread where Léa asked, Karim answered her and named Nour; Sam only reads."""

    def __init__(self, app: Flask) -> None:
        self.asker = make_member(display_name="Léa")
        self.writer = make_member(display_name="Karim")
        self.named = make_member(display_name="Nour")
        self.bystander = make_member(display_name="Sam")
        self.gardener = make_member()
        community = make_community(
            citizen=self.gardener, members=(self.asker, self.writer, self.named, self.bystander)
        )
        self.thread = thread = make_thread(community, "Qui a la clé ?")
        with app.test_request_context():
            question = threads.post_message(self.asker, thread, "Qui a la clé ?", "q").message
            self.reply = threads.post_message(
                self.writer, thread, "Moi, ou @Nour.", "r", reply_to=question.id
            ).message
        db.session.commit()


def bells(app: Flask, api_token: Any, *members: Any) -> list[Any]:
    """An open, subscribed socket per member (an API token each, as the mobile app)."""
    sockets = []
    for member in members:
        token = api_token(member)["Authorization"].split()[1]
        sock = socketio.test_client(app, auth={"token": token})
        assert sock.emit("notifications:subscribe", {}, callback=True)["ok"]
        sockets.append(sock)
    db.session.commit()  # the tokens
    for sock in sockets:
        sock.get_received()
    return sockets


def counts(sock: Any) -> list[int]:
    heard = sock.get_received()
    return [r["args"][0]["unread_count"] for r in heard if r["name"] == "notification:count"]


@pytest.fixture
def told(app: Flask) -> Told:
    return Told(app)


def test_hiding_and_restoring_reach_the_bells_of_those_told(app, api_token, told) -> None:  # type: ignore[no-untyped-def]
    asker, named, bystander = bells(app, api_token, told.asker, told.named, told.bystander)
    assert unread_count(told.asker) == 1 and unread_count(told.named) == 1
    with app.test_request_context():
        threads.hide_message(told.gardener, told.reply, "Insulte")
    assert counts(asker) == [] and counts(named) == []  # nothing before the commit
    db.session.commit()
    assert counts(asker) == [0] and counts(named) == [0]
    assert bystander.get_received() == []  # told about nothing: hears nothing
    with app.test_request_context():
        threads.restore_message(told.gardener, told.reply, "Erreur")
    db.session.commit()
    assert counts(asker) == [1] and counts(named) == [1]
    assert bystander.get_received() == []
    for sock in (asker, named, bystander):
        sock.disconnect()


def test_a_hiding_rolled_back_pushes_nothing(app, api_token, told) -> None:  # type: ignore[no-untyped-def]
    (asker,) = bells(app, api_token, told.asker)
    with app.test_request_context():
        threads.hide_message(told.gardener, told.reply, "Insulte")
    db.session.rollback()
    assert counts(asker) == []
    asker.disconnect()


def test_hiding_from_the_thread_page_reaches_the_bell(app, api_token, client, told) -> None:  # type: ignore[no-untyped-def]
    """Through a real door: the page's form, committed by the seam."""
    (asker,) = bells(app, api_token, told.asker)
    client.login_as(told.gardener)
    response = client.post_form(f"/threads/messages/{told.reply.id}/hide", {"reason": "Insulte"})
    assert response.status_code == 302
    assert counts(asker) == [0]
    asker.disconnect()


def test_a_deleted_reply_leaves_the_open_bells(app, api_token, told) -> None:  # type: ignore[no-untyped-def]
    asker, named, bystander = bells(app, api_token, told.asker, told.named, told.bystander)
    with app.test_request_context():
        threads.delete_message(told.writer, told.reply)
    db.session.commit()
    assert counts(asker) == [0] and counts(named) == [0]
    assert bystander.get_received() == []
    for sock in (asker, named, bystander):
        sock.disconnect()


def test_a_notification_already_read_changes_no_bell(app, api_token, told) -> None:  # type: ignore[no-untyped-def]
    from community.notifications.services import mark_read

    mark_read(told.asker)
    db.session.commit()
    (asker,) = bells(app, api_token, told.asker)
    with app.test_request_context():
        threads.hide_message(told.gardener, told.reply, "Insulte")
    db.session.commit()
    assert counts(asker) == []
    asker.disconnect()


def test_what_she_read_live_leaves_her_other_bells(app, api_token, told) -> None:  # type: ignore[no-untyped-def]
    """The reply read in the thread (`thread:read`) is read news: her bells, this page's and
    her other tabs', drop it; a read that reads no news pushes nothing."""
    reader, other_tab = bells(app, api_token, told.asker, told.asker)
    join = {"thread_id": told.thread.id, "read": False}
    assert reader.emit("thread:join", join, callback=True)["ok"]
    read = {"thread_id": told.thread.id, "seq": told.reply.seq}
    assert reader.emit("thread:read", read, callback=True)["ok"]
    assert counts(other_tab) == [0] and counts(reader) == [0]
    assert reader.emit("thread:read", read, callback=True)["ok"]
    assert counts(other_tab) == []
    for sock in (reader, other_tab):
        sock.disconnect()
