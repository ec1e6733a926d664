"""No link leads to a refusal: a page links to a discussion only for those who may open it,
and tells the others who takes part and how (`threads.doors`). The author of an initiative
always takes part in its discussion, at every door (issue "threads", findings 4 to 6)."""

from __future__ import annotations

import html
import re
from typing import Any

from sqlalchemy import select

from community.core.models import utcnow
from community.extensions import db
from community.notifications.models import Notification
from community.threads import services
from community.threads.models import Thread
from tests.factories import make_community, make_member, make_membership
from tests.initiatives.factories import make_initiative
from tests.threads.conftest import login


def _text(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def _unread(response: Any) -> list[str]:
    """The unread counts a page shows ("3 non lus"; the bell's hidden label is apart)."""
    return re.findall(r"\d+ non lus?\b", _text(response))


def _links(response: Any) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', response.get_data(as_text=True)))


def _world() -> dict[str, Any]:
    """An on-request community; an inhabitant who has not joined it proposed an initiative in
    it (the form offered it)."""
    gardener, member, proposer, pending = (make_member() for _ in range(4))
    community = make_community(
        "Les Jardins du Bourg", visibility="on_request", citizen=gardener, members=(member,)
    )
    make_membership(community, pending, status="pending")
    initiative = make_initiative(proposer, community=community, title="Un verger partagé")
    thread = db.session.get(Thread, initiative.thread_id)
    return {
        "community": community,
        "gardener": gardener,
        "member": member,
        "proposer": proposer,
        "pending": pending,
        "outsider": make_member(),
        "initiative": initiative,
        "thread": thread,
    }


# --- finding 4: the author takes part in her initiative's discussion -------------------------


def test_the_author_of_an_initiative_takes_part_in_its_discussion_at_every_door(
    client, api_token, sio
) -> None:  # type: ignore[no-untyped-def]
    world = _world()
    thread, proposer = world["thread"], world["proposer"]
    login(client, proposer)
    page = client.get(f"/initiatives/{world['initiative'].id}")
    assert f"/threads/{thread.id}" in _links(page)
    assert "Discuter de cette initiative" in _text(page)
    opened = client.get(f"/threads/{thread.id}")
    assert opened.status_code == 200 and 'id="message-form"' in opened.get_data(as_text=True)

    headers = api_token(proposer)
    posted = client.post(
        f"/api/v1/threads/{thread.id}/messages",
        json={"body": "Merci de vos idées !", "client_id": "a-1"},
        headers=headers,
    )
    assert posted.status_code == 201, posted.json
    socket = sio(proposer)
    assert socket.emit("thread:join", {"thread_id": thread.id}, callback=True)["ok"]
    sent = socket.emit(
        "message:send",
        {"thread_id": thread.id, "body": "Et par le direct.", "client_id": "a-2"},
        callback=True,
    )
    assert sent["ok"], sent

    # A member names her: she reads the thread, so she is told.
    services.post_message(world["member"], thread, f"@{proposer.display_name} bonne idée")
    db.session.flush()
    told = db.session.execute(
        select(Notification).where(
            Notification.member_id == proposer.id, Notification.kind == "mention"
        )
    ).scalars()
    assert len(list(told)) == 1


def test_others_outside_the_community_get_who_takes_part_and_how_never_a_refusal(client) -> None:  # type: ignore[no-untyped-def]
    world = _world()
    thread_url = f"/threads/{world['thread'].id}"
    initiative_url = f"/initiatives/{world['initiative'].id}"
    community_url = f"/communities/{world['community'].slug}"

    visitor = client.get(initiative_url)
    assert thread_url not in _links(visitor)
    text = _text(visitor)
    who = "Seuls les membres de la communauté « Les Jardins du Bourg »"
    assert f"{who} prennent part à ses discussions." in text
    assert "Créer mon compte" in text and "Se connecter" in text

    login(client, world["outsider"])
    outsider = client.get(initiative_url)
    assert thread_url not in _links(outsider)
    assert f"{community_url}#membership-title" in _links(outsider)
    assert "Demander à rejoindre la communauté" in _text(outsider)
    assert client.get(thread_url).status_code == 404  # and the door itself: as if it did not exist

    login(client, world["pending"])
    waiting = _text(client.get(initiative_url))
    assert "attend la réponse des jardiniers" in waiting

    login(client, world["member"])
    assert thread_url in _links(client.get(initiative_url))


# --- finding 5: the community's discussions --------------------------------------------------


def test_an_on_request_community_page_links_its_discussions_only_to_those_who_may_read(
    client,
) -> None:  # type: ignore[no-untyped-def]
    world = _world()
    slug = world["community"].slug
    index = f"/communities/{slug}/threads"
    for who in (None, "outsider", "pending"):
        if who is not None:
            login(client, world[who])
        page = client.get(f"/communities/{slug}")
        assert index not in _links(page), who
        assert "prennent part à ses discussions" in _text(page), who
    login(client, world["member"])
    assert index in _links(client.get(f"/communities/{slug}"))


def test_the_discussions_page_explains_instead_of_refusing(client) -> None:  # type: ignore[no-untyped-def]
    world = _world()
    slug = world["community"].slug
    services.create_thread(world["member"], world["community"], "Sujet entre membres")
    db.session.flush()
    visitor = client.get(f"/communities/{slug}/threads")
    assert visitor.status_code == 401
    assert "Sujet entre membres" not in _text(visitor)
    assert "Créer mon compte" in _text(visitor)
    login(client, world["outsider"])
    outsider = client.get(f"/communities/{slug}/threads")
    assert outsider.status_code == 403
    assert "Sujet entre membres" not in _text(outsider)
    assert "Demander à rejoindre la communauté" in _text(outsider)
    assert f"/communities/{slug}" in _links(outsider)


def test_the_discussions_page_links_back_counts_for_members_and_offers_to_join(client) -> None:  # type: ignore[no-untyped-def]
    member, reader = make_member(), make_member()
    community = make_community("Le Potager", members=(member,))
    thread = services.create_thread(member, community, "Les semis")
    for n in range(3):
        services.post_message(member, thread, f"Message {n}")
    db.session.flush()
    index = f"/communities/{community.slug}/threads"

    login(client, reader)  # reads an open community, has not joined it
    page = client.get(index)
    assert f"/communities/{community.slug}" in _links(page)
    assert _unread(page) == []
    assert "Rejoindre la communauté" in _text(page)
    assert _unread(client.get(f"/communities/{community.slug}")) == []

    other = make_member()
    make_membership(community, other)
    db.session.flush()
    login(client, other)
    assert _unread(client.get(index)) == ["3 non lus"]
    assert _unread(client.get(f"/communities/{community.slug}")) == ["3 non lus"]


def test_a_logged_out_thread_page_offers_to_log_in_or_sign_up_and_come_back(client) -> None:  # type: ignore[no-untyped-def]
    community = make_community("Le Lavoir")
    thread = services.create_thread(make_member("staff"), community, "Ouvert à tous")
    db.session.flush()
    page = client.get(f"/threads/{thread.id}")
    assert page.status_code == 200
    links = _links(page)
    assert f"/auth/signup?next=/threads/{thread.id}" in links
    assert f"/auth/login?next=/threads/{thread.id}" in links


# --- finding 6: no reply to a hidden message -------------------------------------------------


def test_a_hidden_message_offers_no_reply_and_takes_none(client, api_token, sio) -> None:  # type: ignore[no-untyped-def]
    gardener, member, writer = make_member(), make_member(), make_member()
    community = make_community(citizen=gardener, members=(member, writer))
    thread = services.create_thread(member, community, "Un sujet")
    hidden = services.post_message(writer, thread, "Hors charte").message
    shown = services.post_message(writer, thread, "Bienvenue").message
    services.hide_message(gardener, hidden, "hors charte")
    db.session.flush()
    for who in (member, gardener, writer):
        login(client, who)
        links = _links(client.get(f"/threads/{thread.id}"))
        assert any(f"reply_to={shown.id}" in link for link in links), who
        assert not any(f"reply_to={hidden.id}" in link for link in links), who
    refused = client.post(
        f"/api/v1/threads/{thread.id}/messages",
        json={"body": "Je réponds", "client_id": "r-1", "reply_to": hidden.id},
        headers=api_token(member),
    )
    assert refused.status_code == 422 and "reply_to" in refused.json["errors"]
    ack = sio(member).emit(
        "message:send",
        {"thread_id": thread.id, "body": "Moi aussi", "client_id": "r-2", "reply_to": hidden.id},
        callback=True,
    )
    assert ack["ok"] is False and "reply_to" in ack["error"]["errors"], ack


# --- finding 3: what one may not read is not found, at every door ----------------------------


def test_a_hidden_initiatives_thread_is_not_found_like_the_initiative(
    client, api_token, sio
) -> None:  # type: ignore[no-untyped-def]
    gardener, author, member = make_member(), make_member(), make_member()
    community = make_community(citizen=gardener, members=(author, member))
    initiative = make_initiative(author, community=community, title="Un four à pain")
    thread = db.session.get(Thread, initiative.thread_id)
    said = services.post_message(member, thread, "Je peux aider").message
    initiative.hidden_at = utcnow()
    db.session.flush()
    headers = api_token(member)
    missing = client.get("/api/v1/threads/999999", headers=headers)
    for url in (f"/api/v1/threads/{thread.id}", f"/api/v1/threads/{thread.id}/messages"):
        answer = client.get(url, headers=headers)
        assert answer.status_code == 404 and answer.json == missing.json, url
    assert client.get(f"/api/v1/initiatives/{initiative.id}", headers=headers).status_code == 404
    socket = sio(member)  # her own message, in a thread she may no longer read
    for event, payload in (
        ("message:edit", {"message_id": said.id, "body": "modifié"}),
        ("message:delete", {"message_id": said.id}),
        ("thread:join", {"thread_id": thread.id}),
    ):
        ack = socket.emit(event, payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "not_found", (event, ack)
    login(client, member)
    assert client.get(f"/threads/messages/{said.id}/edit").status_code == 404
    # Her author and its moderators still read it; what they may not do is refused (403/423).
    assert sio(gardener).emit("thread:join", {"thread_id": thread.id}, callback=True)["ok"]
    ack = sio(gardener).emit("message:edit", {"message_id": said.id, "body": "x"}, callback=True)
    assert ack["error"]["code"] == "forbidden", ack


def test_the_authors_thread_page_links_to_the_community_not_to_its_closed_discussions(
    client,
) -> None:  # type: ignore[no-untyped-def]
    world = _world()
    slug = world["community"].slug
    login(client, world["proposer"])
    links = _links(client.get(f"/threads/{world['thread'].id}"))
    assert f"/communities/{slug}/threads" not in links and f"/communities/{slug}" in links
    login(client, world["member"])
    assert f"/communities/{slug}/threads" in _links(client.get(f"/threads/{world['thread'].id}"))


def test_a_gardener_held_back_from_posting_is_never_offered_to_join() -> None:
    """Found walking: a gardener is in the community she gardens, member or not (the one on
    the town's side holds no membership); when something else holds her back — here the
    thread of a hidden initiative — no door offers her to join it."""
    from community.threads.doors import CLOSED, JOIN, taking_part

    technician, author, staff = make_member("staff"), make_member(), make_member("staff")
    community = make_community(technician=technician, members=(author,))
    initiative = make_initiative(author, community=community, title="Un four à pain")
    thread = db.session.get(Thread, initiative.thread_id)
    initiative.hidden_at = utcnow()
    db.session.flush()
    assert taking_part(technician, thread).way == CLOSED
    assert taking_part(staff, thread).way == JOIN  # staff who does not garden it
