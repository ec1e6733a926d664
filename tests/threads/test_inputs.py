"""One input schema per act (`threads/schemas.py`): the same French message for the same
mistake at every door — the page's form, the API and the socket."""

from __future__ import annotations

import html
from typing import Any

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.threads.models import MAX_BODY_LENGTH, Message, Thread
from tests.threads.conftest import login

FR = {"Accept-Language": "fr"}
TOO_LONG = "x" * (MAX_BODY_LENGTH + 1)


def _page_says(response: Any, message: str) -> bool:
    return message in html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("ab", "Entre 3 et 160 caractères."),
        ("  a\n\n  ", "Entre 3 et 160 caractères."),  # on one line first: "a"
        ("x" * 161, "Entre 3 et 160 caractères."),
    ],
)
def test_a_title_is_refused_in_the_same_words_on_the_page_and_the_api(
    client: Any, cast: Any, api_token: Any, title: str, message: str
) -> None:
    headers = {**api_token(cast.member), **FR}
    db.session.commit()
    answer = client.post(
        f"/api/v1/communities/{cast.community.slug}/threads", json={"title": title}, headers=headers
    )
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == {"title": [message]}
    login(client, cast.member)
    page = client.post_form(
        f"/communities/{cast.community.slug}/threads", {"title": title}, headers=FR
    )
    assert page.status_code == 422 and _page_says(page, message)
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 1  # the cast's only


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "Écrivez un message."),
        (TOO_LONG, f"{MAX_BODY_LENGTH} caractères au maximum."),
    ],
)
def test_a_message_is_refused_in_the_same_words_at_the_three_doors(
    client: Any, cast: Any, api_token: Any, sio: Any, body: str, message: str
) -> None:
    headers = {**api_token(cast.member), **FR}
    db.session.commit()
    answer = client.post(
        f"/api/v1/threads/{cast.thread.id}/messages",
        json={"body": body, "client_id": "api"},
        headers=headers,
    )
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == {"body": [message]}

    ack = sio(cast.member, headers=FR).emit(
        "message:send",
        {"thread_id": cast.thread.id, "body": body, "client_id": "socket"},
        callback=True,
    )
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"
    assert ack["error"]["errors"] == {"body": [message]}

    login(client, cast.member)
    page = client.post_form(
        f"/threads/{cast.thread.id}", {"body": body, "client_id": "page"}, headers=FR
    )
    assert page.status_code == 422 and _page_says(page, message)
    assert db.session.scalar(select(func.count()).select_from(Message)) == 0


def test_a_missing_body_says_the_same_as_an_empty_one(
    client: Any, cast: Any, api_token: Any, sio: Any
) -> None:
    headers = {**api_token(cast.member), **FR}
    db.session.commit()
    answer = client.post(
        f"/api/v1/threads/{cast.thread.id}/messages", json={"client_id": "a"}, headers=headers
    )
    assert answer.get_json()["errors"] == {"body": ["Écrivez un message."]}
    ack = sio(cast.member, headers=FR).emit(
        "message:send", {"thread_id": cast.thread.id, "client_id": "s"}, callback=True
    )
    assert ack["error"]["errors"] == {"body": ["Écrivez un message."]}


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Écrivez un message."), (TOO_LONG, f"{MAX_BODY_LENGTH} caractères au maximum.")],
)
def test_an_edit_is_refused_in_the_same_words_on_the_socket_and_the_page(
    client: Any, cast: Any, sio: Any, body: str, message: str
) -> None:
    socket = sio(cast.member, headers=FR)
    sent = socket.emit(
        "message:send",
        {"thread_id": cast.thread.id, "body": "Bonjour", "client_id": "e1"},
        callback=True,
    )["message"]
    ack = socket.emit("message:edit", {"message_id": sent["id"], "body": body}, callback=True)
    assert ack["ok"] is False and ack["error"]["errors"] == {"body": [message]}
    login(client, cast.member)
    page = client.post_form(f"/threads/messages/{sent['id']}/edit", {"body": body}, headers=FR)
    assert page.status_code == 422 and _page_says(page, message)
    db.session.expire_all()
    assert db.session.get(Message, sent["id"]).body == "Bonjour"


def test_a_moderation_reason_is_refused_in_the_same_words_on_the_socket_and_the_page(
    client: Any, cast: Any, sio: Any
) -> None:
    sent = sio(cast.member).emit(
        "message:send",
        {"thread_id": cast.thread.id, "body": "Bonjour", "client_id": "m1"},
        callback=True,
    )["message"]
    ack = sio(cast.gardener, headers=FR).emit(
        "message:hide", {"message_id": sent["id"], "reason": "  "}, callback=True
    )
    assert ack["ok"] is False and ack["error"]["errors"] == {"reason": ["Indiquez un motif."]}
    login(client, cast.gardener)
    client.post_form(f"/threads/messages/{sent['id']}/hide", {"reason": "  "}, headers=FR)
    page = client.get(f"/threads/{cast.thread.id}", headers=FR)
    assert _page_says(page, "Indiquez un motif.")
    db.session.expire_all()
    assert db.session.get(Message, sent["id"]).hidden is False
