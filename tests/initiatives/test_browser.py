"""In a real browser at 360 × 740: propose an initiative, support another, see the timeline."""

from __future__ import annotations

import re

import pytest

from community.extensions import db
from community.initiatives import lifecycle
from tests.conftest import assert_accessible, assert_no_horizontal_scroll, browser_log_in
from tests.factories import make_community, make_member, make_neighbourhood, make_theme
from tests.initiatives.factories import make_initiative


@pytest.mark.browser
@pytest.mark.live
def test_propose_support_and_read_the_timeline(live_server, page):
    lea = make_member(email="lea@example.org", display_name="Léa")
    agent = make_member("staff", display_name="Karim")
    theme = make_theme("Biodiversité")
    make_neighbourhood("La Roseraie")
    community = make_community("Jardins", theme=theme, technician=agent)
    other = make_initiative(
        make_member(display_name="Bernard"), community=community, title="Nichoirs au parc"
    )
    lifecycle.change_status(agent, other, "under_review", "Le service espaces verts regarde.")
    db.session.commit()
    other_id = other.id

    browser_log_in(page, live_server, lea)

    page.goto(f"{live_server}/initiatives/new")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.fill("#title", "Une mare pédagogique")
    page.fill("#summary", "Creuser une petite mare pour les grenouilles et les écoles.")
    page.get_by_label("Biodiversité").check()
    page.select_option("#neighbourhood_id", label="La Roseraie")
    page.select_option("#community", label="Jardins")
    page.fill("#needs", "des pelles\nune bâche")
    page.get_by_role("button", name="Proposer", exact=True).click()
    page.wait_for_url(re.compile(r"/initiatives/\d+$"))
    assert page.locator("h1").inner_text() == "Une mare pédagogique"
    assert "Proposée" in page.locator(".timeline").inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.goto(f"{live_server}/initiatives/{other_id}")
    page.get_by_role("button", name="Je soutiens").click()
    page.wait_for_load_state()
    assert "1 soutien" in page.locator(".engage").inner_text()
    assert page.get_by_role("button", name="Retirer mon soutien").is_visible()
    timeline = page.locator(".timeline").inner_text()
    assert "À l'étude" in timeline and "Le service espaces verts regarde." in timeline
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.goto(f"{live_server}/initiatives")
    assert page.get_by_role("link", name="Une mare pédagogique").is_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.goto(f"{live_server}/initiatives/figures")
    assert_accessible(page)
