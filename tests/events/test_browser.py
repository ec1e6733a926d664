"""In a real browser at 360 × 740: register for a rencontre and see the QR code; as the
gardener, check the person in by typing the code. Every page axe-clean, no sideways scroll."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from community.core.models import utcnow
from community.events.models import Registration
from community.extensions import db
from tests.conftest import assert_accessible, assert_no_horizontal_scroll, browser_log_in
from tests.events.factories import make_event, make_registration
from tests.factories import make_community, make_member


def _login(page, base, email):
    from sqlalchemy import select

    from community.members.models import Member

    member = db.session.execute(select(Member).where(Member.email == email)).scalar_one()
    browser_log_in(page, base, member)


def _check(page):
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


@pytest.mark.browser
@pytest.mark.live
def test_register_see_the_qr_code_and_be_checked_in(live_server, page):
    make_member(email="lea@example.org", display_name="Léa")
    gardener = make_member(email="maryse@example.org", display_name="Maryse")
    community = make_community("Compost des Tilleuls", citizen=gardener)
    event = make_event(
        community,
        gardener,
        title="Atelier lombricompost",
        starts_at=utcnow() + timedelta(hours=2),
        capacity=12,
        place="Maison de quartier des Tilleuls, salle du fond",
        accepts_guests=True,
    )
    make_registration(event, make_member(display_name="Samia Benali-Fontaine"))
    closed = make_community("Jardin partagé du Clos", visibility="on_request")
    db.session.commit()
    event_id, closed_slug = event.id, closed.slug

    page.goto(f"{live_server}/communities/{community.slug}")
    page.get_by_role("link", name="Atelier lombricompost").click()
    page.wait_for_url(re.compile(rf"/events/{event_id}$"))
    _check(page)  # a visitor's page, with the guest form

    _login(page, live_server, "lea@example.org")
    page.goto(f"{live_server}/events")
    _check(page)
    page.goto(f"{live_server}/events/{event_id}")
    page.get_by_role("button", name="M'inscrire").click()
    page.wait_for_url(re.compile(rf"/events/{event_id}$"))
    assert "Vous avez une place" in page.locator(".flashes").inner_text()
    qr = page.locator(".checkin-code svg")
    assert qr.is_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 150
    code = page.locator("#checkin-code").inner_text().strip()
    assert re.fullmatch(r"\d+-[A-HJKMNP-Z]{8}", code)
    _check(page)

    _login(page, live_server, "maryse@example.org")
    page.goto(f"{live_server}/events/{event_id}")
    page.get_by_role("link", name="Participants et accueil").click()
    page.get_by_label("Code").wait_for()  # the attendees' page, not the one being left
    _check(page)
    page.get_by_label("Code").fill(code.lower())
    page.keyboard.press("Enter")  # the keyboard alone submits the form
    page.wait_for_url(re.compile(rf"/events/{event_id}/attendees$"))
    expect(page.locator(".flashes")).to_contain_text("Présence de Léa notée.")  # after the post
    assert "présence notée" in page.locator(".attendee-list").inner_text()
    _check(page)
    # Samia has no code with her: the button beside her name.
    page.get_by_role("button", name="Présent\u00a0: Samia Benali-Fontaine").click()
    expect(page.locator(".flashes")).to_contain_text("Présence de Samia Benali-Fontaine notée.")
    assert "Présent" not in page.locator(".attendee-list").inner_text()
    _check(page)

    # A members-only community's rencontres, to someone who is not a member.
    page.goto(f"{live_server}/events?community={closed_slug}")
    expect(page.locator("main")).to_contain_text("réservées à ses membres")
    _check(page)
    db.session.rollback()
    registrations = db.session.query(Registration).filter_by(event_id=event_id).all()
    assert len(registrations) == 2
    assert all(r.checked_in_at is not None for r in registrations)

    page.goto(f"{live_server}/communities/{community.slug}/events/new")
    _check(page)
