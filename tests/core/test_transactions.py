"""One transaction per request or event, by structure (`core/handlers.py`, `core/sockets.py`).

Every view, API endpoint and socket event runs in one transaction: committed when the handler
returns, rolled back on any exception and on an answer of 400 or more. A service that raises
after it flushed leaves nothing behind, whichever door the act came through; after-commit
effects run only once committed; handler modules never commit themselves.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

import community
from community.core.errors import Conflict, Invalid
from community.core.handlers import in_request_transaction, keep_despite_refusal
from community.core.signals import on_commit
from community.events import registrations as events_registrations
from community.extensions import db, socketio
from community.members.models import Member
from community.threads import services
from community.threads.models import Message, Thread
from tests.events.factories import make_event
from tests.factories import PASSWORD, make_member
from tests.threads.conftest import build_cast, login

TITLE = "Ouvert puis refusé"
ROOT = Path(community.__file__).parent


@pytest.fixture
def cast(app: Any) -> Any:
    return build_cast("open")


@pytest.fixture
def sio(app: Any, api_token: Any) -> Any:
    """`sio(member)`: a Socket.IO test client authenticated with a token."""
    clients: list[Any] = []

    def connect(member: Any) -> Any:
        token = api_token(member)["Authorization"].split()[1]
        client = socketio.test_client(app, auth={"token": token})
        assert client.is_connected()
        clients.append(client)
        return client

    yield connect
    for client in clients:
        if client.is_connected():
            client.disconnect()


@pytest.fixture
def effects() -> list[str]:
    return []


@pytest.fixture
def failing_create(monkeypatch: pytest.MonkeyPatch, effects: list[str]) -> None:
    """`create_thread` opens the topic (flushed: it has an id), queues an after-commit
    effect, then refuses."""
    real = services.create_thread

    def create_then_refuse(*args: Any, **kwargs: Any) -> Any:
        thread = real(*args, **kwargs)
        assert thread.id is not None
        on_commit(lambda: effects.append("sent"))
        raise Invalid("refusé après coup", {"title": ["refusé après coup"]})

    monkeypatch.setattr(services, "create_thread", create_then_refuse)


@pytest.fixture
def crashing_create(app: Any, monkeypatch: pytest.MonkeyPatch, effects: list[str]) -> None:
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # answered, as in production
    real = services.create_thread

    def create_then_crash(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        on_commit(lambda: effects.append("sent"))
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "create_thread", create_then_crash)


def _threads_titled(title: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).where(Thread.title == title)) or 0


# --- HTML ----------------------------------------------------------------------------------


def test_html_form_refused_after_a_flush_keeps_nothing(
    client: Any, cast: Any, failing_create: None, effects: list[str]
) -> None:
    db.session.commit()
    login(client, cast.member)
    response = client.post_form(f"/communities/{cast.community.slug}/threads", {"title": TITLE})
    assert response.status_code == 422  # the form again, with the refusal on its field
    assert "refusé après coup" in response.get_data(as_text=True)
    assert _threads_titled(TITLE) == 0
    assert effects == []


def test_html_crash_after_a_flush_keeps_nothing(
    client: Any, cast: Any, crashing_create: None, effects: list[str]
) -> None:
    db.session.commit()
    login(client, cast.member)
    response = client.post_form(f"/communities/{cast.community.slug}/threads", {"title": TITLE})
    assert response.status_code == 500
    assert _threads_titled(TITLE) == 0
    assert effects == []


def test_html_flashed_refusal_keeps_nothing(
    client: Any, cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A button whose refusal is flashed (`attempt` / `refusal_undone`): the page answers 302
    and still keeps nothing of what the service wrote before refusing."""
    event = make_event(cast.community)
    member = cast.member
    db.session.commit()

    def register_then_refuse(who: Member, _event: Any) -> Any:
        who.display_name = "Changé puis refusé"
        db.session.flush()
        raise Conflict("plus de place")

    monkeypatch.setattr(events_registrations, "register", register_then_refuse)
    login(client, member)
    response = client.post_form(f"/events/{event.id}/rsvp")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Member, member.id).display_name != "Changé puis refusé"


def test_html_success_commits_then_runs_the_effects(client: Any, cast: Any) -> None:
    db.session.commit()
    login(client, cast.member)
    response = client.post_form(f"/communities/{cast.community.slug}/threads", {"title": TITLE})
    assert response.status_code == 302  # to the new topic: its id came from the flush
    thread = db.session.execute(select(Thread).where(Thread.title == TITLE)).scalar_one()
    assert response.headers["Location"].endswith(f"/threads/{thread.id}")


# --- API -----------------------------------------------------------------------------------


def test_api_refused_after_a_flush_keeps_nothing(
    client: Any, cast: Any, api_token: Any, failing_create: None, effects: list[str]
) -> None:
    headers = api_token(cast.member)
    db.session.commit()
    response = client.post(
        f"/api/v1/communities/{cast.community.slug}/threads", json={"title": TITLE}, headers=headers
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"title": ["refusé après coup"]}
    assert _threads_titled(TITLE) == 0
    assert effects == []


def test_api_crash_after_a_flush_keeps_nothing(
    client: Any, cast: Any, api_token: Any, crashing_create: None, effects: list[str]
) -> None:
    headers = api_token(cast.member)
    db.session.commit()
    response = client.post(
        f"/api/v1/communities/{cast.community.slug}/threads", json={"title": TITLE}, headers=headers
    )
    assert response.status_code == 500
    assert response.get_json()["status"] == 500
    assert _threads_titled(TITLE) == 0
    assert effects == []


def test_api_refusal_that_keeps_what_it_recorded(client: Any) -> None:
    """The one explicit exception (`keep_despite_refusal`): a token refused to an account not
    confirmed yet still records the login."""
    member = make_member(confirmed=False)
    db.session.commit()
    response = client.post("/api/v1/tokens", json={"email": member.email, "password": PASSWORD})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Member, member.id).last_login_at is not None


# --- sockets -------------------------------------------------------------------------------


@pytest.mark.parametrize("failure", [Invalid("refusé après coup"), RuntimeError("boom")])
def test_socket_refused_after_a_flush_keeps_nothing(
    sio: Any, cast: Any, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    socket = sio(cast.member)
    message = socket.emit(
        "message:send",
        {"thread_id": cast.thread.id, "body": "avant", "client_id": "t1"},
        callback=True,
    )["message"]
    effects: list[str] = []
    real = services.edit_message

    def edit_then_fail(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        on_commit(lambda: effects.append("sent"))
        raise failure

    monkeypatch.setattr(services, "edit_message", edit_then_fail)
    ack = socket.emit("message:edit", {"message_id": message["id"], "body": "après"}, callback=True)
    assert ack["ok"] is False
    assert ack["error"]["code"] == ("invalid" if isinstance(failure, Invalid) else "server_error")
    db.session.expire_all()
    assert db.session.get(Message, message["id"]).body == "avant"
    assert effects == []


def test_socket_event_commits_when_the_handler_returns(sio: Any, cast: Any) -> None:
    socket = sio(cast.member)
    message = socket.emit(
        "message:send",
        {"thread_id": cast.thread.id, "body": "avant", "client_id": "t2"},
        callback=True,
    )["message"]
    ack = socket.emit("message:edit", {"message_id": message["id"], "body": "après"}, callback=True)
    assert ack["ok"] is True
    db.session.expire_all()
    assert db.session.get(Message, message["id"]).body == "après"


# --- the seam itself -----------------------------------------------------------------------


def _answer_after_writing(status: int, effects: list[str], keep: bool = False) -> Any:
    def view() -> Any:
        member = make_member()
        on_commit(lambda: effects.append("sent"))
        if keep:
            keep_despite_refusal()
        return str(member.id), status

    response = in_request_transaction(view)
    assert response.status_code == status
    return int(response.get_data(as_text=True))


@pytest.mark.parametrize("status", [200, 201, 302])
def test_a_success_commits_and_runs_its_effects(app: Any, status: int) -> None:
    effects: list[str] = []
    with app.test_request_context():
        member_id = _answer_after_writing(status, effects)
    assert effects == ["sent"]
    assert db.session.get(Member, member_id) is not None


@pytest.mark.parametrize("status", [400, 403, 404, 409, 422])
def test_a_4xx_answer_rolls_back(app: Any, status: int) -> None:
    """The house's choice: an answer of 400 or more keeps nothing (docs/architecture.md)."""
    effects: list[str] = []
    with app.test_request_context():
        member_id = _answer_after_writing(status, effects)
    assert effects == []
    assert db.session.get(Member, member_id) is None


def test_keep_despite_refusal_commits_a_4xx(app: Any) -> None:
    effects: list[str] = []
    with app.test_request_context():
        member_id = _answer_after_writing(403, effects, keep=True)
    assert effects == ["sent"]
    assert db.session.get(Member, member_id) is not None


def test_keep_despite_refusal_commits_before_a_raised_refusal(app: Any) -> None:
    with app.test_request_context():
        made: list[int] = []

        def view() -> Any:
            made.append(make_member().id)
            keep_despite_refusal()
            raise Conflict("non")

        with pytest.raises(Conflict):
            in_request_transaction(view)
    assert db.session.get(Member, made[0]) is not None


def test_a_crash_rolls_back_even_with_keep(app: Any) -> None:
    with app.test_request_context():
        made: list[int] = []

        def view() -> Any:
            made.append(make_member().id)
            keep_despite_refusal()
            raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            in_request_transaction(view)
    assert db.session.get(Member, made[0]) is None


# --- handlers never commit -----------------------------------------------------------------


def _handler_modules() -> list[Path]:
    """Every module of HTML views, API endpoints and socket handlers (not the seam itself,
    `core/sockets.py`'s event wrapper)."""
    names = ("views.py", "api.py", "sockets.py")
    return sorted(
        path
        for path in ROOT.glob("*/*.py")
        if (path.name in names or path.name.endswith(("_views.py", "_api.py")))
        and path != ROOT / "core" / "sockets.py"
    )


def _session_calls(path: Path) -> list[str]:
    """The `….session.commit()` and `….session.rollback()` calls of a module."""
    return [
        f"{path.name}:{node.lineno} {node.func.attr}()"
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"commit", "rollback"}
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.attr == "session"
    ]


def test_handler_modules_never_commit_nor_roll_back() -> None:
    modules = _handler_modules()
    assert len(modules) > 20  # the walk finds them
    calls = [f"{path.parent.name}/{call}" for path in modules for call in _session_calls(path)]
    assert calls == [], (
        "Handlers leave the transaction to the seam (core/handlers.py): "
        "use form_action, attempt or refusal_undone for a refusal shown on a page, "
        "transaction() inside a write turn. Found: " + ", ".join(calls)
    )


def test_the_walk_would_see_a_commit(tmp_path: Path) -> None:
    module = tmp_path / "views.py"
    module.write_text("from x import db\n\ndef view():\n    db.session.commit()\n")
    assert _session_calls(module) == ["views.py:4 commit()"]
