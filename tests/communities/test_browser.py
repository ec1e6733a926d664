"""A citizen on a phone finds a community, joins it and sees its gardener pair (360 × 740)."""

from __future__ import annotations

from typing import Any

import pytest

from community.extensions import db
from tests.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.factories import PASSWORD, make_community, make_member, make_theme

pytestmark = [
    pytest.mark.browser,
    pytest.mark.live,
    # pytest-playwright 0.10 defines its session `base_url` fixture in a way pytest 9 deprecates.
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def test_find_join_and_see_the_pair(live_server: str, page: Any) -> None:
    theme = make_theme("Alimentation")
    technician = make_member("staff", display_name="Karim technicien")
    gardener = make_member(display_name="Maryse jardinière")
    citizen = make_member(email="lea@example.org", display_name="Léa")
    community = make_community(
        "Compost des Tilleuls",
        theme=theme,
        technician=technician,
        citizen=gardener,
        charter="Respect.",
    )
    make_community("Vélo au quotidien", theme=make_theme("Mobilité"))
    community.charter_html = "<p>Respect.</p>"
    db.session.commit()
    slug = community.slug

    page.goto(f"{live_server}/auth/login")
    page.fill("input[name=email]", citizen.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")

    page.goto(f"{live_server}/communities")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.fill("input[name=q]", "compost")
    page.click("form.community-filters button[type=submit]")
    links = page.locator(".community-card h2 a")
    assert links.count() == 1
    links.first.click()
    page.wait_for_url(f"**/communities/{slug}")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.click(f"form[action$='/communities/{slug}/join'] button[name=accept_charter]")
    # Joining lands in the community's welcome thread (issue 13); its page offers to leave.
    page.wait_for_url("**/threads/*")
    page.goto(f"{live_server}/communities/{slug}")
    assert page.locator(f"a[href$='/communities/{slug}/leave']").count() == 1
    pair = page.locator(".gardener-pair").inner_text()
    assert "Karim technicien" in pair and "Maryse jardinière" in pair
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_staff_pages_are_accessible(live_server: str, page: Any) -> None:
    staff = make_member("staff", display_name="Karim agent")
    community = make_community(
        "Haies et mares", visibility="on_request", technician=staff, members=(make_member(),)
    )
    make_community("Vélo au quotidien")
    from tests.factories import make_membership

    pending = make_membership(community, make_member(display_name="Nouvelle voisine"), "pending")
    pending.request_message = "J'ai une mare."
    db.session.commit()
    slug = community.slug

    page.goto(f"{live_server}/auth/login")
    page.fill("input[name=email]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    for path in (
        "/communities/dashboard",
        f"/communities/{slug}/gardeners",
        f"/communities/{slug}/edit",
        "/communities/needing-gardener",
        f"/communities/{slug}/members",
        f"/communities/{slug}/ambassadors/name",
        "/ambassadors/neighbourhoods",
    ):
        page.goto(f"{live_server}{path}")
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
    page.goto(f"{live_server}/communities/dashboard")
    page.check("input[name=decision][value=accept]")
    page.click("article.card button[type=submit]")
    page.wait_for_url("**/communities/dashboard")
    # Her request left the list; the message says what was done, and to whom.
    assert page.locator("article.card", has_text="Nouvelle voisine").count() == 0
    assert "Nouvelle voisine fait maintenant partie de" in page.inner_text("main")
