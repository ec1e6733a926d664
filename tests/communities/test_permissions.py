"""The permission matrix of communities, walked for HTML pages and API endpoints (IDOR included)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from community.communities.models import Community, Membership
from community.members.models import Member
from tests.conftest import built_once, load_rows
from tests.factories import make_community, make_member, make_membership

ROLES = ("visitor", "citizen", "member", "gardener", "other_gardener", "staff", "admin")


@dataclass
class World:
    community: Community
    other: Community
    pending: Membership
    people: dict[str, Member]


def _build() -> World:
    people = {
        "citizen": make_member(),
        "member": make_member(),
        "gardener": make_member(),
        "other_gardener": make_member(),
        "staff": make_member("staff"),
        "admin": make_member("admin"),
    }
    community = make_community(
        visibility="on_request",
        technician=make_member("staff"),
        citizen=people["gardener"],
        members=(people["member"],),
    )
    other = make_community(citizen=people["other_gardener"])
    pending = make_membership(community, make_member(), "pending")
    return World(community, other, pending, people)


# Built once for the module; each test starts from it, in a savepoint.
_world_rows = built_once(_build)


@pytest.fixture
def world(_world_rows: Any) -> World:
    return load_rows(_world_rows)  # type: ignore[no-any-return]


def _client(client: Any, world: World, role: str) -> Any:
    if role != "visitor":
        client.login_as(world.people[role])
    return client


def _expect(allowed: set[str], role: str, ok: int) -> int:
    if role in allowed:
        return ok
    return 401 if role == "visitor" else 403


EVERYONE = set(ROLES)
STAFF = {"staff", "admin"}
READERS = {"member", "gardener", "staff", "admin"}
GARDENERS = {"gardener", "staff", "admin"}
DASHBOARD = {"gardener", "other_gardener", "staff", "admin"}
# Who may join `other`: anyone logged in but its own gardener, who is in it already.
JOINERS = EVERYONE - {"visitor", "other_gardener"}

HTML_GETS = [
    ("/communities", EVERYONE),
    ("/communities/{slug}", EVERYONE),
    ("/communities/{slug}/ambassadors", EVERYONE),
    ("/communities/{slug}/members", READERS),
    ("/communities/{slug}/edit", STAFF),
    ("/communities/{slug}/gardeners", STAFF),
    ("/communities/new", STAFF),
    ("/communities/needing-gardener", STAFF),
    ("/communities/dashboard", DASHBOARD),
    ("/communities/{slug}/ambassadors/name", GARDENERS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "allowed"), HTML_GETS)
def test_html_pages(client: Any, world: World, role: str, url: str, allowed: set[str]) -> None:
    response = _client(client, world, role).get(url.format(slug=world.community.slug))
    assert response.status_code == _expect(allowed, role, 200)


@pytest.mark.parametrize("role", ROLES)
def test_answering_a_request_idor(client: Any, world: World, role: str) -> None:
    response = _client(client, world, role).post_form(
        f"/communities/requests/{world.pending.id}/answer", {"decision": "accept"}
    )
    assert response.status_code == _expect(GARDENERS, role, 302)
    assert world.pending.status == ("active" if role in GARDENERS else "pending")


@pytest.mark.parametrize("role", ROLES)
def test_joining_by_form(client: Any, world: World, role: str) -> None:
    response = _client(client, world, role).post_form(
        f"/communities/{world.other.slug}/join", {"accept_charter": "y"}
    )
    assert response.status_code == _expect(JOINERS, role, 302)


def test_html_forms_need_the_csrf_token(client: Any, world: World) -> None:
    client.login_as(world.people["citizen"])
    response = client.post(f"/communities/{world.other.slug}/join", data={"accept_charter": "y"})
    assert response.status_code == 400


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url", "allowed", "ok", "body"),
    [
        ("get", "/api/v1/communities", EVERYONE, 200, None),
        ("get", "/api/v1/communities/{slug}", EVERYONE, 200, None),
        ("get", "/api/v1/communities/{slug}/members", READERS, 200, None),
        ("put", "/api/v1/communities/{slug}/gardeners", STAFF, 200, {"handover_note": ""}),
        (
            "post",
            "/api/v1/communities/{other}/membership",
            JOINERS,
            200,
            {"accept_charter": True},
        ),
        ("get", "/api/v1/ambassadors", DASHBOARD | STAFF, 200, None),
    ],
)
def test_api(
    client: Any,
    api_token: Any,
    world: World,
    role: str,
    method: str,
    url: str,
    allowed: set[str],
    ok: int,
    body: Any,
) -> None:
    headers = api_token(world.people[role]) if role != "visitor" else {}
    response = getattr(client, method)(
        url.format(slug=world.community.slug, other=world.other.slug), json=body, headers=headers
    )
    assert response.status_code == _expect(allowed, role, ok), response.get_json()
    if response.status_code >= 400:
        assert response.get_json()["code"] in {"unauthenticated", "forbidden"}


def test_public_json_never_carries_an_email(client: Any, api_token: Any, world: World) -> None:
    headers = api_token(world.people["member"])
    for url in (
        "/api/v1/communities",
        f"/api/v1/communities/{world.community.slug}",
        f"/api/v1/communities/{world.community.slug}/members",
    ):
        text = client.get(url, headers=headers).get_data(as_text=True)
        assert "@" not in text, url


def test_community_json_shape(client: Any, world: World) -> None:
    data = client.get(f"/api/v1/communities/{world.community.slug}").get_json()
    assert data["member_count"] == 2  # the member and the citizen gardener
    assert data["gardeners"]["citizen"] == {
        "id": world.people["gardener"].id,
        "display_name": world.people["gardener"].display_name,
    }
    assert set(data["gardeners"]["technician"]) == {"id", "display_name"}
    assert data["visibility"] == "on_request" and data["theme"]["name"]
    assert client.get("/api/v1/communities/nope").status_code == 404


def test_membership_api_answers_the_status(client: Any, api_token: Any, world: World) -> None:
    headers = api_token(world.people["citizen"])
    url = f"/api/v1/communities/{world.community.slug}/membership"
    assert client.post(url, json={"accept_charter": False}, headers=headers).status_code == 422
    assert client.post(
        url, json={"accept_charter": True, "message": "Hello"}, headers=headers
    ).get_json() == {"status": "pending"}
    assert client.delete(url, headers=headers).get_json() == {"status": "left"}
    assert client.delete(url, headers=headers).status_code == 404
    assert client.post(
        url, data="nope", headers={**headers, "Content-Type": "application/json"}
    ).status_code in {400, 422}


def test_gardeners_api_replaces_with_a_handover(client: Any, api_token: Any, world: World) -> None:
    headers = api_token(world.people["staff"])
    url = f"/api/v1/communities/{world.community.slug}/gardeners"
    member = world.people["member"]
    refused = client.put(url, json={"citizen_id": member.id}, headers=headers)
    assert refused.status_code == 422 and "handover_note" in refused.get_json()["errors"]
    answer = client.put(
        url,
        json={"citizen_id": member.id, "handover_note": "Tout est dans le classeur vert, merci !"},
        headers=headers,
    )
    assert answer.status_code == 200
    # Issue 13: she is asked first, named once she accepts, through the API as on the page.
    body = answer.get_json()
    assert body["gardeners"]["citizen"]["id"] == world.people["gardener"].id
    assert [(a["side"], a["candidate"]) for a in body["asked"]] == [
        ("citizen", {"id": member.id, "display_name": member.display_name})
    ]
    from community.communities import gardener_queries

    proposal = gardener_queries.pending_proposal(world.community, "citizen")
    assert proposal is not None and proposal.candidate_id == member.id
    not_staff = client.put(url, json={"technician_id": world.people["citizen"].id}, headers=headers)
    assert not_staff.status_code == 422
    assert client.put(url, json={"technician_id": 999999}, headers=headers).status_code == 422
    client.login_as(member)
    client.post_form(f"/communities/proposals/{proposal.id}", {"decision": "accept"})
    named = client.get(f"/api/v1/communities/{world.community.slug}")
    assert named.get_json()["gardeners"]["citizen"]["id"] == member.id


@pytest.mark.parametrize(
    ("role", "url", "sees"),
    [
        ("member", "/communities/dashboard", True),  # the successor
        ("gardener", "/communities/dashboard", False),  # the predecessor: no longer a gardener
        ("other_gardener", "/communities/dashboard", False),
        ("staff", "/communities/{slug}/gardeners", True),
    ],
)
def test_handover_notes_reach_the_successor_and_staff_only(
    client: Any, world: World, role: str, url: str, sees: bool
) -> None:
    from community.communities import pairs

    note = "Le composteur de la rue Haute attend sa réparation promise."
    with client.application.test_request_context():
        pairs.assign_gardener(
            world.people["staff"], world.community, "citizen", world.people["member"], note
        )
    client.login_as(world.people[role])
    response = client.get(url.format(slug=world.community.slug))
    assert (note in response.get_data(as_text=True)) == sees


def test_lists_are_paginated_and_filtered(client: Any, world: World) -> None:
    response = client.get("/api/v1/communities?page_size=1")
    assert len(response.get_json()) == 1
    assert '"total": 2' in response.headers["X-Pagination"]
    theme_id = world.other.theme_id
    only = client.get(f"/api/v1/communities?theme={theme_id}").get_json()
    assert [c["slug"] for c in only] == [world.other.slug]
    assert client.get("/api/v1/communities?theme=abc").status_code == 422


@pytest.mark.parametrize("role", ROLES)
def test_only_the_gardener_in_office_leaves_a_handover_note(
    client: Any, world: World, role: str
) -> None:
    from sqlalchemy import select

    from community.communities.models import GardenerMandate, Handover
    from community.extensions import db

    mandate = db.session.execute(
        select(GardenerMandate).where(
            GardenerMandate.community_id == world.community.id, GardenerMandate.side == "citizen"
        )
    ).scalar_one()
    note = "Les semis sont dans la serre ; l'école attend notre visite en mai."
    _client(client, world, role)
    response = client.post_form(f"/communities/mandates/{mandate.id}/handover-note", {"note": note})
    kept = db.session.execute(select(Handover.note)).scalars().all()
    if role == "gardener":
        assert response.status_code == 302 and kept == [note]
        page = client.get("/communities/dashboard").get_data(as_text=True)
        assert "Votre note pour la personne qui vous succédera." in page
    else:
        assert response.status_code == _expect(set(), role, 302)
        assert kept == []


def test_a_handover_note_needs_csrf_and_an_existing_mandate(client: Any, world: World) -> None:
    client.login_as(world.people["gardener"])
    assert (
        client.post("/communities/mandates/1/handover-note", data={"note": "x" * 30}).status_code
        == 400
    )
    assert (
        client.post_form(
            "/communities/mandates/99999/handover-note", {"note": "x" * 30}
        ).status_code
        == 404
    )
