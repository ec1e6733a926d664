"""An ambassador on a phone makes a link, sees its reach and logs an outing (360 × 740)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from community.extensions import db
from tests.ambassadors.factories import make_ambassador, make_invitation
from tests.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.factories import PASSWORD, make_community, make_member, make_theme

pytestmark = [
    pytest.mark.browser,
    pytest.mark.live,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def test_links_and_journal(live_server: str, page: Any) -> None:
    yanis = make_member(display_name="Yanis porte-voix")
    make_theme("Alimentation")
    community = make_community("Compost des Tilleuls", members=(yanis,))
    ambassador = make_ambassador(yanis, community, shown=True)
    make_invitation(ambassador, "marché du samedi")
    db.session.commit()
    ambassador_id, slug = ambassador.id, community.slug

    page.goto(f"{live_server}/auth/login")
    page.fill("input[name=email]", yanis.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")

    page.goto(f"{live_server}/ambassadors")
    page.fill(f"#label-{ambassador_id}", "école Jules-Ferry")
    page.click(f"form[action$='/ambassadors/{ambassador_id}/invitations'] button[type=submit]")
    page.wait_for_url("**/ambassadors")
    assert page.locator(".invitation").count() == 2
    assert "/auth/signup?invitation=" in page.locator(".invitation input").first.input_value()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.goto(f"{live_server}/ambassadors/{ambassador_id}/outreach")
    page.fill("input[name=happened_on]", date.today().isoformat())
    page.fill("input[name=people_met]", "12")
    page.fill("textarea[name=topics]", "Rappelez Jeanne au 06 12 34 56 78")
    page.click("form.stack button[type=submit]")
    assert page.locator("#topics-error").count() == 1  # contact details refused, clearly
    assert_accessible(page)
    page.fill("textarea[name=topics]", "Envie d'un composteur près de l'école.")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"**/ambassadors/{ambassador_id}/outreach")
    assert "composteur" in page.locator("article.card").first.inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.goto(f"{live_server}/communities/{slug}/ambassadors")
    assert "Yanis porte-voix" in page.inner_text("main")
    assert_accessible(page)
