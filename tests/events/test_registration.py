"""Registering: a place or the waiting list; giving a place back promotes the first waiting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.core.errors import Conflict, Forbidden, Unauthenticated
from community.core.models import utcnow
from community.events import registrations, services
from community.events.models import Registration
from community.extensions import db
from community.notifications.models import Notification
from tests.events.factories import make_event, make_registration
from tests.factories import make_member


def _notes(member, kind):
    return db.session.query(Notification).filter_by(member_id=member.id, kind=kind).all()


def test_places_then_the_waiting_list_in_order(world, outbox):
    event = make_event(world.community, world.gardener, capacity=2)
    people = [make_member() for _ in range(4)]
    statuses = [registrations.register(p, event).status for p in people]
    assert statuses == ["going", "going", "waitlisted", "waitlisted"]
    assert (event.going_count, event.waitlist_count) == (2, 2)
    # Registering again changes nothing.
    assert registrations.register(people[0], event).status == "going"
    assert event.going_count == 2

    registrations.unregister(people[1], event)
    db.session.refresh(event)
    by = {
        r.member_id: r.status for r in db.session.query(Registration).filter_by(event_id=event.id)
    }
    assert by[people[1].id] == "cancelled"
    assert by[people[2].id] == "going"  # the first waiting got the place, in the same change
    assert by[people[3].id] == "waitlisted"
    assert (event.going_count, event.waitlist_count) == (2, 1)
    (note,) = _notes(people[2], "event_promoted")
    assert note.url == f"/events/{event.id}"
    assert not _notes(people[3], "event_promoted")

    # A waiting person who gives up promotes nobody.
    registrations.unregister(people[3], event)
    db.session.refresh(event)
    assert (event.going_count, event.waitlist_count) == (2, 0)


def test_cancellations_promote_in_order(world):
    event = make_event(world.community, capacity=1)
    first = make_member()
    registrations.register(first, event)
    waiting = [make_member() for _ in range(3)]
    for person in waiting:
        registrations.register(person, event)
    registrations.unregister(first, event)
    registrations.unregister(waiting[0], event)
    statuses = [registrations.registration_of(p, event).status for p in waiting]
    assert statuses == ["cancelled", "going", "waitlisted"]


def test_coming_back_after_cancelling_goes_to_the_end_of_the_list(world):
    event = make_event(world.community, capacity=1)
    a, b, c = make_member(), make_member(), make_member()
    registrations.register(a, event)
    registrations.register(b, event)
    registrations.unregister(b, event)
    registrations.register(c, event)
    assert registrations.register(b, event).status == "waitlisted"
    registrations.unregister(a, event)
    assert registrations.registration_of(c, event).status == "going"
    assert registrations.registration_of(b, event).status == "waitlisted"


def test_a_confirmation_mail_carries_the_code_and_its_qr(world, outbox, app):
    from community.events.codes import checkin_code

    event = make_event(world.community, capacity=5, title="Atelier vélo")
    registration = registrations.register(world.member, event)
    db.session.commit()
    (mail,) = outbox.to(world.member.email)
    text = outbox.text_of(mail)
    assert "Atelier vélo" in text
    assert checkin_code(event.id, registration.id) in text
    images = [p for p in mail.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0].get_payload(decode=True).startswith(b"\x89PNG")
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "cid:" in html


@pytest.mark.parametrize("state", ["cancelled", "started", "over"])
def test_closed_rencontres_refuse_registrations(world, state):
    now = utcnow()
    if state == "cancelled":
        event = make_event(world.community, status="cancelled")
    elif state == "started":
        event = make_event(world.community, starts_at=now - timedelta(minutes=5))
    else:
        event = make_event(world.community, starts_at=now - timedelta(days=2))
    with pytest.raises(Conflict):
        registrations.register(world.member, event)


def test_reading_rules_apply_to_registering(world):
    event = make_event(world.closed)
    with pytest.raises(Forbidden):
        registrations.register(world.citizen, event)
    with pytest.raises(Unauthenticated):
        registrations.register(None, event)  # type: ignore[arg-type]
    assert registrations.register(world.member, event).status == "going"


def test_cancelling_tells_everyone_registered(world):
    event = make_event(world.community, world.gardener, capacity=1)
    going, waiting = make_member(), make_member()
    make_registration(event, going)
    make_registration(event, waiting, status="waitlisted")
    services.cancel_event(world.gardener, event, "La salle est fermée.")
    for person in (going, waiting):
        (note,) = _notes(person, "event_cancelled")
        assert "La salle est fermée." in note.text
    assert event.state_at(utcnow()) == "cancelled"


def test_erasing_a_member_gives_her_place_to_the_first_waiting(world, client):
    from community.members.erasure import erase_account
    from tests.factories import PASSWORD

    event = make_event(world.community, capacity=1)
    leaving, waiting = make_member(), make_member()
    registrations.register(leaving, event)
    registrations.register(waiting, event)
    event_id = event.id
    erase_account(leaving, PASSWORD)  # expunges everything loaded
    db.session.flush()
    event = services.get_event(event_id)
    assert registrations.registration_of(waiting, event).status == "going"
    assert (event.going_count, event.waitlist_count) == (1, 0)
