"""Real browser at 360 × 740: moderation pages are accessible, a warning reaches its member."""

from __future__ import annotations

from typing import Any

import pytest

from community.extensions import db
from community.moderation import services
from community.notifications.services import notify
from tests.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.factories import PASSWORD
from tests.moderation.factories import make_report

pytestmark = [pytest.mark.browser, pytest.mark.live]


def log_in(page: Any, base: str, member: Any) -> None:
    page.context.clear_cookies()
    page.goto(base + "/auth/login")
    page.fill("#email", member.email)
    page.fill("#password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(lambda url: "/auth/login" not in url)


def test_moderation_pages_are_accessible_on_a_phone(live_server, page, world) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a, text="Propos blessants")
    make_report(
        world.author, community=world.a, reason="spam", status="resolved", resolution="dismiss"
    )
    services.record_action(world.gardener_a, "warn", "member", world.author.id, community=world.a,
                           subject=world.author, reason="Rappel de la charte")  # fmt: skip
    notify(world.gardener_a, "overdue", "Une initiative attend une réponse", "/")
    db.session.commit()
    log_in(page, live_server, world.gardener_a)
    for path in (
        "/moderation",
        "/moderation?status=resolved",
        f"/moderation/reports/{report.id}",
        "/moderation/journal",
        "/moderation/suspensions",
        "/transparency",
        "/notifications",
        "/me/notifications/settings",
        f"/report?target_type=member&target_id={world.author.id}",
    ):
        page.goto(live_server + path)
        assert_accessible(page)
        assert_no_horizontal_scroll(page)


def test_a_warning_reaches_its_member(live_server, page, world) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a, reason="insult")
    db.session.commit()
    log_in(page, live_server, world.gardener_a)
    page.goto(f"{live_server}/moderation")
    page.get_by_role("link", name=f"Examiner le signalement {report.id}").click()
    page.get_by_label("Avertir le membre").check()
    page.get_by_label("Motif, envoyé au membre concerné").fill("Merci de rester courtois")
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(f"{live_server}/moderation")
    assert "Le membre concerné a été prévenu" in page.content()

    log_in(page, live_server, world.author)
    assert page.locator("[data-notifications-count]").inner_text().startswith("1")
    page.goto(f"{live_server}/notifications")
    text = page.locator(".notification-text").first.inner_text()
    assert "Merci de rester courtois" in text and "article 1 (Respect)" in text
    page.get_by_role("button", name="Marquer comme lu").first.click()
    assert page.locator("[data-notifications-count]").is_hidden()
    assert_accessible(page)
