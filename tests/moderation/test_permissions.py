"""The permission matrix: roles × acts on reports, for HTML pages and the JSON API."""

from __future__ import annotations

from typing import Any

import pytest

from community.core.models import utcnow
from tests.conftest import built_once, load_rows
from tests.moderation.conftest import World, build_world
from tests.moderation.factories import make_report

# Built once for the module; each test starts from it, in a savepoint.
_world_rows = built_once(build_world)


@pytest.fixture
def world(_world_rows: Any) -> World:
    return load_rows(_world_rows)  # type: ignore[no-any-return]


ROLES = (
    "visitor",
    "citizen",
    "member_a",
    "gardener_a",
    "gardener_b",
    "technician_a",
    "staff",
    "admin",
)
MODERATORS_OF_A = {"gardener_a", "technician_a", "staff", "admin"}
QUEUE_READERS = {"gardener_a", "gardener_b", "technician_a", "staff", "admin"}
STAFF = {"technician_a", "staff", "admin"}


def as_role(world, client, api_token, role):  # type: ignore[no-untyped-def]
    member = world.role(role)
    if member is not None:
        client.login_as(member)
    return api_token(member) if member is not None else {}


def html_expected(role: str, allowed: bool, success: int = 200) -> int:
    if role == "visitor":
        return 302  # to the login page
    return success if allowed else 403


def api_expected(role: str, allowed: bool, success: int = 200) -> int:
    if role == "visitor":
        return 401
    return success if allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_queue_html(world, client, api_token, role) -> None:  # type: ignore[no-untyped-def]
    as_role(world, client, api_token, role)
    response = client.get("/moderation")
    assert response.status_code == html_expected(role, role in QUEUE_READERS)
    if role == "visitor":
        assert "/auth/login" in response.headers["Location"]
    assert client.get("/moderation/journal").status_code == html_expected(
        role, role in QUEUE_READERS
    )


@pytest.mark.parametrize("role", ROLES)
def test_queue_api(world, client, api_token, role) -> None:  # type: ignore[no-untyped-def]
    in_a = make_report(world.author, community=world.a)
    in_b = make_report(world.author, community=world.b)
    platform = make_report(world.author)
    headers = as_role(world, client, api_token, role)
    response = client.get("/api/v1/moderation/reports", headers=headers)
    assert response.status_code == api_expected(role, role in QUEUE_READERS)
    if response.status_code == 200:
        ids = {r["id"] for r in response.json}
        expected = {
            "gardener_a": {in_a.id},
            "gardener_b": {in_b.id},
        }.get(role, {in_a.id, in_b.id, platform.id})
        assert ids == expected


@pytest.mark.parametrize("role", ROLES)
def test_examine_and_resolve_a_report_html(world, client, api_token, role) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a)
    as_role(world, client, api_token, role)
    allowed = role in MODERATORS_OF_A
    assert client.get(f"/moderation/reports/{report.id}").status_code == html_expected(
        role, allowed
    )
    data = {"action": "warn", "reason": "Propos déplacés", "scope": "community"}
    response = client.post_form(f"/moderation/reports/{report.id}", data)
    assert response.status_code == html_expected(role, allowed, success=302)
    assert report.status == ("resolved" if allowed else "open")


@pytest.mark.parametrize("role", ROLES)
def test_resolve_a_report_api(world, client, api_token, role) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a)
    headers = as_role(world, client, api_token, role)
    response = client.post(
        f"/api/v1/moderation/reports/{report.id}/resolve",
        json={"action": "warn", "reason": "Propos déplacés"},
        headers=headers,
    )
    allowed = role in MODERATORS_OF_A
    assert response.status_code == api_expected(role, allowed)
    if allowed:
        assert response.json["status"] == "resolved" and response.json["resolution"] == "warn"
    assert report.status == ("resolved" if allowed else "open")


@pytest.mark.parametrize("role", ROLES)
def test_reports_outside_communities_are_for_staff(world, client, api_token, role) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author)
    headers = as_role(world, client, api_token, role)
    response = client.post(
        f"/api/v1/moderation/reports/{report.id}/resolve",
        json={
            "action": "suspend",
            "reason": "Spam",
            "until": f"{utcnow().year + 3}-01-01T00:00:00Z",
        },
        headers=headers,
    )
    assert response.status_code == api_expected(role, role in STAFF)


@pytest.mark.parametrize("role", ["gardener_a", "technician_a", "staff"])
def test_platform_suspension_from_a_community_report(world, client, api_token, role) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a)
    response = client.post(
        f"/api/v1/moderation/reports/{report.id}/resolve",
        json={"action": "suspend", "reason": "Menaces", "scope": "platform"},
        headers=as_role(world, client, api_token, role),
    )
    assert response.status_code == (403 if role == "gardener_a" else 200)


def test_a_gardener_cannot_act_on_another_communitys_report(world, client) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.b)
    client.login_as(world.gardener_a)
    response = client.post_form(f"/moderation/reports/{report.id}", {"action": "dismiss"})
    assert response.status_code == 403
    assert report.status == "open"


def test_unknown_report(world, client, api_token) -> None:  # type: ignore[no-untyped-def]
    headers = api_token(world.staff)
    response = client.post(
        "/api/v1/moderation/reports/999999/resolve", json={"action": "dismiss"}, headers=headers
    )
    assert response.status_code == 404 and response.json["code"] == "not_found"
    client.login_as(world.staff)
    assert client.get("/moderation/reports/999999").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"action": "ban"},
        {"action": "warn"},
        {"action": "warn", "reason": "ok motif", "until": "tomorrow"},
        {"action": "suspend", "reason": "ok motif", "until": "2000-01-01T00:00:00Z"},
        {"action": "suspend", "reason": "ok motif", "scope": "galaxy"},
    ],
)
def test_resolve_refuses_bad_input(world, client, api_token, body) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a)
    response = client.post(
        f"/api/v1/moderation/reports/{report.id}/resolve",
        json=body,
        headers=api_token(world.gardener_a),
    )
    assert response.status_code == 422 and response.json["code"] == "invalid"
    assert report.status == "open"


def test_resolving_twice_is_a_conflict(world, client, api_token) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a)
    headers = api_token(world.gardener_a)
    url = f"/api/v1/moderation/reports/{report.id}/resolve"
    assert client.post(url, json={"action": "dismiss"}, headers=headers).status_code == 200
    response = client.post(url, json={"action": "dismiss"}, headers=headers)
    assert response.status_code == 409 and response.json["code"] == "conflict"


# --- filing reports ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_file_a_report_api(world, client, api_token, role) -> None:  # type: ignore[no-untyped-def]
    headers = as_role(world, client, api_token, role)
    response = client.post(
        "/api/v1/reports",
        json={
            "target_type": "member",
            "target_id": world.author.id,
            "reason": "spam",
            "text": "Pub",
        },
        headers=headers,
    )
    assert response.status_code == api_expected(role, True, success=201)
    if role != "visitor":
        body = response.json
        assert body["status"] == "open" and "target_author" not in body  # never echoed
        assert "reporter" not in body
        again = client.post(
            "/api/v1/reports",
            json={"target_type": "member", "target_id": world.author.id, "reason": "insult"},
            headers=headers,
        )
        assert again.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"target_type": "thread", "target_id": 1, "reason": "spam"},
        {"target_type": "member", "target_id": "x", "reason": "spam"},
        {"target_type": "member", "reason": "spam"},
        {"target_type": "member", "target_id": 1, "reason": "ugly"},
    ],
)
def test_file_a_report_bad_input(world, client, api_token, body) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/reports", json=body, headers=api_token(world.citizen))
    assert response.status_code == 422


def test_file_a_report_unknown_target_or_oneself(world, client, api_token) -> None:  # type: ignore[no-untyped-def]
    headers = api_token(world.citizen)
    body = {"target_type": "member", "target_id": 999999, "reason": "spam"}
    assert client.post("/api/v1/reports", json=body, headers=headers).status_code == 404
    body["target_id"] = world.citizen.id
    assert client.post("/api/v1/reports", json=body, headers=headers).status_code == 403
