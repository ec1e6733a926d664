"""Reported content of other domains: initiatives (and messages once threads land)."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select

from community.core.errors import Conflict, Invalid
from community.extensions import db
from community.moderation import services
from community.moderation.models import ModerationAction
from community.notifications.models import Notification
from tests.initiatives.factories import make_initiative


@pytest.fixture
def initiative(world):  # type: ignore[no-untyped-def]
    return make_initiative(world.author, community=world.a, title="Vente de mes produits")


def test_report_an_initiative_goes_to_its_communitys_gardeners(world, initiative, app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        report = services.report(world.citizen, "initiative", initiative.id, "spam", "Publicité")
    assert report.community == world.a and report.target_author == world.author


def test_hide_and_restore_an_initiative(world, initiative, client, api_token) -> None:  # type: ignore[no-untyped-def]
    with client.application.test_request_context():
        report = services.report(world.citizen, "initiative", initiative.id, "spam")
    db.session.commit()
    # A gardener of another community cannot.
    refused = client.post(
        f"/api/v1/moderation/reports/{report.id}/resolve",
        json={"action": "hide", "reason": "Publicité"},
        headers=api_token(world.gardener_b),
    )
    assert refused.status_code == 403 and initiative.hidden_at is None
    response = client.post(
        f"/api/v1/moderation/reports/{report.id}/resolve",
        json={"action": "hide", "reason": "Publicité commerciale"},
        headers=api_token(world.gardener_a),
    )
    assert response.status_code == 200
    db.session.refresh(initiative)
    assert initiative.hidden_at is not None and initiative.hidden_reason == "Publicité commerciale"
    [notification] = db.session.execute(
        select(Notification).where(Notification.member_id == world.author.id)
    ).scalars()
    assert notification.text == (
        "Modération\u00a0: les modérateurs ont caché votre initiative. "
        "Motif\u00a0: Publicité commerciale. "
        "Charte\u00a0: article 4 (Intérêt général). "
        "Vous n'êtes pas d'accord\u00a0? Ouvrez cet avis pour le contester."
    )
    # The notice leads to where she contests the decision (issue 13).
    assert notification.url == f"/moderation/contest/initiative/{initiative.id}"
    [act] = db.session.execute(select(ModerationAction)).scalars()
    assert (act.action, act.target_type, act.community) == ("hide", "initiative", world.a)

    # Out of the lists, not found for others, still there for its author and moderators.
    assert "Vente de mes produits" not in client.get("/initiatives").get_data(as_text=True)
    assert client.get(f"/initiatives/{initiative.id}").status_code == 404
    assert client.get(f"/api/v1/initiatives/{initiative.id}").status_code == 404
    for viewer in (world.author, world.gardener_a, world.staff):
        g.pop("_login_user", None)
        client.login_as(viewer)
        page = client.get(f"/initiatives/{initiative.id}")
        assert page.status_code == 200
        assert "Caché par les modérateurs" in page.get_data(as_text=True)
    g.pop("_login_user", None)
    client.login_as(world.member_a)
    assert client.get(f"/initiatives/{initiative.id}").status_code == 404

    # Restored after a new look (a moderator, who still reads it, asks for a second opinion;
    # a member who may no longer read it cannot report it: test_visibility).
    with client.application.test_request_context():
        again = services.report(world.gardener_a, "initiative", initiative.id, "other", "Erreur ?")
        services.resolve(world.staff, again, "restore", "Vérification faite")
    assert initiative.hidden_at is None
    assert "Vente de mes produits" in client.get("/initiatives").get_data(as_text=True)


def test_one_answer_closes_every_open_report_on_the_target(world, initiative, app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        first = services.report(world.citizen, "initiative", initiative.id, "spam")
        second = services.report(world.member_a, "initiative", initiative.id, "insult")
        services.resolve(world.gardener_a, first, "hide", "Publicité")
        assert second.status == "resolved" and second.resolution == "hide"
        with pytest.raises(Conflict):
            services.resolve(world.gardener_a, second, "dismiss")
        third = services.report(world.staff, "initiative", initiative.id, "spam")
        with pytest.raises(Invalid):  # already hidden
            services.resolve(world.gardener_a, third, "hide", "Encore")


def test_restore_what_is_not_hidden(world, initiative, app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        report = services.report(world.citizen, "initiative", initiative.id, "spam")
        with pytest.raises(Invalid):
            services.resolve(world.gardener_a, report, "restore", "")
