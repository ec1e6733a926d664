"""A gardener of a community is in it (found walking: Karim, "côté collectivité" of three
communities, was told he was in none and offered to join them); a member suspended from a
community is told so, and until when; staff asking someone for an empty seat says so."""

from __future__ import annotations

import html as entities
from datetime import timedelta
from typing import Any

import pytest

from community.communities import memberships, pairs
from community.communities.permissions import can_join
from community.core.errors import Forbidden
from community.core.jinja import day
from community.core.models import utcnow
from community.extensions import db
from community.moderation.suspensions import suspend_from_community
from tests.conftest import page_text
from tests.factories import make_community, make_member, make_membership

JOIN = "J'accepte la charte et je rejoins"
NOT_YET = "pas encore dans une communauté"


def _scene() -> dict[str, Any]:
    """One community, and a person in each role towards it."""
    staff = make_member("staff", display_name="Karim Collectivité")
    citizen, member = make_member(), make_member()
    community = make_community(
        name="Jardin des Lilas", technician=staff, citizen=citizen, members=(member,)
    )
    return {
        "community": community,
        "technician": staff,
        "citizen": citizen,
        "member": member,
        "stranger": make_member(),
        "other staff": make_member("staff"),
    }


IN_IT = {"technician": True, "citizen": True, "member": True, "stranger": False}


@pytest.mark.parametrize("role", sorted(IN_IT))
def test_the_home_page_lists_the_communities_one_gardens(client: Any, role: str) -> None:
    scene = _scene()
    client.login_as(scene[role])
    page = client.get("/").get_data(as_text=True)
    listed = f'href="/communities/{scene["community"].slug}">Jardin des Lilas</a></h3>' in page
    assert listed is IN_IT[role]
    assert (NOT_YET in page) is not IN_IT[role]


def test_communities_of_lists_memberships_and_mandates_once_each(app: Any) -> None:
    scene = _scene()
    other = make_community(name="Aaa Verger", technician=scene["technician"])
    make_membership(other, scene["technician"])  # a member and a gardener: listed once
    assert memberships.communities_of(scene["technician"]) == [other, scene["community"]]
    assert memberships.communities_of(scene["stranger"]) == []


# role -> offered to join the community on its page
OFFERED = {"technician": False, "citizen": False, "member": False, "stranger": True}


@pytest.mark.parametrize("role", sorted(OFFERED))
def test_no_page_offers_a_gardener_to_join(client: Any, role: str) -> None:
    scene = _scene()
    client.login_as(scene[role])
    page = entities.unescape(
        client.get(f"/communities/{scene['community'].slug}").get_data(as_text=True)
    )
    assert (JOIN in page) is OFFERED[role]


def test_a_gardener_without_membership_is_told_her_role_on_the_page(client: Any) -> None:
    scene = _scene()
    client.login_as(scene["technician"])
    page = entities.unescape(
        client.get(f"/communities/{scene['community'].slug}").get_data(as_text=True)
    )
    assert "vous êtes jardinier ou jardinière côté collectivité" in page
    assert f'href="/communities/{scene["community"].slug}/threads"' in page


@pytest.mark.parametrize(
    "role,may",
    [("technician", False), ("citizen", False), ("stranger", True), ("other staff", True)],
)
def test_can_join_refuses_the_gardeners_of_the_community(app: Any, role: str, may: bool) -> None:
    scene = _scene()
    assert can_join(scene[role], scene["community"]) is may
    assert can_join(None, scene["community"]) is False


def test_the_join_service_and_the_api_refuse_a_gardener(
    client: Any, api_token: Any, request_context: Any
) -> None:
    scene = _scene()
    with pytest.raises(Forbidden):
        memberships.join(scene["technician"], scene["community"], True)
    answer = client.post(
        f"/api/v1/communities/{scene['community'].slug}/membership",
        json={"accept_charter": True},
        headers=api_token(scene["technician"]),
    )
    assert answer.status_code == 403


def test_a_citizen_gardener_may_still_try_to_leave_and_is_told_why_not(
    client: Any, api_token: Any
) -> None:
    scene = _scene()
    answer = client.delete(
        f"/api/v1/communities/{scene['community'].slug}/membership",
        headers=api_token(scene["citizen"]),
    )
    assert answer.status_code == 409


@pytest.mark.parametrize("ends", [True, False])
def test_a_member_suspended_from_a_community_is_told_so_and_until_when(
    client: Any, app: Any, ends: bool
) -> None:
    scene = _scene()
    until = utcnow() + timedelta(days=10) if ends else None
    suspend_from_community(
        scene["technician"],
        scene["member"],
        scene["community"],
        until,
        "Insultes",
        notify_member=False,
    )
    db.session.flush()
    client.login_as(scene["member"])
    page = entities.unescape(
        client.get(f"/communities/{scene['community'].slug}").get_data(as_text=True)
    )
    assert "Vous ne pouvez pas rejoindre cette communauté." not in page
    assert "Votre participation à cette communauté est suspendue" in page
    if ends:
        with app.test_request_context():
            assert f"jusqu'au {day(until)}" in page
    else:
        assert "jusqu'au" not in page
    assert JOIN not in page


def test_an_ended_community_suspension_offers_to_join_again(client: Any) -> None:
    scene = _scene()
    membership = make_membership(scene["community"], scene["stranger"], status="banned")
    membership.banned_until = utcnow() - timedelta(days=1)
    db.session.flush()
    client.login_as(scene["stranger"])
    page = entities.unescape(
        client.get(f"/communities/{scene['community'].slug}").get_data(as_text=True)
    )
    assert "suspendue" not in page
    assert JOIN in page


@pytest.mark.parametrize("held", [True, False])
def test_the_dashboard_says_whether_the_person_asked_takes_over_or_takes_an_empty_seat(
    client: Any, held: bool
) -> None:
    staff, citizen = make_member("staff"), make_member()
    candidate = make_member(display_name="Maryse Potager")
    community = make_community(
        name="Jardin des Roses",
        technician=staff,
        citizen=citizen if held else None,
        members=(candidate,),
    )
    pairs.propose(
        staff, community, "citizen", candidate, "Une note assez longue pour la suite." * 3
    )
    db.session.flush()
    client.login_as(staff)
    page = entities.unescape(client.get("/communities/dashboard").get_data(as_text=True))
    takes_over = "Vous avez demandé à Maryse Potager de prendre le relais dans Jardin des Roses"
    empty_seat = (
        "Vous avez demandé à Maryse Potager de devenir jardinier ou jardinière côté habitants"
        " dans Jardin des Roses"
    )
    assert (takes_over in page) is held
    assert (empty_seat in page) is not held


def test_the_inhabitants_gardener_is_offered_no_way_out_but_told_to_hand_over(
    client: Any,
) -> None:
    scene = _scene()
    client.login_as(scene["citizen"])
    page = page_text(client.get(f"/communities/{scene['community'].slug}"))
    assert "Quitter cette communauté" not in page
    assert "Avant de" in page  # what to do instead: hand over first
    member = make_member()
    make_membership(scene["community"], member)
    client.login_as(member)
    assert "Quitter cette communauté" in page_text(
        client.get(f"/communities/{scene['community'].slug}")
    )
