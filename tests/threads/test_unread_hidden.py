"""A hidden (moderated) message is no news: the unread counts of the thread lists and the
bell's count of notifications leave it out, and count it again once it is restored."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from community.extensions import db
from community.notifications.services import notifications_of, unread_count
from community.threads import reading
from community.threads import services as threads
from tests.factories import make_community, make_member, make_thread


@pytest.fixture(autouse=True)
def _request(app: Flask) -> Any:
    with app.test_request_context():
        yield


def test_a_hidden_message_is_not_unread_in_the_thread_lists() -> None:
    reader, writer, gardener = make_member(), make_member(), make_member()
    community = make_community(citizen=gardener, members=(reader, writer))
    thread = make_thread(community, "Le bac est plein")
    threads.post_message(writer, thread, "On le vide samedi ?", "a")
    rude = threads.post_message(writer, thread, "Vous êtes nuls.", "b").message
    threads.post_message(writer, thread, "Pardon, je m'emporte.", "c")
    assert reading.unread_counts(reader, [thread]) == {thread.id: 3}
    threads.hide_message(gardener, rude, "Insulte")
    assert reading.unread_counts(reader, [thread]) == {thread.id: 2}
    threads.restore_message(gardener, rude, "Erreur")
    assert reading.unread_counts(reader, [thread]) == {thread.id: 3}
    reading.mark_read(reader, thread, 2)
    threads.hide_message(gardener, rude, "Insulte")
    assert reading.unread_counts(reader, [thread]) == {thread.id: 1}


def test_a_reply_hidden_leaves_the_bell() -> None:
    asker, writer, gardener = make_member(), make_member(), make_member()
    community = make_community(citizen=gardener, members=(asker, writer))
    thread = make_thread(community, "Qui a la clé ?")
    question = threads.post_message(asker, thread, "Qui a la clé ?", "q").message
    reply = threads.post_message(writer, thread, "Toi, idiot.", "r", reply_to=question.id).message
    assert unread_count(asker) == 1
    threads.hide_message(gardener, reply, "Insulte")
    assert unread_count(asker) == 0
    # The unread list says the same as the count (`?unread=1`, the API's `?unread=true`).
    assert db.session.execute(notifications_of(asker, unread_only=True)).scalars().all() == []
    assert len(db.session.execute(notifications_of(asker)).scalars().all()) == 1
    threads.restore_message(gardener, reply, "Erreur")
    assert unread_count(asker) == 1
    assert len(db.session.execute(notifications_of(asker, unread_only=True)).scalars().all()) == 1


def test_a_reply_its_author_deleted_leaves_the_bell_and_the_unread_list() -> None:
    """Deleted by its author (not hidden): nothing left to read, so no news either; the
    notification stays in the full list, read or not."""
    asker, writer = make_member(), make_member()
    community = make_community(members=(asker, writer))
    thread = make_thread(community, "Qui a la clé ?")
    question = threads.post_message(asker, thread, "Qui a la clé ?", "q").message
    reply = threads.post_message(writer, thread, "Moi.", "r", reply_to=question.id).message
    threads.post_message(writer, thread, "Ce soir, à la mairie.", "s", reply_to=question.id)
    assert unread_count(asker) == 2
    threads.delete_message(writer, reply)
    assert unread_count(asker) == 1
    unread = db.session.execute(notifications_of(asker, unread_only=True)).scalars().all()
    assert len(unread) == 1 and unread[0].message_id != reply.id
    assert len(db.session.execute(notifications_of(asker)).scalars().all()) == 2


def test_a_message_its_author_deleted_is_not_unread_in_the_thread_lists(
    client: Any, login_as: Any
) -> None:
    """Deleted by its author: no news in a list's count, nor where the thread opens (its first
    unread message)."""
    reader, writer = make_member(), make_member()
    community = make_community(members=(reader, writer))
    thread = make_thread(community, "Le bac est plein")
    threads.post_message(writer, thread, "On le vide samedi ?", "a")
    reading.mark_read(reader, thread, 1)
    gone = threads.post_message(writer, thread, "Oups, mauvais fil.", "b").message
    threads.post_message(writer, thread, "Samedi 10 h, alors.", "c")
    assert reading.unread_counts(reader, [thread]) == {thread.id: 2}
    threads.delete_message(writer, gone)
    assert reading.unread_counts(reader, [thread]) == {thread.id: 1}
    db.session.commit()
    login_as(reader)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    marker = page.index('id="unread"')
    assert page.index('data-seq="2"') < marker < page.index('data-seq="3"')
    assert "Oups, mauvais fil." not in page
