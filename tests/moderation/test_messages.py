"""Messages: reported, hidden by their community's gardeners, their authors told; suspended
members refused with a clear message and their sockets closed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from community.core.models import utcnow
from community.extensions import db, socketio
from community.moderation import services
from community.moderation.models import ModerationAction
from community.moderation.suspensions import suspend_from_community, suspend_from_platform
from community.notifications.models import Notification
from community.threads import services as threads
from tests.factories import make_thread


@pytest.fixture
def message(world):  # type: ignore[no-untyped-def]
    thread = make_thread(world.a, title="Le composteur")
    return threads.post_message(world.author, thread, "Tu es vraiment un idiot.").message


def notifications_of(member) -> list[Notification]:  # type: ignore[no-untyped-def]
    query = select(Notification).where(Notification.member_id == member.id)
    return list(db.session.execute(query.order_by(Notification.id)).scalars())


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("gardener_a", 200),
        ("technician_a", 200),
        ("staff", 200),
        ("gardener_b", 403),
        ("member_a", 403),
    ],
)
def test_hide_a_reported_message(world, message, client, api_token, role, status) -> None:  # type: ignore[no-untyped-def]
    with client.application.test_request_context():
        report = services.report(world.citizen, "message", message.id, "insult", "Insulte")
    assert report.community == world.a and report.target_author == world.author
    db.session.commit()
    response = client.post(
        f"/api/v1/moderation/reports/{report.id}/resolve",
        json={"action": "hide", "reason": "Insulte envers un voisin"},
        headers=api_token(world.role(role)),
    )
    assert response.status_code == status
    db.session.refresh(message)
    assert message.hidden is (status == 200)
    told = notifications_of(world.author)
    if status == 200:
        assert message.hidden_reason == "Insulte envers un voisin"
        [notification] = told
        assert notification.text == (
            "Modération\u00a0: les modérateurs ont caché votre message. "
            "Motif\u00a0: Insulte envers un voisin. Charte\u00a0: article 1 (Respect). "
            "Vous n'êtes pas d'accord\u00a0? Ouvrez cet avis pour le contester."
        )
        assert notification.url == f"/moderation/contest/message/{message.id}"
        [act] = db.session.execute(select(ModerationAction)).scalars()
        assert (act.action, act.target_type, act.report_id) == ("hide", "message", report.id)
    else:
        assert told == []


def test_the_queue_shows_the_message(world, message, client) -> None:  # type: ignore[no-untyped-def]
    with client.application.test_request_context():
        services.report(world.citizen, "message", message.id, "insult")
    client.login_as(world.gardener_a)
    html = client.get("/moderation").get_data(as_text=True)
    assert "Tu es vraiment un idiot." in html and "Le composteur" in html


def test_a_message_has_a_report_button(world, message, client) -> None:  # type: ignore[no-untyped-def]
    client.login_as(world.member_a)
    html = client.get(f"/threads/{message.thread_id}").get_data(as_text=True)
    assert f"/report?target_type=message&amp;target_id={message.id}" in html


def test_a_direct_hide_in_the_thread_is_journaled_and_told(world, message, app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        threads.hide_message(world.gardener_a, message, "Propos blessants")
    [act] = db.session.execute(select(ModerationAction)).scalars()
    assert (act.action, act.target_type, act.community) == ("hide", "message", world.a)
    [notification] = notifications_of(world.author)
    assert "Propos blessants" in notification.text and "article 6" in notification.text
    with app.test_request_context():
        threads.restore_message(world.gardener_a, message, "Après discussion")
    assert "de nouveau visible" in notifications_of(world.author)[-1].text


def test_a_suspended_member_is_told_why_they_cannot_post(world, message, client, api_token) -> None:  # type: ignore[no-untyped-def]
    until = utcnow() + timedelta(days=7)
    with client.application.test_request_context():
        suspend_from_platform(world.staff, world.author, until, "Menaces")
    headers = api_token(world.author)
    response = client.post(
        f"/api/v1/threads/{message.thread_id}/messages", json={"body": "Re"}, headers=headers
    )
    assert response.status_code == 403
    assert response.json["message"].startswith("Votre compte est suspendu jusqu'au")


def test_a_member_suspended_from_the_community_cannot_post_there(
    world, message, client, api_token
) -> None:  # type: ignore[no-untyped-def]
    with client.application.test_request_context():
        suspend_from_community(world.gardener_a, world.author, world.a, None, "Insultes")
    response = client.post(
        f"/api/v1/threads/{message.thread_id}/messages",
        json={"body": "Re"},
        headers=api_token(world.author),
    )
    assert response.status_code == 403
    assert response.json["message"] == (
        "Votre participation à cette communauté est suspendue\u00a0: vous ne pouvez pas y publier."
    )


def test_suspension_closes_the_members_sockets(world, message, client, api_token, app) -> None:  # type: ignore[no-untyped-def]
    token = api_token(world.author)["Authorization"].split()[1]
    sock = socketio.test_client(app, auth={"token": token})
    assert sock.is_connected()
    with app.test_request_context():
        report = services.report(world.citizen, "message", message.id, "harassment")
    db.session.commit()
    response = client.post(
        f"/api/v1/moderation/reports/{report.id}/resolve",
        json={"action": "suspend", "reason": "Harcèlement"},
        headers=api_token(world.gardener_a),
    )
    assert response.status_code == 200
    assert not sock.is_connected()


def test_answering_a_report_on_a_message_takes_the_threads_write_turn(
    world, message, client, api_token, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """As every write to a thread (README): its broadcast cannot overtake a later one's."""
    from contextlib import contextmanager

    from community.threads import reportable

    turns: list[tuple[int, str]] = []
    real = reportable.thread_sequence

    @contextmanager
    def recording(thread_id):  # type: ignore[no-untyped-def]
        with real(thread_id):
            turns.append((thread_id, "entered"))
            yield
            turns.append((thread_id, "left"))

    monkeypatch.setattr(reportable, "thread_sequence", recording)
    with client.application.test_request_context():
        report = services.report(world.citizen, "message", message.id, "insult", "Insulte")
    db.session.commit()
    response = client.post(
        f"/api/v1/moderation/reports/{report.id}/resolve",
        json={"action": "hide", "reason": "Insulte envers un voisin"},
        headers=api_token(world.gardener_a),
    )
    assert response.status_code == 200
    assert turns == [(message.thread_id, "entered"), (message.thread_id, "left")]
