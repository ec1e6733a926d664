"""The rencontre pages, without JavaScript: read, register, plan, edit, cancel."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from community.core.models import utcnow
from community.events import codes, queries, registrations, services
from community.events.models import Event
from community.extensions import db
from community.threads.models import Thread
from tests.conftest import page_text
from tests.events.factories import make_event, make_registration
from tests.factories import make_member


def test_an_open_rencontre_is_readable_without_an_account(client, world):
    event = make_event(world.community, title="Repair café", capacity=10)
    listing = page_text(client.get("/events"))
    assert "Repair café" in listing
    page = client.get(f"/events/{event.id}")
    assert page.status_code == 200
    text = page_text(page)
    assert "Repair café" in text and "Se connecter pour s'inscrire" in text
    closed = make_event(world.closed, title="Réunion fermée")
    assert client.get(f"/events/{closed.id}").status_code == 404
    assert "Réunion fermée" not in page_text(client.get("/events"))


def test_register_see_the_qr_code_and_give_the_place_back(client, world, login_as, outbox):
    event = make_event(world.community, capacity=1)
    login_as(world.member)
    assert client.post_form(f"/events/{event.id}/rsvp").status_code == 302
    registration = registrations.registration_of(world.member, event)
    assert registration.status == "going"
    page = page_text(client.get(f"/events/{event.id}"))
    assert "<svg" in page and codes.checkin_code(event.id, registration.id) in page
    login_as(world.citizen)
    client.post_form(f"/events/{event.id}/rsvp")
    assert registrations.registration_of(world.citizen, event).status == "waitlisted"
    login_as(world.member)
    client.post_form(f"/events/{event.id}/rsvp/cancel")
    assert registrations.registration_of(world.citizen, event).status == "going"
    # Without the CSRF token: refused.
    assert client.post(f"/events/{event.id}/rsvp").status_code == 400


def test_plan_a_weekly_rencontre_in_paris_time(client, world, login_as):
    login_as(world.gardener)
    form = client.get(f"/communities/{world.community.slug}/events/new")
    assert form.status_code == 200
    # A way out of the form that leads back where she came from.
    assert f'href="/communities/{world.community.slug}">' in page_text(form)
    response = client.post_form(
        f"/communities/{world.community.slug}/events/new",
        {
            "title": "Permanence du marché",
            "starts_at": "2027-03-20T09:00",  # a week before summer time
            "ends_at": "2027-03-20T12:00",
            "place": "Place du marché",
            "capacity": "",
            "neighbourhood_id": "",
            "initiative_id": "",
            "repeat": "2",
        },
    )
    assert response.status_code == 302, page_text(response)
    landed = page_text(client.get(response.headers["Location"], headers={"Accept-Language": "fr"}))
    assert "2 rencontres prévues" in landed
    events = (
        db.session.query(Event)
        .filter_by(title="Permanence du marché")
        .order_by(Event.starts_at)
        .all()
    )
    assert [e.starts_at for e in events] == [
        datetime(2027, 3, 20, 8, 0, tzinfo=UTC),  # 09:00 CET
        datetime(2027, 3, 27, 8, 0, tzinfo=UTC),  # 09:00 CET (summer time starts on the 28th)
    ]
    assert all(e.capacity is None for e in events)
    threads = db.session.query(Thread).filter(Thread.id.in_([e.thread_id for e in events])).all()
    assert {t.kind for t in threads} == {"event"} and len(threads) == 2


@pytest.mark.parametrize("role", ["citizen", "member", "other_gardener"])
def test_planning_is_refused_to_others(client, world, login_as, role):
    login_as(getattr(world, role))
    assert client.get(f"/communities/{world.community.slug}/events/new").status_code == 403


def test_bad_dates_are_a_form_message(client, world, login_as):
    login_as(world.gardener)
    response = client.post_form(
        f"/communities/{world.community.slug}/events/new",
        {"title": "Atelier", "starts_at": "2001-01-01T10:00", "ends_at": "2001-01-01T09:00",
         "neighbourhood_id": "", "initiative_id": "", "repeat": "1"},
    )  # fmt: skip
    assert response.status_code == 422
    text = page_text(response)
    assert "Choisissez une date à venir." in text and "La fin doit venir après le début." in text


def test_edit_and_cancel_with_a_reason(client, world, login_as):
    event = make_event(world.community, world.gardener, capacity=5)
    make_registration(event, world.member)
    login_as(world.gardener)
    page = client.get(f"/events/{event.id}/edit")
    assert page.status_code == 200
    client.post_form(f"/events/{event.id}/cancel", {"reason": "Le local est inondé."})
    db.session.refresh(event)
    assert event.status == "cancelled"
    login_as(world.member)
    text = page_text(client.get(f"/events/{event.id}"))
    assert "Cette rencontre est annulée." in text and "Le local est inondé." in text


def test_the_thread_follows_the_community(client, world, login_as):
    from community.threads.permissions import can_post_in_thread, can_read_thread

    closed = make_event(world.closed, world.closed_gardener)
    thread = db.session.get(Thread, closed.thread_id) if closed.thread_id else None
    if thread is None:
        services._thread_for(world.closed_gardener, closed)
        thread = db.session.get(Thread, closed.thread_id)
    assert can_read_thread(world.member, thread) and not can_read_thread(world.citizen, thread)
    assert can_read_thread(None, thread) is False
    assert can_post_in_thread(world.member, thread) and not can_post_in_thread(
        world.citizen, thread
    )


def test_upcoming_for_the_home_page(world):
    mine = make_event(world.community, days=4, title="Inscrite")
    make_registration(mine, world.member)
    closed = make_event(world.closed, days=2, title="De ma communauté")
    make_event(world.community, days=1, status="cancelled")
    stranger = make_member()
    assert [e.title for e in queries.upcoming_for(world.member, 5)] == [
        "De ma communauté",
        "Inscrite",
    ]
    assert queries.upcoming_for(stranger, 5) == []
    visitor = queries.upcoming_for(None, 5)
    assert mine in visitor and closed not in visitor
    assert len(queries.upcoming_for(None, 1)) == 1
    assert utcnow() < visitor[0].starts_at + timedelta(days=10)
    # A gardener is in the community she gardens (the town's side holds no membership).
    assert mine in queries.upcoming_for(world.agent, 5)


def test_my_rencontres_page(client, world, login_as):
    event = make_event(world.community, title="Ma rencontre")
    make_registration(event, world.member)
    login_as(world.member)
    assert "Ma rencontre" in page_text(client.get("/events/mine"))
    client.get("/auth/logout")


def test_the_rencontres_thread_page_opens(client, world, login_as):
    event = make_event(world.community, world.gardener)
    services._thread_for(world.gardener, event)
    assert client.get(f"/threads/{event.thread_id}").status_code == 200
    closed = make_event(world.closed, world.closed_gardener)
    services._thread_for(world.closed_gardener, closed)
    assert client.get(f"/threads/{closed.thread_id}").status_code in (401, 403, 404)
    login_as(world.member)
    assert client.get(f"/threads/{closed.thread_id}").status_code == 200


@pytest.mark.parametrize("when", ["0001-01-01T00:10", "9999-12-31T23:50"])
def test_extreme_dates_in_the_forms_are_a_form_message(client, world, login_as, when):
    event = make_event(world.community, world.gardener)
    login_as(world.gardener)
    fields = {"title": "Atelier", "starts_at": when, "ends_at": when, "neighbourhood_id": "",
              "initiative_id": "", "repeat": "1"}  # fmt: skip
    created = client.post_form(f"/communities/{world.community.slug}/events/new", fields)
    # The one bounded date input (core/dates.py) answers before the rencontre's own rule.
    assert created.status_code == 422 and "Choisissez une date entre" in page_text(created)
    edited = client.post_form(f"/events/{event.id}/edit", fields)
    assert edited.status_code == 422 and "Choisissez une date entre" in page_text(edited)


def test_list_pages_do_not_query_per_rencontre(client, world, login_as, queries):
    def fill(n):
        for day in range(n):
            event = make_event(world.community, days=2 + day, capacity=3)
            make_registration(event, make_member())

    login_as(world.member)
    fill(2)
    counts = []
    for _ in range(2):
        with queries() as log:
            assert client.get("/events").status_code == 200
            assert client.get(f"/communities/{world.community.slug}").status_code == 200
            assert client.get("/events/mine").status_code == 200
        counts.append(log.count)
        fill(6)
    assert counts[0] == counts[1]


def test_a_rencontre_on_one_day_says_its_day_once_and_home_shows_her_place(client, world, login_as):
    """Walked at 360 px: "7 décembre 2026 à 09:00 – 7 décembre 2026 à 12:00" said the day twice,
    and the home page did not say at which rencontre she has a place (her check-in code)."""
    event = make_event(
        world.community,
        title="Permanence du marché",
        starts_at=datetime(2027, 3, 20, 8, 0, tzinfo=UTC),
        ends_at=datetime(2027, 3, 20, 11, 0, tzinfo=UTC),
    )
    db.session.commit()
    text = page_text(client.get(f"/events/{event.id}"))
    assert "20 mars 2027 à 09:00 – 12:00" in re.sub(r"<[^>]+>", "", text)
    assert "Ajouter à mon agenda" in text and ".ics)" not in text
    login_as(world.member)
    before = page_text(client.get("/"))
    assert "Permanence du marché" in before and "Vous avez une place" not in before
    client.post_form(f"/events/{event.id}/rsvp")
    home = page_text(client.get("/"))
    assert "Vous avez une place\u00a0: votre code d'accueil est sur sa page" in home
    assert "Mes inscriptions et mon agenda" in home


def test_her_own_place_comes_before_the_rencontre_being_full(client, world, login_as):
    """Walked at 360 px: "Mes rencontres" and the home page said "Complet : liste d'attente"
    of a rencontre where she has a place; nor did they say where she stands on the list."""
    event = make_event(world.community, title="Atelier couture", capacity=1)
    make_registration(event, world.member)
    first, second = make_member(), make_member()
    make_registration(event, first, status="waitlisted", queued_at=utcnow())
    make_registration(event, second, status="waitlisted", queued_at=utcnow() + timedelta(minutes=1))
    login_as(world.member)
    for path in ("/events/mine", "/", "/events"):
        text = page_text(client.get(path))
        assert "Atelier couture" in text
        assert "Vous avez une place" in text, path
        assert "Complet\u00a0: liste d'attente" not in text, path
    login_as(second)
    for path in ("/events/mine", "/events", f"/events/{event.id}"):
        text = page_text(client.get(path))
        assert "Vous êtes sur la liste d'attente (n°\u00a02)" in text, path
        assert "Complet\u00a0: liste d'attente" not in text, path
    login_as(world.citizen)  # neither a place nor a wait: the rencontre is full
    assert "Complet\u00a0: liste d'attente" in page_text(client.get("/events"))


@pytest.mark.parametrize(
    ("going", "capacity", "said"),
    [(0, 10, "0 inscrit sur 10 places"), (1, 10, "1 inscrit sur 10 places"),
     (2, 10, "2 inscrits sur 10 places"), (1, 1, "1 inscrit sur 1 place")],
)  # fmt: skip
def test_places_are_counted_in_good_french(client, world, going, capacity, said):
    event = make_event(world.community, capacity=capacity)
    for _ in range(going):
        make_registration(event, make_member())
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page_text(client.get(f"/events/{event.id}"))))
    assert said in text


def _edit_form(event, **changes):
    from community.events.times import paris

    fields = {
        "title": event.title,
        "starts_at": paris(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": paris(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "place": event.place,
        "capacity": "",
        "neighbourhood_id": "",
        "initiative_id": "",
        "description": event.description,
    }
    return {**fields, **changes}


def test_moving_a_rencontre_tells_those_registered(client, world, login_as, outbox):
    """Found walking the app: a gardener moved a rencontre an hour later and Léa, registered,
    was never told (she would have waited an hour at the door)."""
    from community.notifications.models import Notification

    starts = utcnow().replace(second=0, microsecond=0) + timedelta(days=3)  # as a form gives it
    event = make_event(
        world.community, world.gardener, capacity=2, place="Square des Tilleuls", starts_at=starts
    )
    make_registration(event, world.member)
    make_registration(event, guest_name="Camille", guest_email="camille@example.org")
    waiting = make_member()
    make_registration(event, waiting, status="waitlisted")
    login_as(world.gardener)
    page = page_text(client.get(f"/events/{event.id}/edit"))
    assert "prévenues si la date, l'heure ou le lieu change" in page

    # A new description tells nobody.
    response = client.post_form(
        f"/events/{event.id}/edit", _edit_form(event, description="Apportez un seau.")
    )
    assert response.status_code == 302, page_text(response)
    assert db.session.query(Notification).filter_by(kind="event_moved").count() == 0

    later = (event.starts_at + timedelta(hours=1)).astimezone(UTC)
    from community.events.times import paris

    new_start = paris(later).strftime("%Y-%m-%dT%H:%M")
    new_end = paris(later + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post_form(
        f"/events/{event.id}/edit",
        _edit_form(event, starts_at=new_start, ends_at=new_end, place="Maison de quartier"),
    )
    assert response.status_code == 302, page_text(response)
    db.session.refresh(event)
    # Saved (an edit that kept the times once took them out of every later edit's fields).
    assert event.starts_at == later and event.place == "Maison de quartier"
    for person in (world.member, waiting):
        (note,) = (
            db.session.query(Notification).filter_by(member_id=person.id, kind="event_moved").all()
        )
        # The new time; the place stays on the page (a notification copies no written text).
        assert event.title in note.text and "Maison de quartier" not in note.text
        assert paris(later).strftime("%H:%M") in note.text
        assert note.url == f"/events/{event.id}"
    assert (
        not db.session.query(Notification)
        .filter_by(member_id=world.gardener.id)
        .filter_by(kind="event_moved")
        .count()
    )
    (mail,) = outbox.to("camille@example.org")
    assert "Maison de quartier" in outbox.text_of(mail) and event.title in mail["Subject"]


def test_the_waiting_list_code_promises_no_place_and_her_own_scan_leads_back(
    client, world, login_as
):
    """Found walking: a code shown to a person waiting read as a place kept; her own QR code
    scanned with her own phone opened the check-in, a bare "Accès refusé"."""
    event = make_event(world.community, capacity=1)
    make_registration(event, world.citizen)
    login_as(world.member)
    client.post_form(f"/events/{event.id}/rsvp")
    registration = registrations.registration_of(world.member, event)
    assert registration.status == "waitlisted"
    page = page_text(client.get(f"/events/{event.id}"))
    assert "ce code ne vous garde pas de place" in page
    assert "Montrez ce QR code à l'accueil" not in page

    code = codes.checkin_code(event.id, registration.id)
    scanned = client.get(f"/events/{event.id}/attendees?code={code}")
    assert scanned.status_code == 302 and scanned.location.endswith(f"/events/{event.id}")
    told = page_text(client.get(scanned.location))
    assert "Ce code est pour l'accueil" in told
    # Without a code, the check-in page stays refused to her.
    assert client.get(f"/events/{event.id}/attendees").status_code == 403
    login_as(world.gardener)  # the person at the door opens it
    assert client.get(f"/events/{event.id}/attendees?code={code}").status_code == 200


def test_a_visitor_finds_the_rencontres_from_the_home_page(client):
    """Found walking: the home page of a visitor led to communities, initiatives and mutual
    help, not to the rencontres, which she may read without an account."""
    home = page_text(client.get("/"))
    assert 'href="/events"' in home and "Voir les rencontres" in home
