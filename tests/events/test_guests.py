"""Guests without an account: pseudonym and e-mail, a single-use link over real SMTP, the
e-mail erased after the rencontre, and covered by export and erasure."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from community.core.models import utcnow
from community.events import attendance, codes, guests, registrations
from community.events.models import Event, Registration
from community.extensions import db
from tests.conftest import page_text
from tests.events.factories import make_event
from tests.factories import make_community, make_member, make_membership


def _ask(client, event, email="camille@example.org", name="Camille"):
    return client.post(
        f"/api/v1/events/{event.id}/guests", json={"display_name": name, "email": email}
    )


def _link(outbox, address):
    (mail,) = outbox.to(address)
    (link,) = [u for u in outbox.links_in(mail) if "/events/guests/" in u]
    parts = urlsplit(link)  # the path of this site's absolute link, whatever its host
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_a_guest_confirms_once_and_gets_a_code(client, world, outbox):
    event = make_event(world.community, accepts_guests=True, capacity=1, title="Repair café")
    response = _ask(client, event)
    assert response.status_code == 202
    path = _link(outbox, "camille@example.org")
    registration = db.session.query(Registration).filter_by(event_id=event.id).one()
    assert registration.status == "pending" and registration.member_id is None

    # Opening the link shows a button (a mail scanner following it confirms nothing).
    shown = client.get(path)
    assert shown.status_code == 200 and "Confirmer mon inscription" in page_text(shown)
    db.session.refresh(registration)
    assert registration.status == "pending"

    outbox.clear()
    confirmed = client.post_form(path)
    assert confirmed.status_code == 200
    text = page_text(confirmed)
    code = codes.checkin_code(event.id, registration.id)
    assert code in text and "<svg" in text
    db.session.refresh(registration)
    assert registration.status == "going"
    (mail,) = outbox.to("camille@example.org")
    assert code in outbox.text_of(mail)

    again = client.post_form(path)  # she comes back to find her code
    assert "Votre inscription est déjà confirmée." in page_text(again)
    db.session.refresh(event)
    assert event.going_count == 1

    # A second guest waits: the capacity counts guests too.
    outbox.clear()
    _ask(client, event, "dominique@example.org", "Dominique")
    client.post_form(_link(outbox, "dominique@example.org"))
    db.session.refresh(event)
    assert (event.going_count, event.waitlist_count) == (1, 1)


def test_bad_guest_input_and_closed_doors(client, world, outbox):
    event = make_event(world.community, accepts_guests=True)
    bad = client.post(
        f"/api/v1/events/{event.id}/guests", json={"display_name": "C", "email": "pas-un-mail"}
    )
    assert bad.status_code == 422
    assert set(bad.json["errors"]) == {"display_name", "email"}
    assert client.post(f"/api/v1/events/{event.id}/guests", json={}).status_code == 422
    no_guests = make_event(world.community, accepts_guests=False)
    assert _ask(client, no_guests).status_code == 409
    closed = make_event(world.closed, accepts_guests=True)
    assert _ask(client, closed).status_code == 404
    assert client.get("/events/guests/not-a-token").status_code == 404
    assert outbox.messages == []


@pytest.mark.parametrize(
    "name,said",
    [
        (
            "K\u00e4rim",
            "Déjà pris sur Terreau\u00a0: ajoutez par exemple l'initiale de votre nom.",
        ),  # a member's name, accented
        (
            "\u041a\u0430rim",
            "Déjà pris sur Terreau\u00a0: ajoutez par exemple l'initiale de votre nom.",
        ),  # … in Cyrillic letters
        (
            "Karim agent",
            "«\u00a0agent\u00a0» est le nom d'un rôle\u00a0: choisissez un nom sans ce mot.",
        ),
        (
            "Léa (modération)",
            "«\u00a0modération\u00a0» est le nom d'un rôle\u00a0: choisissez un nom sans ce mot.",
        ),
        ("Admin", "Réservé à la plateforme\u00a0: choisissez votre propre nom."),
        ("Sam\u3164", "Enlevez les caractères invisibles (U+3164)."),
    ],
)
def test_a_guest_cannot_pass_for_a_member_a_role_or_the_platform(client, world, outbox, name, said):
    make_member(display_name="Karim")
    event = make_event(world.community, accepts_guests=True)
    refused = _ask(client, event, "imposteur@example.org", name)
    assert refused.status_code == 422
    assert refused.json["errors"] == {"display_name": [said]}
    # The form without JavaScript says it too, beside the field.
    page = client.get(f"/events/{event.id}")
    token = re.search(r'name="guest-csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert token
    form = client.post(
        f"/events/{event.id}/guests",
        data={
            "guest-csrf_token": token.group(1),
            "guest-display_name": name,
            "guest-email": "imposteur@example.org",
        },
    )
    assert form.status_code == 422 and said in page_text(form)
    assert outbox.messages == []
    assert db.session.query(Registration).filter_by(event_id=event.id).count() == 0


def test_the_guest_form_works_without_javascript(client, world, outbox):
    event = make_event(world.community, accepts_guests=True)
    page = client.get(f"/events/{event.id}")
    assert 'name="guest-email"' in page.text
    token = re.search(r'name="guest-csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert token
    sent = client.post(
        f"/events/{event.id}/guests",
        data={
            "guest-csrf_token": token.group(1),
            "guest-display_name": "Sam",
            "guest-email": "sam@example.org",
        },
    )
    assert sent.status_code == 202
    assert len(outbox.to("sam@example.org")) == 1


def test_the_guests_email_is_erased_after_the_rencontre(world, outbox):
    event = make_event(world.community, accepts_guests=True)
    registration = guests.request_guest_place(
        event, "Camille", "camille@example.org", client="192.0.2.1"
    )
    token = codes.guest_token(registration.id)
    guests.confirm_guest(token)
    assert attendance.close_past_events() == (0, 0)
    event.starts_at = utcnow() - timedelta(hours=3)
    event.ends_at = utcnow() - timedelta(hours=1)
    db.session.flush()
    assert attendance.close_past_events() == (1, 1)
    db.session.refresh(registration)
    assert registration.guest_email is None and registration.guest_name == "Camille"
    assert attendance.close_past_events() == (0, 0)  # idempotent


def test_export_and_erasure_cover_guest_registrations(client, world, login_as):
    from community.members.erasure import erase_account
    from tests.factories import PASSWORD

    person = make_member(email="camille@example.org")
    event = make_event(world.community, accepts_guests=True, title="Repair café")
    guests.request_guest_place(event, "Camille", "camille@example.org", client="192.0.2.1")
    mine = make_event(world.community, title="Troc")
    registrations.register(person, mine)
    created = make_event(world.community, person, title="Créée par moi")
    login_as(person)
    data = client.get("/api/v1/me/export").json
    titles = sorted(r["event_title"] for r in data["event_registrations"])
    assert titles == ["Repair café", "Troc"]
    assert [e["title"] for e in data["events_created"]] == ["Créée par moi"]
    assert created.id == data["events_created"][0]["id"]

    event_id = event.id
    event.capacity = 1
    registration = db.session.query(Registration).filter_by(event_id=event_id).one()
    guests.confirm_guest(codes.guest_token(registration.id))
    waiting = make_member()
    assert registrations.register(waiting, event).status == "waitlisted"
    erase_account(person, PASSWORD)
    db.session.flush()
    # The guest place went to the first waiting; the guest's row went with the account.
    (left,) = db.session.query(Registration).filter_by(event_id=event_id).all()
    assert left.status == "going" and left.member_id is not None
    assert db.session.query(Registration).filter_by(guest_email="camille@example.org").count() == 0


def test_a_cancel_link_outliving_its_erased_registration_cancels_nobody_else(world):
    """The guest's cancel link carries the registration's id for 400 days, and the row goes
    with the account of the same address: SQLite gave that id to the next registration, whose
    place the old link then gave away."""
    from community.core.errors import NotFound
    from community.members.erasure import erase_account
    from tests.factories import PASSWORD

    person = make_member(email="camille@example.org")
    event = make_event(world.community, accepts_guests=True, title="Repair café")
    mine = guests.request_guest_place(event, "Camille", "camille@example.org", client="192.0.2.1")
    guests.confirm_guest(codes.guest_token(mine.id))
    old_link, old_id, event_id = codes.guest_cancel_token(mine.id), mine.id, event.id
    assert old_id == db.session.query(db.func.max(Registration.id)).scalar()
    erase_account(person, PASSWORD)  # expunges everything loaded
    event = db.session.get(Event, event_id)
    other = guests.request_guest_place(event, "Dominique", "dom@example.org", client="192.0.2.2")
    guests.confirm_guest(codes.guest_token(other.id))
    assert other.id > old_id
    with pytest.raises(NotFound):
        guests.cancel_guest(old_link)
    assert db.session.get(Registration, other.id).status == "going"


def test_a_guest_gives_the_place_back_by_the_link_in_the_mail(client, world, outbox):
    event = make_event(world.community, accepts_guests=True, capacity=1)
    waiting = make_member()
    _ask(client, event)
    client.post_form(_link(outbox, "camille@example.org"))
    registrations.register(waiting, event)
    db.session.commit()
    (mail,) = [m for m in outbox.to("camille@example.org") if "cancel" in outbox.text_of(m)]
    (link,) = [u for u in outbox.links_in(mail) if "/events/guests/cancel/" in u]
    # The plain-text part keeps the French colon with its words (`colon()`).
    assert f"Vous ne pouvez pas venir\u00a0? Laisser ma place\u00a0: {link}" in outbox.text_of(mail)
    path = link.split("localhost", 1)[1]
    assert client.get(path).status_code == 200
    assert registrations.registration_of(waiting, event).status == "waitlisted"
    done = client.post_form(path)
    assert "Votre inscription est annulée." in page_text(done)
    assert registrations.registration_of(waiting, event).status == "going"
    assert client.get("/events/guests/cancel/forged").status_code == 404


def test_asking_again_sends_no_second_link_while_the_first_is_fresh(client, world, outbox):
    event = make_event(world.community, accepts_guests=True)
    for _ in range(15):
        assert _ask(client, event).status_code == 202
    assert len(outbox.to("camille@example.org")) == 1
    # The HTML form too: the same answer, no mail.
    page = client.get(f"/events/{event.id}")
    token = re.search(r'name="guest-csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert token
    again = client.post(
        f"/events/{event.id}/guests",
        data={
            "guest-csrf_token": token.group(1),
            "guest-display_name": "Camille",
            "guest-email": "camille@example.org",
        },
    )
    assert again.status_code == 202
    assert len(outbox.to("camille@example.org")) == 1
    # Once the link is no longer fresh, asking again sends a new one (the mail may be lost).
    registration = db.session.query(Registration).filter_by(event_id=event.id).one()
    registration.queued_at = utcnow() - timedelta(hours=1)
    db.session.flush()
    assert _ask(client, event).status_code == 202
    assert len(outbox.to("camille@example.org")) == 2


def test_one_connection_cannot_ask_for_many_addresses(app, client, world, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "GUEST_RATE_LIMIT", "5 per hour")
    event = make_event(world.community, accepts_guests=True)
    answers = [_ask(client, event, f"personne{n}@example.org").status_code for n in range(8)]
    assert answers == [202] * 5 + [429] * 3
    assert len(outbox.messages) == 5
    refused = _ask(client, event, "encore@example.org")
    assert refused.json["code"] == "rate_limited"
    assert "Trop de demandes" in refused.json["message"]
    # Another connection is not blocked by this one.
    other = client.post(
        f"/api/v1/events/{event.id}/guests",
        json={"display_name": "Dominique", "email": "dominique@example.org"},
        environ_base={"REMOTE_ADDR": "192.0.2.44"},
    )
    assert other.status_code == 202


def test_one_inbox_is_one_allowance_however_its_address_is_spelt(
    app, client, world, outbox, monkeypatch
):
    monkeypatch.setitem(app.config, "GUEST_MAIL_RATE_LIMIT", "3 per hour")
    events = [make_event(world.community, accepts_guests=True) for _ in range(5)]
    spellings = [
        "camille+1@example.org",
        "Camille+2@Example.org",
        "CAMILLE@EXAMPLE.ORG",
        "camille+3@example.org",
        "camille@example.org",
    ]
    answers = [
        client.post(
            f"/api/v1/events/{event.id}/guests",
            json={"display_name": "Camille", "email": email},
            environ_base={"REMOTE_ADDR": f"192.0.2.{n}"},
        ).status_code
        for n, (event, email) in enumerate(zip(events, spellings, strict=True))
    ]
    assert answers == [202, 202, 202, 429, 429]
    assert len(outbox.messages) == 3


def test_one_inbox_cannot_be_flooded_from_many_connections(app, client, world, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "GUEST_MAIL_RATE_LIMIT", "3 per hour")
    events = [make_event(world.community, accepts_guests=True) for _ in range(5)]
    answers = [
        client.post(
            f"/api/v1/events/{event.id}/guests",
            json={"display_name": "Camille", "email": "Camille@Example.org"},
            environ_base={"REMOTE_ADDR": f"192.0.2.{n}"},
        ).status_code
        for n, event in enumerate(events)
    ]
    assert answers == [202, 202, 202, 429, 429]
    assert len(outbox.to("camille@example.org")) == 3
    # The HTML form answers in words, on the form.
    page = client.get(f"/events/{events[4].id}")
    token = re.search(r'name="guest-csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert token
    refused = client.post(
        f"/events/{events[4].id}/guests",
        data={
            "guest-csrf_token": token.group(1),
            "guest-display_name": "Camille",
            "guest-email": "camille@example.org",
        },
    )
    assert refused.status_code == 429
    assert "Trop de demandes" in page_text(refused)
    assert len(outbox.to("camille@example.org")) == 3


def test_a_member_uses_the_member_door_not_the_guest_door(client, world, outbox, api_token):
    """Logged in, the guest door is closed (403): her door is "S'inscrire", which asks
    `can_rsvp` (a ban from the community, a suspension). Nothing is stored, nothing is sent."""
    event = make_event(world.community, accepts_guests=True)
    answer = client.post(
        f"/api/v1/events/{event.id}/guests",
        json={"display_name": "Camille", "email": "ailleurs@example.org"},
        headers=api_token(world.member),
    )
    assert answer.status_code == 403 and answer.json["code"] == "forbidden"
    client.login_as(world.member)
    page = client.post_form(
        f"/events/{event.id}/guests",
        {"guest-display_name": "Camille", "guest-email": "ailleurs@example.org"},
    )
    assert page.status_code == 403
    assert "avec votre compte" in page_text(page)
    assert db.session.query(Registration).filter_by(event_id=event.id).count() == 0
    assert outbox.messages == []


def _ban(world, member):
    from community.moderation.suspensions import suspend_from_community

    suspend_from_community(world.agent, member, world.community, None, "Insultes")
    db.session.commit()


def test_a_banned_member_gets_no_place_through_the_guest_door(client, world, outbox):
    """Her own address at the guest door of a community that banned her: the same answer as
    anyone's (it tells nobody whether the address has an account), but no place and no mail,
    whatever the case of the address; another community's rencontres stay open to her."""
    event = make_event(world.community, accepts_guests=True)
    world.member.email = "bannie@example.org"
    _ban(world, world.member)
    # Whatever the spelling of her mailbox (`core.ratelimit.mailbox`: case, +tag).
    for address in ("bannie@example.org", "Bannie@Example.org", "bannie+fete@example.org"):
        answer = _ask(client, event, address)
        assert answer.status_code == 202
        assert answer.json == _ask(client, event, "quelquun@example.org").json
    assert outbox.to("bannie@example.org") == [] and outbox.to("bannie+fete@example.org") == []
    assert len(outbox.to("quelquun@example.org")) == 1
    assert (
        db.session.query(Registration).filter_by(event_id=event.id, status="pending").count() == 1
    )
    elsewhere = make_event(make_community(), accepts_guests=True)
    assert _ask(client, elsewhere, "bannie@example.org").status_code == 202
    assert len(outbox.to("bannie@example.org")) == 1


def test_a_ban_closes_the_link_and_takes_the_guest_places_back(client, world, outbox):
    """Banned after asking: her link no longer gives a place; banned with a place taken as a
    guest under her address, she gives it back as her member places (the first waiting gets
    it)."""
    event = make_event(world.community, accepts_guests=True, capacity=1)
    world.member.email = "bientot-bannie@example.org"
    other = make_member(email="autre.bannie@gmail.com")
    make_membership(world.community, other)
    db.session.commit()
    _ask(client, event, "Autre.Bannie+rencontres@gmail.com")  # her mailbox, spelt otherwise
    held = _link(outbox, "autre.bannie+rencontres@gmail.com")
    client.post_form(held)
    _ask(client, event, "bientot-bannie@example.org")
    pending = _link(outbox, "bientot-bannie@example.org")
    _ask(client, event, "patiente@example.org")
    client.post_form(_link(outbox, "patiente@example.org"))
    _ban(world, world.member)
    refused = client.post_form(pending)
    assert "plus possible" in page_text(refused)
    outbox.clear()
    _ban(world, other)
    (told,) = outbox.to("autre.bannie+rencontres@gmail.com")
    assert "votre participation à sa communauté est suspendue" in outbox.text_of(told)
    places = {
        r.guest_email: r.status for r in db.session.query(Registration).filter_by(event_id=event.id)
    }
    assert places == {
        "autre.bannie+rencontres@gmail.com": "cancelled",
        "bientot-bannie@example.org": "pending",
        "patiente@example.org": "going",
    }


def test_a_member_suspended_from_the_platform_gets_no_place_through_the_guest_door(
    client, world, outbox
):
    """Her account is read-only (her own door refuses a new place): logged out, her address at
    the guest door gets the answer anyone gets, but no place and no mail; once the suspension
    is lifted, the door is open again."""
    from community.core.models import utcnow
    from community.moderation.models import PlatformSuspension

    event = make_event(world.community, accepts_guests=True)
    world.member.email = "suspendue@example.org"
    suspension = PlatformSuspension(member=world.member, reason="Menaces", created_at=utcnow())
    db.session.add(suspension)
    db.session.commit()
    answer = _ask(client, event, "Suspendue+soiree@example.org")
    assert answer.status_code == 202
    assert answer.json == _ask(client, event, "quelquun@example.org").json
    assert outbox.to("suspendue+soiree@example.org") == []
    suspension.lifted_at = utcnow()
    db.session.commit()
    assert _ask(client, event, "suspendue@example.org").status_code == 202
    assert len(outbox.to("suspendue@example.org")) == 1


def test_a_refused_mailbox_meets_the_same_limits_as_anyone(app, client, world, monkeypatch):
    """The limit must not tell who is refused: a banned member's mailbox and an ordinary one
    answer the same over several rencontres (the allowance runs out alike) and over the same
    rencontre asked again (no count while a link would be on its way)."""
    monkeypatch.setitem(app.config, "GUEST_MAIL_RATE_LIMIT", "2 per hour")
    world.member.email = "bannie@example.org"
    _ban(world, world.member)

    def answers(address: str, events: list) -> list[int]:
        return [
            client.post(
                f"/api/v1/events/{event.id}/guests",
                json={"display_name": "Camille", "email": address},
                environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
            ).status_code
            for n, event in enumerate(events)
        ]

    several = [make_event(world.community, accepts_guests=True) for _ in range(4)]
    assert answers("bannie@example.org", several) == [202, 202, 429, 429]
    assert answers("ordinaire@example.org", several) == [202, 202, 429, 429]
    other = make_member(email="autre.bannie@example.org")
    make_membership(world.community, other)
    _ban(world, other)
    same = [make_event(world.community, accepts_guests=True)] * 3
    assert answers("autre.bannie@example.org", same) == [202, 202, 202]
    assert answers("ordinaire@example.net", same) == [202, 202, 202]


def test_one_person_one_place_whichever_door_she_took_first(client, world, outbox, api_token):
    """Found walking: her address at the guest door, then "S'inscrire" with her account, then
    the guest link — two places, two codes, a neighbour pushed to the waiting list. The second
    door says she already has one, in either order."""
    from community.events import registrations as events

    world.member.email = "lea@example.org"
    db.session.commit()
    event = make_event(world.community, accepts_guests=True, capacity=3)
    _ask(client, event, "Lea+sortie@example.org")
    link = _link(outbox, "lea+sortie@example.org")
    events.register(world.member, event)
    db.session.commit()
    refused = client.post_form(link)
    assert "Vous avez déjà une place à cette rencontre." in page_text(refused)

    other = make_event(world.community, accepts_guests=True, capacity=3)
    outbox.clear()
    _ask(client, other, "lea@example.org")
    client.post_form(_link(outbox, "lea@example.org"))
    answer = client.post(f"/api/v1/events/{other.id}/rsvp", headers=api_token(world.member))
    assert answer.status_code == 409
    assert "déjà une place" in answer.json["message"]
    for each in (event, other):
        held = db.session.query(Registration).filter(
            Registration.event_id == each.id, Registration.status.in_(("going", "waitlisted"))
        )
        assert held.count() == 1
