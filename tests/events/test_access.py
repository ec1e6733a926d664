"""Who may read a rencontre is one rule, at every door: losing an on-request community's
rencontres (leaving it, its turning on-request, any other way) ends them everywhere — the page,
the `.ics`, the private feed, "my rencontres", the home page, an initiative's story, the API,
the reminders and every notice — and gives the places back to those waiting."""

from __future__ import annotations

import re
from datetime import timedelta

from icalendar import Calendar

from community.communities.models import Membership
from community.communities.services import CommunityData, save_community
from community.core.models import utcnow
from community.events import attendance, codes, registrations, services
from community.events.cli import send_reminders
from community.events.models import Registration
from community.extensions import db
from community.notifications.models import Notification
from tests.conftest import page_text
from tests.events.factories import make_event, make_registration
from tests.factories import make_member, make_membership


def _issue_feed(client) -> str:
    response = client.post_form("/events/calendar")
    assert response.status_code == 200
    match = re.search(r'value="http[^"]+(/me/calendar\.ics\?token=[^"]+)"', response.text)
    assert match, "no feed link on the page"
    return match.group(1)


def _feed_titles(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200
    return [str(item["SUMMARY"]) for item in Calendar.from_ical(response.data).walk("VEVENT")]


def _notified(kind: str) -> list[int]:
    rows = db.session.query(Notification).filter_by(kind=kind).order_by(Notification.id)
    return [n.member_id for n in rows]


def _private_rencontre(world, **fields):
    """Tomorrow, in the on-request community: Jeanne has its one place, Paul waits."""
    jeanne = make_member(display_name="Jeanne")
    paul = make_member(display_name="Paul")
    for person in (jeanne, paul):
        make_membership(world.closed, person)
    event = make_event(
        world.closed,
        world.closed_gardener,
        title="Réunion du bureau",
        place="Salle des associations",
        capacity=1,
        starts_at=utcnow() + timedelta(hours=20),
        **fields,
    )
    place = make_registration(event, jeanne)
    wait = make_registration(event, paul, status="waitlisted", queued_at=utcnow())
    return event, jeanne, paul, place, wait


def test_leaving_an_on_request_community_ends_its_rencontres_and_her_place(client, world, login_as):
    event, jeanne, paul, place, wait = _private_rencontre(world)
    login_as(jeanne)
    feed = _issue_feed(client)
    assert _feed_titles(client, feed) == ["Réunion du bureau"]
    assert "Réunion du bureau" in page_text(client.get("/events/mine"))

    assert client.post_form(f"/communities/{world.closed.slug}/leave").status_code == 302
    services.edit_event(
        world.closed_gardener,
        event,
        services.EventData(place="Chez Maryse, 3 rue des Lilas", given={"place"}),
    )

    assert client.get(f"/events/{event.id}").status_code == 404
    assert client.get(f"/events/{event.id}.ics").status_code == 404
    assert _feed_titles(client, feed) == []
    assert "Chez Maryse" not in client.get(feed).get_data(as_text=True)
    assert "Réunion du bureau" not in page_text(client.get("/events/mine"))
    assert "Réunion du bureau" not in page_text(client.get("/"))
    # Her place went to Paul, who is told; she is told why hers ended.
    db.session.refresh(place)
    db.session.refresh(wait)
    assert (place.status, wait.status) == ("cancelled", "going")
    assert _notified("event_promoted") == [paul.id]
    assert _notified("event_withdrawn") == [jeanne.id]
    # The reminder goes to Paul only.
    assert send_reminders()[0] == 1
    assert _notified("event_reminder") == [paul.id]


def test_the_doors_follow_the_rule_even_for_a_place_left_behind(client, world, login_as, api_token):
    """A place whose holder may no longer read the rencontre, however that came to be (here her
    membership ended without the signal): no door shows it or speaks of it."""
    from tests.initiatives.factories import make_initiative

    initiative = make_initiative(community=world.closed)
    event, jeanne, paul, _place, _wait = _private_rencontre(world, initiative_id=initiative.id)
    past = make_event(
        world.closed,
        title="Bilan de l'an passé",
        starts_at=utcnow() - timedelta(hours=3),
        initiative_id=initiative.id,
        report_html="<p>Compte rendu réservé.</p>",
    )
    make_registration(past, jeanne, checked_in_at=utcnow() - timedelta(hours=2))
    login_as(jeanne)
    feed = _issue_feed(client)
    membership = db.session.query(Membership).filter_by(member_id=jeanne.id).one()
    membership.status = "left"
    db.session.flush()

    assert _feed_titles(client, feed) == []
    assert "Réunion du bureau" not in page_text(client.get("/events/mine"))
    assert "Réunion du bureau" not in page_text(client.get("/"))
    listed = client.get("/api/v1/events", headers=api_token(jeanne)).json
    assert "Réunion du bureau" not in [e["title"] for e in listed]
    # An initiative is public, its on-request community's rencontres are not.
    story = page_text(client.get(f"/initiatives/{initiative.id}"))
    assert "Bilan de l'an passé" not in story and "Compte rendu réservé." not in story
    client.get("/auth/logout")
    assert "Compte rendu réservé." not in page_text(client.get(f"/initiatives/{initiative.id}"))

    assert send_reminders()[0] == 0  # Jeanne's place: no reminder
    attendance.publish_report(world.closed_gardener, past, "Merci à tous.")
    assert _notified("event_report") == []
    services.cancel_event(world.closed_gardener, event, "La salle est fermée.")
    assert _notified("event_cancelled") == [paul.id]


def test_a_place_freed_goes_to_the_first_waiting_who_may_still_read_it(world):
    event, jeanne, paul, _place, wait = _private_rencontre(world)
    nadia = make_member()
    make_membership(world.closed, nadia)
    later = make_registration(
        event, nadia, status="waitlisted", queued_at=utcnow() + timedelta(minutes=1)
    )
    db.session.query(Membership).filter_by(member_id=paul.id).one().status = "left"
    db.session.flush()
    registrations.unregister(jeanne, event)
    db.session.refresh(wait)
    db.session.refresh(later)
    assert (wait.status, later.status) == ("waitlisted", "going")
    assert _notified("event_promoted") == [nadia.id]


def test_a_community_turning_on_request_withdraws_the_places_of_those_outside(
    client, world, outbox
):
    community = world.community
    insider, outsider = make_member(), make_member()
    make_membership(community, insider)
    event = make_event(community, title="Atelier vélo", capacity=2, accepts_guests=True)
    guest = make_registration(event, None, guest_name="Camille", guest_email="camille@example.org")
    far = make_registration(event, outsider)
    waiting = make_registration(event, insider, status="waitlisted", queued_at=utcnow())
    pending = make_registration(
        event, None, guest_name="Sam", guest_email="sam@example.org", status="pending"
    )
    save_community(
        world.staff,
        CommunityData(
            name=community.name,
            theme_id=community.theme_id,
            visibility="on_request",
            slug=community.slug,
        ),
        community,
    )
    db.session.commit()
    for registration in (guest, far, waiting):
        db.session.refresh(registration)
    assert (guest.status, far.status, waiting.status) == ("cancelled", "cancelled", "going")
    assert _notified("event_withdrawn") == [outsider.id]
    (mail,) = outbox.to("camille@example.org")
    text = outbox.text_of(mail)
    assert "Atelier vélo" in text and "membres" in text
    assert event.place not in text  # where it takes place is now for members only
    # A guest's link sent before no longer gives a place.
    answer = client.post_form(f"/events/guests/{codes.guest_token(pending.id)}")
    assert "sans compte" in page_text(answer)
    db.session.refresh(pending)
    assert pending.status == "pending"
    assert db.session.get(Registration, far.id).status == "cancelled"


def test_a_non_member_is_told_the_rencontres_are_for_members(client, world, login_as):
    make_event(world.closed, title="Réunion fermée")
    community_page = page_text(client.get(f"/communities/{world.closed.slug}"))
    assert "réservées à ses membres" in community_page
    assert f"/events?community={world.closed.slug}" not in community_page
    for who in (None, world.citizen):
        if who is not None:
            login_as(who)
        listing = client.get(f"/events?community={world.closed.slug}")
        assert listing.status_code == 200
        text = page_text(listing)
        assert "réservées à ses membres" in text and "Réunion fermée" not in text
        assert f'href="/communities/{world.closed.slug}"' in text
        api = client.get(f"/api/v1/events?community={world.closed.slug}")
        assert api.status_code == 200 and api.json == []
    login_as(world.member)
    text = page_text(client.get(f"/events?community={world.closed.slug}"))
    assert "Réunion fermée" in text and "réservées à ses membres" not in text
    assert f"/events?community={world.closed.slug}" in page_text(
        client.get(f"/communities/{world.closed.slug}")
    )
    assert client.get("/events?community=nulle-part").status_code == 404


def test_a_ban_gives_her_places_back_and_she_cannot_register_again(world):
    import pytest

    from community.core.errors import Forbidden
    from community.moderation.suspensions import suspend_from_community

    event = make_event(world.community, world.gardener, capacity=1)
    place = make_registration(event, world.member)
    paul = make_member(display_name="Paul")
    wait = make_registration(event, paul, status="waitlisted", queued_at=utcnow())
    suspend_from_community(world.agent, world.member, world.community, None, "Insultes")
    db.session.refresh(place)
    db.session.refresh(wait)
    assert (place.status, wait.status) == ("cancelled", "going")
    assert world.member.id in _notified("event_withdrawn")
    with pytest.raises(Forbidden):
        registrations.register(world.member, event)  # an open community: she still reads it
