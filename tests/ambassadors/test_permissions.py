"""The ambassadors' permission matrix (HTML and API, IDOR included), and sign-up through a link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from community.ambassadors.models import Ambassador, Invitation, InvitationUse, OutreachLog
from community.communities.models import Community
from community.extensions import db
from community.members.models import Member
from tests.ambassadors.factories import make_ambassador, make_invitation
from tests.conftest import built_once, load_rows
from tests.factories import make_community, make_member

ROLES = (
    "visitor",
    "citizen",
    "member",
    "ambassador",
    "gardener",
    "other_gardener",
    "staff",
    "admin",
)


@dataclass
class World:
    community: Community
    ambassador: Ambassador
    invitation: Invitation
    people: dict[str, Member]


def _build() -> World:
    people = {
        "citizen": make_member(),
        "member": make_member(),
        "ambassador": make_member(),
        "gardener": make_member(),
        "other_gardener": make_member(),
        "staff": make_member("staff"),
        "admin": make_member("admin"),
    }
    community = make_community(
        citizen=people["gardener"], members=(people["member"], people["ambassador"])
    )
    make_community(citizen=people["other_gardener"])
    ambassador = make_ambassador(people["ambassador"], community, shown=True)
    return World(community, ambassador, make_invitation(ambassador), people)


# Built once for the module; each test starts from it, in a savepoint.
_world_rows = built_once(_build)


@pytest.fixture
def world(_world_rows: Any) -> World:
    return load_rows(_world_rows)  # type: ignore[no-any-return]


def _login(client: Any, world: World, role: str) -> Any:
    if role != "visitor":
        client.login_as(world.people[role])
    return client


def _expect(allowed: set[str], role: str, ok: int) -> int:
    if role in allowed:
        return ok
    return 401 if role == "visitor" else 403


JOURNAL_READERS = {"ambassador", "gardener"}  # staff see aggregates only (observatory)
OWNER = {"ambassador"}
NAMERS = {"gardener", "staff", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_journal_page(client: Any, world: World, role: str) -> None:
    response = _login(client, world, role).get(f"/ambassadors/{world.ambassador.id}/outreach")
    assert response.status_code == _expect(JOURNAL_READERS, role, 200)
    if role == "gardener":
        assert "Log an outing" not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", sorted(NAMERS))
def test_the_journal_is_linked_only_to_those_who_may_read_it(
    client: Any, world: World, role: str
) -> None:
    """The naming page lists the ambassadors; its "Journal de terrain" link asks the journal's
    own rule (`can_read_outreach`): staff, who name but read aggregates only, get no link to
    a 403."""
    page = _login(client, world, role).get(f"/communities/{world.community.slug}/ambassadors/name")
    assert page.status_code == 200
    journal = f"/ambassadors/{world.ambassador.id}/outreach"
    linked = f'href="{journal}"' in page.get_data(as_text=True)
    assert linked == (role in JOURNAL_READERS)
    if linked:
        assert client.get(journal).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_logging_an_outing_by_form(client: Any, world: World, role: str) -> None:
    response = _login(client, world, role).post_form(
        f"/ambassadors/{world.ambassador.id}/outreach",
        {
            "happened_on": date.today().isoformat(),
            "place_kind": "market",
            "people_met": "5",
            "topics": "Le bruit.",
        },
    )
    assert response.status_code == (
        _expect(JOURNAL_READERS, role, 302) if role != "gardener" else 200
    )
    count = db.session.execute(select(OutreachLog)).scalars().all()
    assert len(count) == (1 if role == "ambassador" else 0)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["step-down", "invitations", "shown"])
def test_only_the_ambassador_acts_on_the_mandate(
    client: Any, world: World, role: str, action: str
) -> None:
    response = _login(client, world, role).post_form(
        f"/ambassadors/{world.ambassador.id}/{action}", {"label": "x"}
    )
    assert response.status_code == _expect(OWNER, role, 302)


@pytest.mark.parametrize("role", ROLES)
def test_revoking_a_link(client: Any, world: World, role: str) -> None:
    response = _login(client, world, role).post_form(
        f"/ambassadors/invitations/{world.invitation.id}/revoke"
    )
    assert response.status_code == _expect(OWNER, role, 302)
    assert (world.invitation.revoked_at is not None) == (role == "ambassador")


@pytest.mark.parametrize("role", ROLES)
def test_naming_by_form(client: Any, world: World, role: str) -> None:
    response = _login(client, world, role).post_form(
        f"/communities/{world.community.slug}/ambassadors/name",
        {"member_id": str(world.people["member"].id), "mission": "Relayer au pied des immeubles."},
    )
    assert response.status_code == _expect(NAMERS, role, 302)


@pytest.mark.parametrize("role", ROLES)
def test_my_missions_page(client: Any, world: World, role: str) -> None:
    response = _login(client, world, role).get("/ambassadors")
    assert response.status_code == (401 if role == "visitor" else 200)
    assert (world.invitation.token in response.get_data(as_text=True)) == (role == "ambassador")


def test_public_page_lists_only_those_who_agreed(client: Any, world: World) -> None:
    hidden = make_ambassador(make_member(display_name="Discrète"), world.community, shown=False)
    text = client.get(f"/communities/{world.community.slug}/ambassadors").get_data(as_text=True)
    assert world.people["ambassador"].display_name in text
    assert hidden.member.display_name not in text


@pytest.mark.parametrize("role", ROLES)
def test_api_name(client: Any, api_token: Any, world: World, role: str) -> None:
    headers = api_token(world.people[role]) if role != "visitor" else {}
    response = client.post(
        "/api/v1/ambassadors",
        json={
            "member_id": world.people["member"].id,
            "community": world.community.slug,
            "mission": "Relayer au marché.",
        },
        headers=headers,
    )
    assert response.status_code == _expect(NAMERS, role, 201), response.get_json()
    if response.status_code == 201:
        body = response.get_json()
        assert body["status"] == "proposed" and body["community"] == world.community.slug
        assert "email" not in body["member"]


@pytest.mark.parametrize("role", ROLES)
def test_api_list(client: Any, api_token: Any, world: World, role: str) -> None:
    headers = api_token(world.people[role]) if role != "visitor" else {}
    response = client.get("/api/v1/ambassadors", headers=headers)
    allowed = {"ambassador", "gardener", "other_gardener", "staff", "admin"}
    assert response.status_code == _expect(allowed, role, 200)
    if response.status_code == 200:
        ids = [a["id"] for a in response.get_json()]
        assert (world.ambassador.id in ids) == (
            role in {"ambassador", "gardener", "staff", "admin"}
        )


@pytest.mark.parametrize("role", ROLES)
def test_api_outreach(client: Any, api_token: Any, world: World, role: str) -> None:
    headers = api_token(world.people[role]) if role != "visitor" else {}
    response = client.post(
        f"/api/v1/ambassadors/{world.ambassador.id}/outreach",
        json={
            "happened_on": date.today().isoformat(),
            "place_kind": "school",
            "people_met": 7,
            "topics": "Cantine.",
        },
        headers=headers,
    )
    assert response.status_code == _expect(OWNER, role, 201)


def test_api_outreach_refuses_contact_details(client: Any, api_token: Any, world: World) -> None:
    response = client.post(
        f"/api/v1/ambassadors/{world.ambassador.id}/outreach",
        json={
            "happened_on": date.today().isoformat(),
            "place_kind": "market",
            "people_met": 3,
            "follow_up": "marie@example.org",
        },
        headers=api_token(world.people["ambassador"]),
    )
    assert response.status_code == 422 and "follow_up" in response.get_json()["errors"]
    assert client.post(
        "/api/v1/ambassadors/999999/outreach",
        json={},
        headers=api_token(world.people["ambassador"]),
    ).status_code in {404, 422}


def test_signup_page_carries_the_invitation(client: Any, world: World, outbox: Any) -> None:
    page = client.get(f"/auth/signup?invitation={world.invitation.token}").get_data(as_text=True)
    assert world.invitation.token in page
    response = client.post_form(
        "/auth/signup",
        {
            "email": "venue@example.org",
            "display_name": "Venue du marché",
            "password": "un mot de passe solide",
            "accept_charter": "y",
            "invitation": world.invitation.token,
            "neighbourhood_id": "None",
        },
    )
    assert response.status_code == 302
    newcomer = db.session.execute(
        select(Member).where(Member.email == "venue@example.org")
    ).scalar_one()
    use = db.session.execute(
        select(InvitationUse).where(InvitationUse.member_id == newcomer.id)
    ).scalar_one()
    assert use.invitation_id == world.invitation.id


def test_api_signup_with_invitation(client: Any, world: World, outbox: Any) -> None:
    response = client.post(
        "/api/v1/members",
        json={
            "email": "api@example.org",
            "password": "un mot de passe solide",
            "display_name": "Venue par API",
            "accept_charter": True,
            "invitation": world.invitation.token,
        },
    )
    assert response.status_code == 202
    newcomer = db.session.execute(
        select(Member).where(Member.email == "api@example.org")
    ).scalar_one()
    assert db.session.execute(
        select(InvitationUse).where(InvitationUse.member_id == newcomer.id)
    ).first()


@pytest.mark.parametrize("role", ROLES)
def test_naming_for_a_neighbourhood_is_for_staff(client: Any, world: World, role: str) -> None:
    from tests.factories import make_neighbourhood

    place = make_neighbourhood()
    target = world.people["citizen"]
    response = _login(client, world, role).post_form(
        "/ambassadors/neighbourhoods",
        {
            "neighbourhood_id": str(place.id),
            "pseudonym": target.display_name,
            "mission": "Faire connaître la plateforme.",
        },
    )
    assert response.status_code == _expect({"staff", "admin"}, role, 302)
    named = (
        db.session.execute(select(Ambassador).where(Ambassador.neighbourhood_id == place.id))
        .scalars()
        .all()
    )
    assert len(named) == (1 if role in {"staff", "admin"} else 0)


def test_her_missions_are_on_her_home_page_and_themes_are_boxes(client: Any, world: World) -> None:
    """Walked at 360 px: an ambassador's home page said nothing of her missions, and the themes
    heard were a multiple list (a long press on a phone, Ctrl+click on a computer)."""
    client.login_as(world.people["ambassador"])
    home = client.get("/").get_data(as_text=True)
    assert "Mes missions de porte-voix" in home
    assert f'href="/ambassadors/{world.ambassador.id}/outreach"' in home
    journal = client.get(f"/ambassadors/{world.ambassador.id}/outreach").get_data(as_text=True)
    assert 'id="theme_ids-0"' in journal and "multiple" not in journal
    client.login_as(world.people["member"])
    assert "Mes missions de porte-voix" not in client.get("/").get_data(as_text=True)


def test_stepping_down_says_what_becomes_of_one_link(client: Any, world: World) -> None:
    """One link still working: the choices speak of it in the singular, in whole sentences."""
    from tests.conftest import page_text

    html = page_text(_login(client, world, "ambassador").get("/ambassadors"))
    assert (
        "Il continue de marcher\u00a0: les personnes rencontrées peuvent encore s'en servir pour "
        "s'inscrire"
    ) in html
    assert "Il s'arrête aujourd'hui" in html
