"""At 360 × 740: a member asks for help; a staff member reads the observatory."""

from __future__ import annotations

from typing import Any

import pytest

from community.extensions import db
from tests.conftest import (
    assert_accessible,
    assert_no_broken_headers,
    assert_no_horizontal_scroll,
    browser_log_in,
)
from tests.factories import make_member, make_neighbourhood, make_theme
from tests.solidarity.factories import make_offer, make_request, make_signal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.live,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def test_member_posts_a_help_request(live_server: str, page: Any) -> None:
    theme, place = make_theme("Solidarité"), make_neighbourhood("La Roseraie")
    lea = make_member(email="lea@example.org", display_name="Léa")
    db.session.commit()

    browser_log_in(page, live_server, lea)
    page.goto(f"{live_server}/solidarity")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.click("a[href$='/solidarity/requests/new']")
    page.wait_for_url("**/solidarity/requests/new")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.select_option("select[name=theme_id]", str(theme.id))
    page.select_option("select[name=neighbourhood_id]", str(place.id))
    page.fill("textarea[name=text]", "Appelez-moi au 06 12 34 56 78")
    page.click("form.stack button[type=submit]")
    # Refused, and said so next to the field (once the page that says why is back).
    page.locator("#text-error").wait_for()
    assert page.locator("#text-error").count() == 1
    assert "téléphone" in page.locator("#text-error").inner_text()
    assert_accessible(page)
    page.fill("textarea[name=text]", "J'aurais besoin d'aide pour porter mes courses.")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/solidarity/requests/*")
    assert "porter mes courses" in page.locator("main").inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_staff_reads_the_observatory(live_server: str, page: Any) -> None:
    theme, other = make_theme("Solidarité"), make_theme("Alimentation")
    place, far = make_neighbourhood("La Roseraie"), make_neighbourhood("Le Port")
    agent = make_member("staff", email="agent@example.org", display_name="Karim")
    for _ in range(6):
        make_offer(theme=theme, neighbourhood=place)
        make_request(theme=theme, neighbourhood=place)
    make_offer(theme=other, neighbourhood=far)
    make_signal(theme=other, neighbourhood=far)
    # The observatory publishes whole past quarters: these rows belong to the last one.
    from sqlalchemy import update

    from community.solidarity.models import HelpOffer, HelpRequest, SolidaritySignal
    from tests.observatory.test_observatory import in_last_quarter

    for model in (HelpOffer, HelpRequest, SolidaritySignal):
        db.session.execute(update(model).values(created_at=in_last_quarter()))
    db.session.commit()

    browser_log_in(page, live_server, agent)
    page.goto(f"{live_server}/observatory?measure=help_offers")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    charts = page.locator("svg[role=img]")
    assert charts.count() == 4
    for index in range(charts.count()):
        labelled = charts.nth(index).get_attribute("aria-labelledby") or ""
        title_id, desc_id = labelled.split()
        assert page.locator(f"#{title_id}").text_content()
        assert "barre" in (page.locator(f"#{desc_id}").text_content() or "")
    grid = page.locator("table.grid").inner_text()
    assert_no_broken_headers(page)
    assert "trop peu" in grid and "6" in grid
    assert page.locator("table.trend-table").count() == 4


def test_a_wide_observatory_scrolls_inside_its_tables(live_server: str, page: Any) -> None:
    """Many themes make the grid far wider than a phone: the table scrolls inside its own
    region (focusable, named, for the keyboard), never the page itself."""
    from sqlalchemy import update

    from community.solidarity.models import HelpOffer
    from tests.observatory.test_observatory import in_last_quarter

    themes = [make_theme(f"Thème au nom assez long numéro {n}") for n in range(14)]
    places = [make_neighbourhood(f"Quartier des Grands Tilleuls {n}") for n in range(3)]
    agent = make_member("staff", email="agent-large@example.org", display_name="Karima")
    for theme in themes:
        make_offer(theme=theme, neighbourhood=places[0])
    db.session.execute(update(HelpOffer).values(created_at=in_last_quarter()))
    db.session.commit()

    browser_log_in(page, live_server, agent)
    page.goto(f"{live_server}/observatory?measure=help_offers")
    assert_no_horizontal_scroll(page)
    regions = page.locator(".table-scroll")
    assert regions.count() >= 2
    for index in range(regions.count()):
        region = regions.nth(index)
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("role") == "region"
        assert region.get_attribute("aria-label") or region.get_attribute("aria-labelledby")
    grid = page.locator(".table-scroll:has(table.grid)")
    assert grid.evaluate("(el) => el.scrollWidth > el.clientWidth")  # it scrolls, inside
    assert_accessible(page)
