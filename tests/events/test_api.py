"""The JSON API of rencontres over the permission matrix, and its answers to bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from community.core.models import utcnow
from community.events.models import Event
from community.extensions import db
from tests.events.factories import make_event, make_registration

ROLES = (
    "visitor", "citizen", "member", "ambassador", "other_ambassador", "gardener",
    "other_gardener", "agent", "staff", "admin",
)  # fmt: skip
# Who may plan, edit, cancel and run a rencontre of the open community created by `ambassador`.
MANAGERS = {"ambassador", "gardener", "agent", "staff", "admin"}
CREATORS = {"ambassador", "other_ambassador", "gardener", "agent", "staff", "admin"}


def _headers(world, role, api_token):
    if role == "visitor":
        return {}
    return api_token(getattr(world, role))


def _future(days: int = 5, hours: int = 0) -> str:
    return (utcnow() + timedelta(days=days, hours=hours)).replace(microsecond=0).isoformat()


def _body(**extra):
    return {
        "title": "Atelier réparation",
        "starts_at": _future(5),
        "ends_at": _future(5, 2),
        "place": "Maison de quartier",
        "capacity": 10,
        **extra,
    }


@pytest.mark.parametrize("role", ROLES)
def test_who_plans_a_rencontre(client, world, api_token, role):
    response = client.post(
        f"/api/v1/communities/{world.community.slug}/events",
        json=_body(),
        headers=_headers(world, role, api_token),
    )
    if role == "visitor":
        assert response.status_code == 401
    elif role in CREATORS:
        assert response.status_code == 201, response.json
        (created,) = response.json
        assert created["community"] == world.community.slug
        assert created["status"] == "scheduled"
        assert created["going_count"] == 0 and created["my_rsvp"] is None
        event = db.session.get(Event, created["id"])
        assert event.thread_id is not None
    else:
        assert response.status_code == 403
        assert response.json["code"] == "forbidden"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("act", ["patch", "cancel", "attendees", "checkin", "report"])
def test_who_runs_a_rencontre(client, world, api_token, role, act):
    event = make_event(world.community, world.ambassador)
    headers = _headers(world, role, api_token)
    url = f"/api/v1/events/{event.id}"
    if act == "patch":
        response = client.patch(url, json={"title": "Nouveau titre"}, headers=headers)
    elif act == "cancel":
        response = client.post(f"{url}/cancel", json={"reason": "Il pleut."}, headers=headers)
    elif act == "attendees":
        response = client.get(f"{url}/attendees", headers=headers)
    elif act == "checkin":
        response = client.post(f"{url}/checkin", json={"code": "1-AAAAAAAA"}, headers=headers)
    else:
        response = client.post(f"{url}/report", json={"body": "Bien."}, headers=headers)
    if role == "visitor":
        assert response.status_code == 401
    elif role in MANAGERS:
        # Allowed: the act itself answers (a wrong code 422, a report before it happened 409).
        expected = {"patch": 200, "cancel": 200, "attendees": 200, "checkin": 409, "report": 409}
        assert response.status_code == expected[act], response.json
    else:
        assert response.status_code == 403


def test_an_ambassador_who_stepped_down_no_longer_runs_her_rencontre(client, world, api_token):
    from community.ambassadors.models import Ambassador

    event = make_event(world.community, world.ambassador)
    for mission in db.session.query(Ambassador).filter_by(member_id=world.ambassador.id):
        mission.status = "ended"
    response = client.patch(
        f"/api/v1/events/{event.id}", json={"title": "Encore"}, headers=api_token(world.ambassador)
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("visitor", False), ("citizen", False), ("member", True), ("closed_gardener", True),
        ("gardener", False), ("staff", True), ("admin", True),
    ],
)  # fmt: skip
def test_an_on_request_communitys_rencontres_are_for_its_members(
    client, world, api_token, role, sees
):
    event = make_event(world.closed, world.closed_gardener)
    headers = _headers(world, role, api_token)
    for url in (f"/api/v1/events/{event.id}", f"/api/v1/events/{event.id}.ics"):
        assert client.get(url, headers=headers).status_code == (200 if sees else 404)
    listed = client.get(f"/api/v1/events?community={world.community.slug}", headers=headers)
    assert listed.status_code == 200
    everything = client.get("/api/v1/events", headers=headers).json
    assert (event.id in {e["id"] for e in everything}) is sees
    rsvp = client.post(f"/api/v1/events/{event.id}/rsvp", headers=headers)
    assert rsvp.status_code == (201 if sees else 401 if role == "visitor" else 404)


def test_an_open_communitys_rencontre_is_public(client, world):
    event = make_event(world.community, world.gardener, title="Troc de graines")
    response = client.get(f"/api/v1/events/{event.id}")
    assert response.status_code == 200
    data = response.json
    assert data["title"] == "Troc de graines" and data["community"] == world.community.slug
    assert data["starts_at"].endswith("+00:00")
    assert set(data) >= {
        "id", "title", "description_html", "community", "initiative_id", "starts_at", "ends_at",
        "place", "neighbourhood", "capacity", "going_count", "waitlist_count", "status",
        "my_rsvp", "thread_id", "report_html",
    }  # fmt: skip


def test_the_list_filters_by_community_and_dates_without_a_query_per_rencontre(
    client, world, api_token, queries
):
    soon = make_event(world.community, days=2)
    later = make_event(world.community, days=20)
    make_event(world.community, days=-3)  # over: not listed by default
    other = make_event(world.closed, days=2)
    make_registration(soon, world.member)
    headers = api_token(world.member)
    everything = client.get("/api/v1/events", headers=headers).json
    assert [e["id"] for e in everything] == [soon.id, other.id, later.id]
    assert everything[0]["my_rsvp"] == "going"
    in_range = client.get(
        "/api/v1/events",
        query_string={
            "community": world.community.slug,
            "from": (utcnow() + timedelta(days=10)).isoformat(),
            "to": (utcnow() + timedelta(days=30)).isoformat(),
        },
        headers=headers,
    ).json
    assert [e["id"] for e in in_range] == [later.id]
    for n in range(5):
        make_event(world.community, days=4 + n)
    with queries() as few:
        client.get("/api/v1/events", headers=headers)
    for n in range(10):
        make_event(world.community, days=10 + n)
    with queries() as many:
        client.get("/api/v1/events", headers=headers)
    assert many.count == few.count


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "x"}, "title"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 1_000_000}, "capacity"),
        ({"starts_at": "2001-01-01T10:00:00+00:00", "ends_at": "2001-01-01T12:00:00+00:00"},
         "starts_at"),
        ({"starts_at": "2999-01-01T10:00:00+00:00", "ends_at": "2999-01-01T12:00:00+00:00"},
         "starts_at"),
        ({"ends_at": _future(4)}, "ends_at"),
        ({"ends_at": _future(40)}, "ends_at"),
        ({"starts_at": "demain"}, "starts_at"),
        ({"starts_at": "0001-01-01T00:00:00+05:00"}, "starts_at"),
        ({"starts_at": "9999-12-31T23:00:00-05:00", "ends_at": "9999-12-31T23:30:00-05:00"},
         "starts_at"),
        ({"capacity": "dix"}, "capacity"),
        ({"repeat_weekly": 0}, "repeat"),
        ({"repeat_weekly": 500}, "repeat"),
        ({"neighbourhood_id": 999_999}, "neighbourhood_id"),
        ({"initiative_id": 999_999}, "initiative_id"),
    ],
)  # fmt: skip
def test_bad_input_is_a_422_not_a_500(client, world, api_token, change, field):
    before = db.session.query(Event).count()
    response = client.post(
        f"/api/v1/communities/{world.community.slug}/events",
        json=_body(**change),
        headers=api_token(world.gardener),
    )
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    assert db.session.query(Event).count() == before


def test_guests_only_in_an_open_community(client, world, api_token):
    response = client.post(
        f"/api/v1/communities/{world.closed.slug}/events",
        json=_body(accepts_guests=True),
        headers=api_token(world.closed_gardener),
    )
    assert response.status_code == 422
    assert "accepts_guests" in response.json["errors"]


def test_repeat_every_week_makes_separate_rencontres_at_the_same_paris_time(
    client, world, api_token
):
    # 18:30 in Paris on a Tuesday before the change to winter time, four weeks running.
    start = datetime(2027, 10, 12, 16, 30, tzinfo=UTC)  # 18:30 CEST
    response = client.post(
        f"/api/v1/communities/{world.community.slug}/events",
        json=_body(
            starts_at=start.isoformat(),
            ends_at=(start + timedelta(hours=2)).isoformat(),
            repeat_weekly=4,
        ),
        headers=api_token(world.gardener),
    )
    assert response.status_code == 201, response.json
    created = response.json
    assert len(created) == 4
    assert len({e["id"] for e in created}) == 4 and len({e["thread_id"] for e in created}) == 4
    # Summer time ends on 31 October 2027: the fourth is at 17:30 UTC, still 18:30 in Paris.
    assert [e["starts_at"][11:16] for e in created] == ["16:30", "16:30", "16:30", "17:30"]
    assert {e["series_id"] for e in created} == {created[0]["id"]}


def test_patch_and_cancel(client, world, api_token, app):
    event = make_event(world.community, world.gardener, capacity=1)
    waiting = make_registration(event, world.member, status="going")
    second = make_registration(event, world.citizen, status="waitlisted")
    headers = api_token(world.gardener)
    patched = client.patch(f"/api/v1/events/{event.id}", json={"capacity": None}, headers=headers)
    assert patched.status_code == 200
    assert patched.json["capacity"] is None
    assert patched.json["going_count"] == 2 and patched.json["waitlist_count"] == 0
    db.session.refresh(second)
    assert second.status == "going" and waiting.status == "going"
    bad = client.post(f"/api/v1/events/{event.id}/cancel", json={"reason": ""}, headers=headers)
    assert bad.status_code == 422
    done = client.post(
        f"/api/v1/events/{event.id}/cancel", json={"reason": "Salle indisponible."}, headers=headers
    )
    assert done.status_code == 200 and done.json["status"] == "cancelled"
    assert done.json["cancel_reason"] == "Salle indisponible."
    again = client.post(
        f"/api/v1/events/{event.id}/cancel", json={"reason": "Encore."}, headers=headers
    )
    assert again.status_code == 409
    assert (
        client.post(f"/api/v1/events/{event.id}/rsvp", headers=api_token(world.staff)).status_code
        == 409
    )


def test_bad_list_arguments(client):
    assert client.get("/api/v1/events?from=hier").status_code == 422
    assert client.get("/api/v1/events?to=0001-01-01T00:00:00%2B05:00").status_code == 422


def test_unknown_rencontre(client, world, api_token):
    assert client.get("/api/v1/events/999999").status_code == 404
    assert (
        client.post("/api/v1/events/999999/rsvp", headers=api_token(world.member)).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/communities/nowhere/events", json=_body(), headers=api_token(world.staff)
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "body,fields",
    [
        ({"capacity": -1, "initiative_id": 1}, {"capacity"}),
        ({"neighbourhood_id": 0, "initiative_id": 1}, {"neighbourhood_id"}),
        ({"capacity": 0, "neighbourhood_id": -1}, {"capacity", "neighbourhood_id"}),
    ],
)
def test_an_edit_refused_field_by_field_writes_nothing(client, world, api_token, body, fields):
    """Each field is checked before the next lookup: an invalid value already set on the row
    must not be flushed by the lookup that follows (a 500 on the constraint, not a 422)."""
    event = make_event(world.community, world.gardener, capacity=5)
    headers = api_token(world.gardener)
    answer = client.patch(f"/api/v1/events/{event.id}", json=body, headers=headers)
    assert answer.status_code == 422, answer.json
    assert fields <= set(answer.json["errors"])
    db.session.expire_all()
    assert db.session.get(Event, event.id).capacity == 5
