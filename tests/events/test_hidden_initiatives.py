"""A rencontre linked to an initiative the moderators hid: its page, the API and the planning
form never name that initiative to someone who may not read it (`initiatives.queries`), and a
rencontre is linked only to an initiative its planner may read and that is shown."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.core.errors import Invalid
from community.core.models import utcnow
from community.events import services
from community.events.models import Event
from community.extensions import db
from community.initiatives import services as initiatives
from tests.conftest import page_text
from tests.events.factories import make_event
from tests.factories import make_member
from tests.initiatives.factories import make_initiative

TITLE = "Potager des Glycines"


@pytest.fixture
def linked(world):  # type: ignore[no-untyped-def]
    """A rencontre of the open community linked to an initiative of its own, then hidden."""
    author = make_member()
    initiative = make_initiative(author, community=world.community, title=TITLE)
    event = make_event(world.community, world.gardener, initiative_id=initiative.id)
    initiatives.hide_initiative(world.agent, initiative, "Hors charte")
    db.session.commit()
    return author, initiative, event


@pytest.mark.parametrize("role", ["visitor", "citizen", "member", "ambassador", "staff"])
def test_a_rencontre_never_names_a_hidden_initiative(client, world, linked, api_token, role):
    _author, initiative, event = linked
    person = None if role == "visitor" else getattr(world, role)
    headers = api_token(person) if person is not None else {}
    if person is not None:
        client.login_as(person)
    page = client.get(f"/events/{event.id}")
    one = client.get(f"/api/v1/events/{event.id}", headers=headers)
    listed = client.get("/api/v1/events", headers=headers)
    ics = client.get(f"/events/{event.id}.ics")
    readable = role == "staff"  # staff moderate every initiative: they read it
    assert (TITLE in page_text(page)) is readable
    assert (f"/initiatives/{initiative.id}" in page.text) is readable
    assert one.json["initiative_id"] == (initiative.id if readable else None)
    [mine] = [e for e in listed.json if e["id"] == event.id]
    assert mine["initiative_id"] == (initiative.id if readable else None)
    assert TITLE not in ics.get_data(as_text=True)


@pytest.mark.parametrize("role", ["author", "gardener"])
def test_who_reads_the_hidden_initiative_still_sees_the_link(client, world, linked, role):
    author, _initiative, event = linked
    client.login_as(author if role == "author" else world.gardener)
    assert TITLE in page_text(client.get(f"/events/{event.id}"))


def test_a_shown_initiative_is_named_to_everyone(client, world):
    initiative = make_initiative(make_member(), community=world.community, title=TITLE)
    event = make_event(world.community, world.gardener, initiative_id=initiative.id)
    db.session.commit()
    assert TITLE in page_text(client.get(f"/events/{event.id}"))
    assert client.get(f"/api/v1/events/{event.id}").json["initiative_id"] == initiative.id


def _data(**fields):  # type: ignore[no-untyped-def]
    starts = utcnow() + timedelta(days=4)
    return services.EventData(
        title="Atelier semis", starts_at=starts, ends_at=starts + timedelta(hours=2), **fields
    )


def test_a_rencontre_is_linked_only_to_a_shown_initiative(client, world, linked, api_token):
    """Not offered by the form, refused by the service (every door: page, API, a planner who
    may read the hidden initiative included)."""
    _author, initiative, _event = linked
    client.login_as(world.gardener)
    form = client.get(f"/communities/{world.community.slug}/events/new")
    assert TITLE not in page_text(form)
    for planner in (world.gardener, world.agent, world.ambassador):
        with pytest.raises(Invalid) as refused:
            services.create_event(planner, world.community, _data(initiative_id=initiative.id))
        assert "initiative_id" in refused.value.errors
    created = client.post(
        f"/api/v1/communities/{world.community.slug}/events",
        json={
            "title": "Atelier semis",
            "starts_at": (utcnow() + timedelta(days=4)).isoformat(),
            "ends_at": (utcnow() + timedelta(days=4, hours=2)).isoformat(),
            "initiative_id": initiative.id,
        },
        headers=api_token(world.gardener),
    )
    assert created.status_code == 422 and "initiative_id" in created.json["errors"]
    other = make_event(world.community, world.gardener)
    db.session.commit()
    moved = client.patch(
        f"/api/v1/events/{other.id}",
        json={"initiative_id": initiative.id},
        headers=api_token(world.gardener),
    )
    assert moved.status_code == 422 and "initiative_id" in moved.json["errors"]
    assert db.session.get(Event, other.id).initiative_id is None


def test_editing_keeps_a_link_without_naming_it(client, world, linked, api_token):
    """A rencontre linked before the initiative was hidden keeps its link when it is edited
    (it comes back with the initiative), and the form does not name it."""
    _author, initiative, event = linked
    client.login_as(world.ambassador)  # may not read the hidden initiative
    event.created_by_id = world.ambassador.id
    db.session.commit()
    form = client.get(f"/events/{event.id}/edit")
    assert form.status_code == 200 and TITLE not in page_text(form)
    saved = client.post_form(
        f"/events/{event.id}/edit",
        {
            "title": "Atelier compost, nouvelle date",
            "starts_at": (event.starts_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (event.ends_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Square des Tilleuls",
            "initiative_id": str(initiative.id),
        },
    )
    assert saved.status_code == 302, page_text(saved)
    db.session.refresh(event)
    assert event.title == "Atelier compost, nouvelle date" and event.initiative_id == initiative.id
    again = client.patch(
        f"/api/v1/events/{event.id}",
        json={"initiative_id": initiative.id, "place": "Salle des fêtes"},
        headers=api_token(world.ambassador),
    )
    assert again.status_code == 200 and again.json["initiative_id"] is None  # not hers to read
