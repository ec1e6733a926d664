"""Who reads a questionnaire, at every door: an on-request community's questionnaire for its
members is its members' (as its threads and rencontres); one that asks anyone is anyone's."""

from __future__ import annotations

import pytest

from community.extensions import db
from community.questionnaires import queries, services
from community.questionnaires.permissions import can_read
from tests.factories import make_community, make_member
from tests.questionnaires.factories import make_questionnaire


@pytest.fixture
def private(app):  # type: ignore[no-untyped-def]
    gardener, member = make_member(), make_member()
    community = make_community(visibility="on_request", citizen=gardener, members=(member,))
    for_members = make_questionnaire(
        community, gardener=gardener, audience="members", title="Entre nous seulement"
    )
    for_anyone = make_questionnaire(
        community, gardener=gardener, audience="anyone", title="Ouvert à tous"
    )
    # Closed, with what was done of the answers: the community page shows such follow-ups.
    followed = make_questionnaire(
        community, gardener=gardener, audience="members", status="closed", title="Bilan entre nous"
    )
    services.publish_follow_up(gardener, followed, "Ce que nous avons fait.")
    db.session.commit()
    return community, gardener, member, for_members, for_anyone


def _doors(client, community, questionnaire) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "page": client.get(f"/questionnaires/{questionnaire.id}").get_data(as_text=True),
        "print": client.get(f"/questionnaires/{questionnaire.id}/print").get_data(as_text=True),
        "list": client.get("/questionnaires").get_data(as_text=True),
        "community": client.get(f"/communities/{community.slug}").get_data(as_text=True),
        "api": client.get(f"/api/v1/questionnaires/{questionnaire.id}").get_data(as_text=True),
        "api list": client.get("/api/v1/questionnaires").get_data(as_text=True),
    }


@pytest.mark.parametrize("who", ["visitor", "outsider"])
def test_outsiders_never_read_a_members_questionnaire_of_an_on_request_community(
    client, private, who
):  # type: ignore[no-untyped-def]
    community, _gardener, _member, for_members, for_anyone = private
    if who == "outsider":
        client.login_as(make_member())
    assert client.get(f"/questionnaires/{for_members.id}").status_code == 404
    assert client.get(f"/api/v1/questionnaires/{for_members.id}").status_code == 404
    for door, text in _doors(client, community, for_members).items():
        assert "Entre nous seulement" not in text and "Bilan entre nous" not in text, door
    # What asks anyone is read by anyone.
    assert client.get(f"/questionnaires/{for_anyone.id}").status_code == 200
    assert "Ouvert à tous" in client.get("/questionnaires").get_data(as_text=True)


@pytest.mark.parametrize("who", ["member", "gardener", "staff"])
def test_its_members_gardeners_and_staff_read_it(client, private, who):  # type: ignore[no-untyped-def]
    community, gardener, member, for_members, _for_anyone = private
    client.login_as({"member": member, "gardener": gardener, "staff": make_member("staff")}[who])
    assert client.get(f"/questionnaires/{for_members.id}").status_code == 200
    assert client.get(f"/api/v1/questionnaires/{for_members.id}").status_code == 200
    assert "Entre nous seulement" in client.get("/questionnaires").get_data(as_text=True)
    page = client.get(f"/communities/{community.slug}").get_data(as_text=True)
    assert "Entre nous seulement" in page and "Bilan entre nous" in page


def test_the_predicate_and_the_list_say_the_same(app, private):  # type: ignore[no-untyped-def]
    _community, gardener, member, for_members, for_anyone = private
    for who in (None, make_member(), member, gardener, make_member("staff")):
        listed = set(db.session.execute(queries.visible_stmt(who)).scalars())
        for questionnaire in (for_members, for_anyone):
            assert (questionnaire in listed) == can_read(who, questionnaire)
