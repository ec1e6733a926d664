"""One transaction per request or event: a service that raises after it flushed leaves
nothing behind, whichever door the act came through (HTML, API, socket)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, func, select

from community.core.errors import Invalid
from community.extensions import db
from community.threads import posting
from community.threads.models import Message, ThreadRead
from tests.threads.conftest import login

BODY = "Écrit puis refusé"


@pytest.fixture
def failing_post(monkeypatch: pytest.MonkeyPatch) -> None:
    """`store_message` (the write step of every door) stores the message (flushed, seq
    taken) without its sender's read mark, then fails: a handler that went on to commit
    anything (the page marks what it shows as read) would keep the half-written message."""
    real = posting.store_message

    def post_then_fail(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        db.session.execute(delete(ThreadRead))
        db.session.flush()
        raise Invalid("refusé après coup", {"body": ["refusé après coup"]})

    monkeypatch.setattr(posting, "store_message", post_then_fail)


def _left_behind(cast: Any) -> tuple[int, int]:
    db.session.expire_all()
    messages = db.session.scalar(select(func.count()).where(Message.body == BODY))
    seq = db.session.scalar(select(cast.thread.__class__.last_seq).where(
        cast.thread.__class__.id == cast.thread.id
    ))  # fmt: skip
    return messages or 0, seq or 0


def test_html_post_rolls_back(client: Any, cast: Any, failing_post: None) -> None:
    db.session.commit()
    login(client, cast.member)
    response = client.post_form(f"/threads/{cast.thread.id}", {"body": BODY, "client_id": "h1"})
    assert response.status_code == 422  # the form again, with the refusal
    assert "refusé après coup" in response.get_data(as_text=True)
    assert _left_behind(cast) == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(ThreadRead)) == 0


def test_api_post_rolls_back(client: Any, cast: Any, api_token: Any, failing_post: None) -> None:
    db.session.commit()
    response = client.post(
        f"/api/v1/threads/{cast.thread.id}/messages",
        json={"body": BODY, "client_id": "a1"},
        headers=api_token(cast.member),
    )
    assert response.status_code == 422
    assert _left_behind(cast) == (0, 0)


def test_socket_send_rolls_back(sio: Any, cast: Any, failing_post: None) -> None:
    db.session.commit()
    ack = sio(cast.member).emit(
        "message:send",
        {"thread_id": cast.thread.id, "body": BODY, "client_id": "s1"},
        callback=True,
    )
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"
    assert _left_behind(cast) == (0, 0)


def test_a_post_that_succeeds_is_committed_once(client: Any, cast: Any) -> None:
    db.session.commit()
    login(client, cast.member)
    response = client.post_form(f"/threads/{cast.thread.id}", {"body": BODY, "client_id": "ok"})
    assert response.status_code == 302
    assert _left_behind(cast) == (1, 1)
