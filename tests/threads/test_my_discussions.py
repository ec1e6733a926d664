"""The discussions of initiatives and rencontres a member took part in (she posted there) are on
her home page with what is unread in them, as her communities' topics are: only those she may
still read, in one query."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from community.communities import memberships
from community.extensions import db
from community.initiatives import services as initiatives
from community.threads import reading
from community.threads import services as threads
from tests.conftest import page_text
from tests.events.factories import make_event
from tests.factories import make_community, make_member, make_thread
from tests.initiatives.factories import make_initiative


@pytest.fixture(autouse=True)
def _request(app: Flask) -> Any:
    with app.test_request_context():
        yield


def event_thread(community: Any, creator: Any, title: str) -> Any:
    """A rencontre and its discussion (the service opens one with each rencontre)."""
    thread = make_thread(community, title, kind="event")
    make_event(community, creator, title=title, thread_id=thread.id)
    return thread


def discussions(member: Any) -> list[tuple[str, int]]:
    return [(thread.title, unread) for thread, unread in reading.discussions_taken_part_in(member)]


def test_the_discussions_she_wrote_in_with_what_is_unread() -> None:
    her, other, gardener = make_member(), make_member(), make_member()
    community = make_community(citizen=gardener, members=(her, other))
    initiative = make_initiative(other, community=community, title="Un composteur partagé")
    idea = db.session.get(type(make_thread()), initiative.thread_id)
    rencontre = event_thread(community, gardener, "Atelier compost")
    topic = make_thread(community, "Le bac est plein")
    elsewhere = event_thread(community, gardener, "Balade nature")
    threads.post_message(her, idea, "Je peux aider.", "a")
    threads.post_message(her, rencontre, "Je viens avec des gants.", "b")
    threads.post_message(her, topic, "Il est plein.", "c")  # her community's: listed there
    threads.post_message(other, elsewhere, "Qui vient ?", "d")  # she never wrote there
    assert discussions(her) == [("Atelier compost", 0), ("Un composteur partagé", 0)]

    threads.post_message(other, idea, "Merci !", "e")
    threads.post_message(other, idea, "Samedi 10 h ?", "f")
    rude = threads.post_message(other, idea, "Idiot.", "g").message
    threads.hide_message(gardener, rude, "Insulte")  # a hidden message is no news
    assert discussions(her) == [("Un composteur partagé", 2), ("Atelier compost", 0)]
    reading.mark_read(her, idea, idea.last_seq)
    assert discussions(her)[0] == ("Un composteur partagé", 0)


def test_only_what_she_may_still_read() -> None:
    her, gardener, moderator = make_member(), make_member(), make_member()
    closed = make_community(visibility="on_request", citizen=gardener, members=(her,))
    open_ = make_community(citizen=moderator, members=(her,))
    rencontre = event_thread(closed, gardener, "Réunion des jardiniers")
    initiative = make_initiative(gardener, community=open_, title="Des bancs au square")
    idea = db.session.get(type(rencontre), initiative.thread_id)
    threads.post_message(her, rencontre, "J'y serai.", "a")
    threads.post_message(her, idea, "Bonne idée.", "b")
    assert {title for title, _ in discussions(her)} == {
        "Réunion des jardiniers",
        "Des bancs au square",
    }
    memberships.leave(her, closed)  # an on-request community she left: no longer hers to read
    initiatives.hide_initiative(moderator, initiative, "Publicité")  # hidden from her too
    assert discussions(her) == []
    assert [t.title for t, _ in reading.discussions_taken_part_in(gardener)] == []


def test_one_query_whatever_their_number(queries: Any) -> None:
    """One query lists them with their counts; the read predicate asks its own few questions
    (her mandates, her bans), the same whatever the number of discussions."""
    her, gardener = make_member(), make_member()
    community = make_community(citizen=gardener, members=(her,))

    def grow(units: int) -> tuple[int, int, int]:
        for _ in range(units):
            thread = event_thread(community, gardener, "Une rencontre")
            threads.post_message(her, thread, "J'y serai.")
            threads.post_message(gardener, thread, "Parfait.")
        db.session.flush()
        with queries() as log:
            found = reading.discussions_taken_part_in(her)
        assert all(unread == 1 for _, unread in found)
        listing = [s for s in log.statements if "FROM threads" in s]
        return log.count, len(listing), len(found)

    assert grow(1)[:2] == grow(5)[:2]
    assert grow(0)[1:] == (1, 6)


def test_on_her_home_page(client: Any) -> None:
    her, other = make_member(), make_member()
    community = make_community(members=(her, other))
    rencontre = event_thread(community, other, "Atelier compost")
    threads.post_message(her, rencontre, "J'y serai.", "a")
    threads.post_message(other, rencontre, "Super.", "b")
    client.login_as(her)
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert f'href="/threads/{rencontre.id}#unread"' in html
    text = page_text(response)
    assert "Atelier compost" in text and "1 non lu" in text
    client.login_as(other)  # never wrote anywhere but there: listed for her as well
    assert "Atelier compost" in page_text(client.get("/"))
