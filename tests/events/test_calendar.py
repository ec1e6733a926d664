"""`.ics` files and the member's private calendar feed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from community.core.models import utcnow
from tests.events.factories import make_event, make_registration


def _events(body: bytes):
    calendar = Calendar.from_ical(body)
    return calendar, [c for c in calendar.walk("VEVENT")]


def test_an_ics_keeps_the_paris_time_on_both_sides_of_a_dst_change(client, world):
    winter = make_event(
        world.community,
        title="Veillée d'hiver",
        starts_at=datetime(2027, 1, 14, 17, 30, tzinfo=UTC),  # 18:30 in Paris (UTC+1)
        ends_at=datetime(2027, 1, 14, 19, 30, tzinfo=UTC),
    )
    summer = make_event(
        world.community,
        title="Pique-nique d'été",
        starts_at=datetime(2027, 7, 15, 16, 30, tzinfo=UTC),  # 18:30 in Paris (UTC+2)
        ends_at=datetime(2027, 7, 15, 18, 30, tzinfo=UTC),
    )
    for event in (winter, summer):
        response = client.get(f"/events/{event.id}.ics")
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        calendar, (item,) = _events(response.data)
        assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
        start = item.decoded("DTSTART")
        assert str(start.tzinfo) == "Europe/Paris"
        assert (start.hour, start.minute) == (18, 30)
        assert start.astimezone(UTC) == event.starts_at
        assert item.decoded("DTEND").astimezone(UTC) == event.ends_at
        assert str(item["SUMMARY"]) == event.title
        assert str(item["UID"]) == f"rencontre-{event.id}@terreau"
    api = client.get(f"/api/v1/events/{winter.id}.ics")
    assert api.status_code == 200 and _events(api.data)[1][0]["SUMMARY"] == "Veillée d'hiver"


def test_a_cancelled_rencontre_is_cancelled_in_calendars(client, world):
    event = make_event(world.community, status="cancelled")
    _calendar, (item,) = _events(client.get(f"/events/{event.id}.ics").data)
    assert str(item["STATUS"]) == "CANCELLED"


def test_an_on_request_communitys_ics_is_for_its_members(client, world, login_as):
    event = make_event(world.closed)
    assert client.get(f"/events/{event.id}.ics").status_code == 404
    login_as(world.member)
    assert client.get(f"/events/{event.id}.ics").status_code == 200


def _issue(client) -> str:
    response = client.post_form("/events/calendar")
    assert response.status_code == 200
    match = re.search(r'value="(http[^"]+/me/calendar\.ics\?token=[^"]+)"', response.text)
    assert match, "no feed link on the page"
    return match.group(1).split("/me/calendar.ics", 1)[1]


def test_the_private_feed_lists_my_rencontres_and_a_revoked_token_is_refused(
    client, world, login_as
):
    mine = make_event(world.community, title="Ma rencontre")
    make_registration(mine, world.member)
    make_event(world.community, title="Pas la mienne")
    old = make_event(world.community, starts_at=utcnow() - timedelta(days=90))
    make_registration(old, world.member)
    login_as(world.member)
    query = _issue(client)
    client.get("/auth/logout")
    feed = client.get(f"/me/calendar.ics{query}")
    assert feed.status_code == 200
    _calendar, items = _events(feed.data)
    assert [str(i["SUMMARY"]) for i in items] == ["Ma rencontre"]

    # A new link replaces the old one.
    login_as(world.member)
    newer = _issue(client)
    assert client.get(f"/me/calendar.ics{query}").status_code == 404
    assert client.get(f"/me/calendar.ics{newer}").status_code == 200
    # Revoked: refused.
    assert client.post_form("/events/calendar/revoke").status_code == 302
    assert client.get(f"/me/calendar.ics{newer}").status_code == 404
    assert client.get("/me/calendar.ics?token=").status_code == 404
    assert client.get("/me/calendar.ics").status_code == 404


def test_a_title_is_one_line_at_every_door_and_the_ics_holds_anyway(
    client, world, api_token, login_as
):
    from community.events.calendar import calendar_of

    created = client.post(
        f"/api/v1/communities/{world.community.slug}/events",
        json={
            "title": "Atelier\nvélo\r\n  du samedi",
            "starts_at": (utcnow() + timedelta(days=3)).isoformat(),
            "ends_at": (utcnow() + timedelta(days=3, hours=2)).isoformat(),
        },
        headers=api_token(world.gardener),
    )
    assert created.status_code == 201, created.json
    (event,) = created.json
    assert event["title"] == "Atelier vélo du samedi"
    ics = client.get(f"/events/{event['id']}.ics")
    assert ics.status_code == 200
    calendar, (_item,) = _events(ics.data)
    assert str(calendar["X-WR-CALNAME"]) == "Atelier vélo du samedi"
    edited = client.patch(
        f"/api/v1/events/{event['id']}",
        json={"title": "Ligne 1\nLigne 2"},
        headers=api_token(world.gardener),
    )
    assert edited.status_code == 200 and edited.json["title"] == "Ligne 1 Ligne 2"
    # The HTML form too.
    login_as(world.gardener)
    planned = client.post_form(
        f"/communities/{world.community.slug}/events/new",
        {"title": "Un\ntitre", "starts_at": "2027-03-20T09:00", "ends_at": "2027-03-20T12:00",
         "neighbourhood_id": "", "initiative_id": "", "repeat": "1"},
    )  # fmt: skip
    assert planned.status_code == 302
    assert client.get(planned.location).status_code == 200
    assert "<h1>Un titre</h1>" in client.get(planned.location).get_data(as_text=True)
    row = make_event(world.community, title="Déjà\nlà")  # stored before the rule
    assert client.get(f"/events/{row.id}.ics").status_code == 200
    assert b"X-WR-CALNAME:D\xc3\xa9j\xc3\xa0 l\xc3\xa0" in calendar_of([row], row.title)
