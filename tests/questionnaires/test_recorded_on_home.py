"""The walk of 8 December: an ambassador typed in the answers of an inhabitant met at the
market, then looked for what he had done — his outreach was in his journal, his help request on
"Entraide", the answers nowhere. His home page now counts the answers he typed in for each
questionnaire still open, and the questionnaires' list has its place in the menu (it was
reachable only by typing its address)."""

from __future__ import annotations

from typing import Any

import pytest

from community.extensions import db
from tests.ambassadors.factories import make_ambassador
from tests.conftest import page_text
from tests.factories import make_community, make_member, make_membership
from tests.questionnaires.factories import make_questionnaire, opt, q


@pytest.fixture
def scene(request_context: None) -> dict[str, Any]:
    gardener, ambassador = make_member(), make_member()
    community = make_community(citizen=gardener)
    make_membership(community, ambassador)
    make_ambassador(ambassador, community)
    questionnaire = make_questionnaire(community, gardener=gardener, title="Un composteur ?")
    db.session.commit()
    return {"ambassador": ambassador, "questionnaire": questionnaire, "gardener": gardener}


def _type_in(client: Any, questionnaire: Any, times: int) -> None:
    url = f"/questionnaires/{questionnaire.id}/record"
    data = {
        "channel": "ambassador",
        "consent": "y",
        f"q-{q(questionnaire, 0).id}": opt(questionnaire, 0, 1),
    }
    for _ in range(times):
        assert client.post_form(url, data).status_code == 302


def test_the_home_page_counts_the_answers_he_typed_in(client, scene) -> None:
    questionnaire = scene["questionnaire"]
    client.login_as(scene["ambassador"])
    assert "Les réponses que vous avez saisies" not in page_text(client.get("/"))
    _type_in(client, questionnaire, 2)
    home = page_text(client.get("/")).replace("\u00a0", " ")
    assert "Les réponses que vous avez saisies" in home
    assert f'<a href="/questionnaires/{questionnaire.id}">Un composteur ?</a> · 2 réponses' in home


def test_nobody_else_sees_his_count(client, scene) -> None:
    client.login_as(scene["ambassador"])
    _type_in(client, scene["questionnaire"], 1)
    client.login_as(scene["gardener"])
    assert "Les réponses que vous avez saisies" not in page_text(client.get("/"))


def test_a_closed_questionnaire_leaves_the_home_page(client, scene) -> None:
    from community.questionnaires import services

    client.login_as(scene["ambassador"])
    _type_in(client, scene["questionnaire"], 1)
    services.close_questionnaire(scene["gardener"], scene["questionnaire"])
    db.session.commit()
    assert "Les réponses que vous avez saisies" not in page_text(client.get("/"))


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_menu_leads_to_the_questionnaires(client, scene, who) -> None:
    if who == "member":
        client.login_as(scene["ambassador"])
    page = page_text(client.get("/"))
    assert '<li><a href="/questionnaires">Questionnaires</a></li>' in page
    listing = page_text(client.get("/questionnaires"))
    assert '<li><a href="/questionnaires" aria-current="page">Questionnaires</a></li>' in listing


def test_a_questionnaire_out_of_his_reach_leaves_the_home_page(client, scene) -> None:
    """He typed answers in, then left an on-request community: its questionnaire's page is a
    404 for him now, so his home page does not lead there."""
    from community.communities.models import Membership

    questionnaire = scene["questionnaire"]
    client.login_as(scene["ambassador"])
    _type_in(client, questionnaire, 1)
    questionnaire.community.visibility = "on_request"
    questionnaire.audience = "members"
    db.session.execute(
        db.update(Membership)
        .where(Membership.member_id == scene["ambassador"].id)
        .values(status="left")
    )
    db.session.commit()
    assert client.get(f"/questionnaires/{questionnaire.id}").status_code == 404
    assert "Les réponses que vous avez saisies" not in page_text(client.get("/"))
