"""Thread pages and the JSON API: reading, posting (same service, same broadcast), moderation."""

from __future__ import annotations

from typing import Any

import pytest

from community.extensions import db, socketio
from community.moderation.models import ModerationAction
from community.threads import services
from community.threads.models import Message, Thread
from tests.factories import make_thread
from tests.threads.conftest import build_cast, login, received


def post(member: Any, thread: Any, body: str = "Bonjour", client_id: str | None = None) -> Message:
    return services.post_message(member, thread, body, client_id).message


def test_page_renders_latest_messages_and_last_seq(client: Any, cast: Any) -> None:
    for n in range(55):
        post(cast.member, cast.thread, f"message numéro {n}")
    page = client.get(f"/threads/{cast.thread.id}").get_data(as_text=True)
    assert 'data-last-seq="55"' in page
    assert "message numéro 54" in page and "message numéro 4<" not in page
    assert f"/threads/{cast.thread.id}?before=6" in page
    earlier = client.get(f"/threads/{cast.thread.id}?before=6").get_data(as_text=True)
    assert "message numéro 0" in earlier and "message numéro 5<" not in earlier


def test_page_query_count_is_flat(client: Any, cast: Any, queries: Any) -> None:
    login(client, cast.member)
    post(cast.gardener, cast.thread)
    client.get(f"/threads/{cast.thread.id}")
    post(cast.gardener, cast.thread)  # both pages below have an unread message to mark read
    with queries() as few:
        client.get(f"/threads/{cast.thread.id}")
    for n in range(30):
        post(cast.gardener if n % 2 else cast.technician, cast.thread, f"m{n}")
    with queries() as many:
        client.get(f"/threads/{cast.thread.id}")
    assert many.count <= few.count + 1


def test_no_js_form_posts_and_broadcasts(app: Any, client: Any, cast: Any, sio: Any) -> None:
    reader = sio(cast.citizen)
    reader.emit("thread:join", {"thread_id": cast.thread.id}, callback=True)
    reader.get_received()
    login(client, cast.member)
    data = {"body": "Par le formulaire", "client_id": "form-1"}
    response = client.post_form(f"/threads/{cast.thread.id}", data)
    assert response.status_code == 302
    again = client.post_form(f"/threads/{cast.thread.id}", data)  # double submit
    assert again.status_code == 302
    assert db.session.query(Message).count() == 1
    assert [m["client_id"] for m in received(reader, "message:new")] == ["form-1"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Par le formulaire" in page


def test_no_js_form_errors(client: Any, cast: Any) -> None:
    login(client, cast.member)
    response = client.post_form(f"/threads/{cast.thread.id}", {"body": ""})
    assert response.status_code == 422 and 'aria-invalid="true"' in response.get_data(as_text=True)
    assert (
        client.post(f"/threads/{cast.thread.id}", data={"body": "x"}).status_code == 400
    )  # no CSRF


def test_outsider_cannot_post_by_form(client: Any, cast: Any) -> None:
    login(client, cast.citizen)
    assert client.post_form(f"/threads/{cast.thread.id}", {"body": "x"}).status_code == 403
    client.get("/")
    assert db.session.query(Message).count() == 0


def test_unread_marker(client: Any, cast: Any) -> None:
    post(cast.member, cast.thread, "lu")
    login(client, cast.gardener)
    assert "unread-marker" not in client.get(f"/threads/{cast.thread.id}").get_data(as_text=True)
    post(cast.member, cast.thread, "pas encore lu")
    page = client.get(f"/threads/{cast.thread.id}").get_data(as_text=True)
    assert page.index("unread-marker") < page.index("pas encore lu") and page.index(
        "lu<"
    ) < page.index("unread-marker")
    assert "unread-marker" not in client.get(f"/threads/{cast.thread.id}").get_data(as_text=True)


def test_edit_delete_hide_pages(client: Any, cast: Any) -> None:
    message = post(cast.member, cast.thread, "Premier jet")
    login(client, cast.member)
    client.post_form(f"/threads/messages/{message.id}/edit", {"body": "Version finale"})
    page = client.get(f"/threads/{cast.thread.id}").get_data(as_text=True)
    assert "Version finale" in page and "modifié" in page
    login(client, cast.gardener)
    client.post_form(f"/threads/messages/{message.id}/hide", {"reason": "Hors charte"})
    assert db.session.get(Message, message.id).hidden
    login(client, cast.citizen)
    page = client.get(f"/threads/{cast.thread.id}").get_data(as_text=True)
    assert "Version finale" not in page and "caché par la modération" in page
    login(client, cast.member)
    assert "Version finale" in client.get(f"/threads/{cast.thread.id}").get_data(as_text=True)
    client.post_form(f"/threads/messages/{message.id}/delete")
    page = client.get(f"/threads/{cast.thread.id}").get_data(as_text=True)
    assert "message supprimé" in page and "Version finale" not in page


def test_lock_and_pin(client: Any, cast: Any) -> None:
    login(client, cast.member)
    assert client.post_form(f"/threads/{cast.thread.id}/lock").status_code == 403
    login(client, cast.gardener)
    client.post_form(f"/threads/{cast.thread.id}/lock")
    client.post_form(f"/threads/{cast.thread.id}/pin")
    thread = db.session.get(Thread, cast.thread.id)
    assert thread.locked and thread.pinned
    action = db.session.query(ModerationAction).one()
    assert (action.action, action.target_type, action.target_id) == ("lock", "thread", thread.id)
    login(client, cast.member)
    assert client.post_form(f"/threads/{cast.thread.id}", {"body": "x"}).status_code == 423


def test_community_threads_page_and_create(client: Any, cast: Any) -> None:
    make_thread(cast.community, title="Épinglé", pinned=True)
    page = client.get(f"/communities/{cast.community.slug}/threads").get_data(as_text=True)
    assert page.index("Épinglé") < page.index("Un sujet")
    login(client, cast.member)
    response = client.post_form(
        f"/communities/{cast.community.slug}/threads", {"title": "Composteur collectif"}
    )
    assert response.status_code == 302
    login(client, cast.citizen)
    assert (
        client.post_form(
            f"/communities/{cast.community.slug}/threads", {"title": "Intrus"}
        ).status_code
        == 403
    )


def test_on_request_thread_hidden_from_outsiders(client: Any) -> None:
    cast = build_cast("on_request")
    # Not readable: as for a thread that does not exist (the visibility layer decides).
    assert client.get(f"/threads/{cast.thread.id}").status_code == 404
    login(client, cast.citizen)
    assert client.get(f"/threads/{cast.thread.id}").status_code == 404
    assert client.get(f"/communities/{cast.community.slug}/threads").status_code == 403
    login(client, cast.member)
    assert client.get(f"/threads/{cast.thread.id}").status_code == 200


# --- JSON API ---------------------------------------------------------------------------------


def test_api_post_message_same_broadcast(client: Any, cast: Any, api_token: Any, sio: Any) -> None:
    reader = sio(cast.citizen)
    reader.emit("thread:join", {"thread_id": cast.thread.id}, callback=True)
    reader.get_received()
    headers = api_token(cast.member)
    url = f"/api/v1/threads/{cast.thread.id}/messages"
    response = client.post(url, json={"body": "Par l'API", "client_id": "api-1"}, headers=headers)
    assert response.status_code == 201
    assert response.json["seq"] == 1 and response.json["author"]["id"] == cast.member.id
    assert received(reader, "message:new") == [response.json]
    again = client.post(url, json={"body": "Par l'API", "client_id": "api-1"}, headers=headers)
    assert again.status_code == 200 and again.json == response.json


@pytest.mark.parametrize(
    "role, body, status",
    [
        ("member", {"body": ""}, 422),
        ("member", {"body": "x" * 4001}, 422),
        ("member", {"client_id": "x"}, 422),
        ("citizen", {"body": "x"}, 403),
        (None, {"body": "x"}, 401),
    ],
)
def test_api_post_errors(
    client: Any, cast: Any, api_token: Any, role: str | None, body: Any, status: int
) -> None:
    headers = api_token(cast.role(role)) if role else {}
    response = client.post(f"/api/v1/threads/{cast.thread.id}/messages", json=body, headers=headers)
    assert response.status_code == status and response.json["status"] == status


def test_api_locked_and_unknown(client: Any, cast: Any, api_token: Any) -> None:
    headers = api_token(cast.member)
    cast.thread.locked = True
    db.session.flush()
    locked = client.post(
        f"/api/v1/threads/{cast.thread.id}/messages", json={"body": "x"}, headers=headers
    )
    assert locked.status_code == 423 and locked.json["code"] == "locked"
    assert (
        client.post(
            "/api/v1/threads/99999/messages", json={"body": "x"}, headers=headers
        ).status_code
        == 404
    )
    assert client.get("/api/v1/threads/99999").status_code == 404


def test_api_read_thread_and_messages(client: Any, cast: Any) -> None:
    for n in range(5):
        post(cast.member, cast.thread, f"m{n}")
    thread = client.get(f"/api/v1/threads/{cast.thread.id}").json
    assert thread["last_seq"] == 5 and thread["community"] == cast.community.slug
    response = client.get(f"/api/v1/threads/{cast.thread.id}/messages?after_seq=2&limit=2")
    assert [m["seq"] for m in response.json] == [3, 4] and response.headers["X-More"] == "true"
    assert client.get(f"/api/v1/threads/{cast.thread.id}/messages?limit=500").status_code == 422


def test_api_hidden_body_only_for_author_and_moderators(
    client: Any, cast: Any, api_token: Any
) -> None:
    message = post(cast.member, cast.thread, "secret")
    services.hide_message(cast.gardener, message, "raison")
    url = f"/api/v1/threads/{cast.thread.id}/messages"
    for role, visible in (
        ("citizen", False),
        ("member", True),
        ("gardener", True),
        ("staff", True),
    ):
        body = client.get(url, headers=api_token(cast.role(role))).json[0]["body_html"]
        assert ("secret" in body) is visible, role


def test_api_community_threads(client: Any, cast: Any, api_token: Any) -> None:
    url = f"/api/v1/communities/{cast.community.slug}/threads"
    listed = client.get(url)
    assert (
        listed.status_code == 200
        and listed.json[0]["id"] == cast.thread.id
        and "X-Pagination" in listed.headers
    )
    created = client.post(url, json={"title": "Nouveau sujet"}, headers=api_token(cast.member))
    assert created.status_code == 201 and created.json["title"] == "Nouveau sujet"
    assert (
        client.post(url, json={"title": "Nope"}, headers=api_token(cast.citizen)).status_code == 403
    )
    assert client.post(url, json={"title": "x"}, headers=api_token(cast.member)).status_code == 422
    assert client.get("/api/v1/communities/nope/threads").status_code == 404
    closed = build_cast("on_request")
    assert client.get(f"/api/v1/communities/{closed.community.slug}/threads").status_code == 401
    headers = api_token(closed.citizen)
    assert client.get(f"/api/v1/threads/{closed.thread.id}", headers=headers).status_code == 404


def test_socket_test_client_shares_no_state(app: Any) -> None:
    assert socketio.server is not None


def test_one_moderation_form_per_page(client: Any, cast: Any) -> None:
    """Moderators get one form for the page; each message's button names its act and target."""
    messages = [post(cast.member, cast.thread, f"Message {i}") for i in range(4)]
    login(client, cast.gardener)
    page = client.get(f"/threads/{cast.thread.id}").get_data(as_text=True)
    assert page.count('id="moderate-messages"') == 1 and page.count('name="reason"') == 1
    assert page.count('form="moderate-messages"') == 4
    target = messages[1]
    url = f"/threads/{cast.thread.id}/moderate"
    client.post_form(url, {"target": f"hide:{target.id}"})  # no reason: refused
    assert not db.session.get(Message, target.id).hidden
    client.post_form(url, {"target": f"hide:{target.id}", "reason": "Hors charte"})
    assert db.session.get(Message, target.id).hidden
    assert not any(db.session.get(Message, m.id).hidden for m in messages if m is not target)
    page = client.get(f"/threads/{cast.thread.id}").get_data(as_text=True)
    assert f'value="restore:{target.id}"' in page
    client.post_form(url, {"target": f"restore:{target.id}", "reason": "Erreur"})
    assert not db.session.get(Message, target.id).hidden
    assert client.post_form(url, {"target": "erase:1", "reason": "x"}).status_code == 400
    login(client, cast.member)  # not a moderator
    client.post_form(url, {"target": f"hide:{target.id}", "reason": "Hors charte"})
    assert not db.session.get(Message, target.id).hidden


def test_the_page_loads_only_the_columns_it_shows(client: Any, cast: Any, queries: Any) -> None:
    for i in range(3):
        post(cast.member, cast.thread, f"Message {i}")
    with queries() as log:
        page = client.get(f"/threads/{cast.thread.id}")
    assert page.status_code == 200 and "Message 2" in page.get_data(as_text=True)
    loading = [s for s in log.statements if "FROM messages" in s and "ORDER BY messages.seq" in s]
    assert len(loading) == 1
    assert "messages.body," not in loading[0] and "messages.body " not in loading[0]
    assert "email" not in loading[0] and "neighbourhoods" not in loading[0]


def test_the_reply_hint_names_whom_she_answers_and_offers_to_stop(client: Any, cast: Any) -> None:
    """Found walking: "Vous répondez à un message." said neither which one nor how to stop."""
    question = post(cast.gardener, cast.thread, "Qui a la clé ?")
    login(client, cast.member)
    page = client.get(f"/threads/{cast.thread.id}?reply_to={question.id}").get_data(as_text=True)
    name = cast.gardener.display_name.rstrip(".")
    assert f'id="reply-hint">Vous répondez au message de {name}.</p>' in page
    assert f'href="/threads/{cast.thread.id}#message-form">Ne plus répondre</a>' in page
    assert f'name="reply_to" type="hidden" value="{question.id}"' in page
    assert 'aria-describedby="reply-hint body-hint"' in page
    # Without the reply: no hint, the field described by its own hint only.
    plain = client.get(f"/threads/{cast.thread.id}").get_data(as_text=True)
    assert "reply-hint" not in plain and 'aria-describedby="body-hint"' in plain
    # An erased author is named as everywhere on the page.
    question.author_id = None
    db.session.flush()
    db.session.expire(question)
    erased = client.get(f"/threads/{cast.thread.id}?reply_to={question.id}").get_data(as_text=True)
    assert "Vous répondez au message d'un compte supprimé." in erased


def test_a_reply_to_what_cannot_be_answered_is_dropped_from_the_form(
    client: Any, cast: Any
) -> None:
    hidden = post(cast.gardener, cast.thread, "Hors charte")
    services.hide_message(cast.gardener, hidden, "hors charte")
    deleted = post(cast.member, cast.thread, "Oups")
    services.delete_message(cast.member, deleted)
    elsewhere = post(cast.gardener, make_thread(cast.community), "Ailleurs")
    db.session.flush()
    login(client, cast.member)
    for reply_to in (hidden.id, deleted.id, elsewhere.id, 10**9, "abc"):
        page = client.get(f"/threads/{cast.thread.id}?reply_to={reply_to}").get_data(as_text=True)
        assert "reply-hint" not in page, reply_to
        assert 'name="reply_to" type="hidden" value=""' in page, reply_to
