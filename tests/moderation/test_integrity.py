"""Moderation integrity (finding 10, and the evidence part of finding 15)."""

from __future__ import annotations

from datetime import timedelta

from community.core.models import utcnow
from community.extensions import db
from community.moderation import services
from community.moderation.models import PlatformSuspension
from community.threads import services as thread_services
from tests.factories import make_community, make_member, make_thread


def _setup():  # type: ignore[no-untyped-def]
    gardener, author, reporter = make_member(), make_member(), make_member()
    community = make_community(citizen=gardener, members=(author, reporter))
    thread = make_thread(community)
    message = thread_services.post_message(author, thread, "Un propos déplacé").message
    own = thread_services.post_message(gardener, thread, "Le propos de la jardinière").message
    db.session.flush()
    return gardener, author, reporter, community, thread, message, own


def test_a_suspended_gardener_loses_moderation_rights(client, api_token) -> None:  # type: ignore[no-untyped-def]
    gardener, _author, reporter, _community, thread, message, _own = _setup()
    with client.application.test_request_context():
        report = services.report(reporter, "message", message.id, "insult")
    db.session.add(
        PlatformSuspension(
            member=gardener, reason="r", created_at=utcnow(), until=utcnow() + timedelta(days=3)
        )
    )
    db.session.commit()
    headers = api_token(gardener)
    assert client.get("/api/v1/moderation/reports", headers=headers).status_code == 403
    answer = client.post(
        f"/api/v1/moderation/reports/{report.id}/resolve",
        json={"action": "hide", "reason": "Insulte"},
        headers=headers,
    )
    assert answer.status_code == 403
    client.login_as(gardener)
    hidden = client.post_form(f"/threads/messages/{message.id}/hide", {"reason": "Insulte"})
    assert hidden.status_code == 403
    locked = client.post_form(f"/threads/{thread.id}/lock")
    assert locked.status_code == 403
    db.session.refresh(message)
    assert message.hidden_at is None and report.status == "open"


def test_a_gardener_suspended_from_her_community_loses_its_moderation(client, api_token) -> None:  # type: ignore[no-untyped-def]
    gardener, _author, reporter, _community, _thread, message, _own = _setup()
    with client.application.test_request_context():
        report = services.report(reporter, "message", message.id, "insult")
    from sqlalchemy import select

    from community.communities.models import Membership

    membership = db.session.execute(
        select(Membership).where(Membership.member_id == gardener.id)
    ).scalar_one()
    membership.status, membership.banned_until = "banned", utcnow() + timedelta(days=2)
    db.session.commit()
    answer = client.post(
        f"/api/v1/moderation/reports/{report.id}/resolve",
        json={"action": "dismiss"},
        headers=api_token(gardener),
    )
    assert answer.status_code == 403


def test_nobody_resolves_a_report_about_their_own_content(client, api_token) -> None:  # type: ignore[no-untyped-def]
    gardener, _author, reporter, _community, _thread, _message, own = _setup()
    with client.application.test_request_context():
        report = services.report(reporter, "message", own.id, "insult")
    db.session.commit()
    answer = client.post(
        f"/api/v1/moderation/reports/{report.id}/resolve",
        json={"action": "dismiss"},
        headers=api_token(gardener),
    )
    assert answer.status_code == 403 and report.status == "open"
    client.login_as(gardener)
    assert client.get(f"/moderation/reports/{report.id}").status_code == 403
    assert (
        client.post_form(f"/threads/messages/{own.id}/restore", {"reason": "x"}).status_code == 403
    )


def test_the_report_keeps_the_evidence_for_moderators_only(client, api_token) -> None:  # type: ignore[no-untyped-def]
    gardener, author, reporter, _community, _thread, message, _own = _setup()
    headers = api_token(reporter)
    filed = client.post(
        "/api/v1/reports",
        json={"target_type": "message", "target_id": message.id, "reason": "insult"},
        headers=headers,
    )
    assert filed.status_code == 201 and "snapshot" not in filed.json
    # The author deletes it before the moderators read it.
    thread_services.delete_message(author, message)
    db.session.commit()
    assert message.deleted_at is not None and message.body == ""
    reports = client.get("/api/v1/moderation/reports", headers=api_token(gardener)).json
    [listed] = [r for r in reports if r["target_id"] == message.id]
    assert listed["snapshot"] == "Un propos déplacé"
    client.login_as(gardener)
    page = client.get(f"/moderation/reports/{listed['id']}").get_data(as_text=True)
    assert "Un propos déplacé" in page
    # The author still answers for it: a warning, though the message is gone.
    warned = client.post(
        f"/api/v1/moderation/reports/{listed['id']}/resolve",
        json={"action": "warn", "reason": "Propos insultant"},
        headers=api_token(gardener),
    )
    assert warned.status_code == 200
