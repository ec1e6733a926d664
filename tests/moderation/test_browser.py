"""Real browser at 360 × 740: moderation pages are accessible, a warning reaches its member."""

from __future__ import annotations

import pytest

from community.extensions import db
from community.moderation import services
from community.notifications.services import notify
from tests.conftest import (
    assert_accessible,
    assert_no_broken_headers,
    assert_no_horizontal_scroll,
    browser_log_in,
)
from tests.moderation.factories import make_report

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_moderation_pages_are_accessible_on_a_phone(live_server, page, world) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a, text="Propos blessants")
    make_report(
        world.author, community=world.a, reason="spam", status="resolved", resolution="dismiss"
    )
    services.record_action(world.gardener_a, "warn", "member", world.author.id, community=world.a,
                           subject=world.author, reason="Rappel de la charte")  # fmt: skip
    notify(world.gardener_a, "overdue", "Une initiative attend une réponse", "/")
    db.session.commit()
    browser_log_in(page, live_server, world.gardener_a)
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
        assert_no_broken_headers(page)


def test_a_warning_reaches_its_member(live_server, page, world) -> None:  # type: ignore[no-untyped-def]
    report = make_report(world.author, community=world.a, reason="insult")
    db.session.commit()
    browser_log_in(page, live_server, world.gardener_a)
    page.goto(f"{live_server}/moderation")
    page.get_by_role("link", name=f"Examiner le signalement {report.id}").click()
    page.get_by_label("Avertir le membre").check()
    page.get_by_label("Motif, envoyé au membre concerné").fill("Merci de rester courtois")
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(f"{live_server}/moderation")
    assert "Le membre concerné a été prévenu" in page.content()

    browser_log_in(page, live_server, world.author)
    page.goto(f"{live_server}/")
    assert page.locator("[data-notifications-count]").inner_text().startswith("1")
    page.goto(f"{live_server}/notifications")
    text = page.locator(".notification-text").first.inner_text()
    assert "Merci de rester courtois" in text and "article 1 (Respect)" in text
    page.get_by_role("button", name="Marquer comme lu").first.click()
    # Read: the bell's count goes (waited for: the page comes back after the click).
    page.locator("[data-notifications-count]").wait_for(state="hidden")
    assert_accessible(page)


def test_report_a_message_hide_it_and_the_author_is_told(live_server, page, world) -> None:  # type: ignore[no-untyped-def]
    from community.threads import services as threads
    from tests.factories import make_thread

    thread = make_thread(world.a, title="Le composteur")
    message = threads.post_message(world.author, thread, "Tu es vraiment un idiot.").message
    thread_id, message_id = thread.id, message.id
    db.session.commit()

    # A member reports the message from the thread, on a phone.
    browser_log_in(page, live_server, world.member_a)
    page.goto(f"{live_server}/threads/{thread_id}")
    page.locator(f"#message-{message_id} summary", has_text="Actions").click()  # one menu
    page.locator(f"#message-{message_id}").get_by_role("link", name="Signaler ce message").click()
    page.get_by_label("Insulte").check()
    page.get_by_label("Quelques mots pour les modérateurs (facultatif)").fill(
        "Il insulte un voisin"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.get_by_text("Merci. Les modérateurs vont regarder votre signalement.").wait_for()

    # The community's gardener hides it from the queue.
    browser_log_in(page, live_server, world.gardener_a)
    page.goto(f"{live_server}/moderation")
    assert "Tu es vraiment un idiot." in page.content()
    page.get_by_role("link", name="Examiner").first.click()
    page.get_by_label("Cacher le contenu").check()
    page.get_by_label("Motif, envoyé au membre concerné").fill("Insulte envers un voisin")
    page.get_by_role("button", name="Confirmer").click()
    page.get_by_text("Le membre concerné a été prévenu").wait_for()
    assert_no_horizontal_scroll(page)

    # The author sees the notification with the reason and the charter clause.
    browser_log_in(page, live_server, world.author)
    page.goto(f"{live_server}/notifications")
    text = page.locator(".notification-text").first.inner_text()
    assert "caché votre message" in text and "Insulte envers un voisin" in text
    assert "article 1 (Respect)" in text
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_the_bell_counts_live(live_server, page, world, api_token) -> None:  # type: ignore[no-untyped-def]
    import requests

    from community.threads import services as threads
    from tests.factories import make_thread

    thread = make_thread(world.a, title="Le composteur")
    question = threads.post_message(world.author, thread, "Qui a la clé ?").message
    headers = api_token(world.member_a)
    reporter, gardener = api_token(world.citizen), api_token(world.gardener_a)
    thread_id, question_id = thread.id, question.id
    db.session.commit()
    browser_log_in(page, live_server, world.author)
    page.goto(f"{live_server}/")
    bell = page.locator("[data-notifications-count]")
    assert bell.is_hidden()
    page.locator("html[data-notifications-live]").wait_for(state="attached")
    response = requests.post(
        f"{live_server}/api/v1/threads/{thread_id}/messages",
        json={"body": "Moi !", "client_id": "bell-1", "reply_to": question_id},
        headers=headers,
        timeout=10,
    )
    assert response.status_code == 201
    page.wait_for_function(
        "() => document.querySelector('[data-notifications-count]').firstChild.nodeValue === '1'"
    )
    assert bell.is_visible()
    # The words after it follow the count, in French's own rule (1 is singular, 2 is not).
    assert bell.locator("[data-plural-one]").text_content() == " notification non lue"
    second = requests.post(
        f"{live_server}/api/v1/threads/{thread_id}/messages",
        json={"body": "Moi aussi !", "client_id": "bell-2", "reply_to": question_id},
        headers=headers,
        timeout=10,
    )
    assert second.status_code == 201
    page.wait_for_function(
        "() => document.querySelector('[data-notifications-count]').firstChild.nodeValue === '2'"
    )
    assert bell.locator("[data-plural-one]").text_content() == " notifications non lues"
    # A gardener hides the second reply (a report answered): no news any more, the open bell
    # drops it without a reload.
    report = requests.post(
        f"{live_server}/api/v1/reports",
        json={"target_type": "message", "target_id": second.json()["id"], "reason": "insult"},
        headers=reporter,
        timeout=10,
    )
    assert report.status_code == 201, report.text
    hidden = requests.post(
        f"{live_server}/api/v1/moderation/reports/{report.json()['id']}/resolve",
        json={"action": "hide", "reason": "Insulte envers un voisin"},
        headers=gardener,
        timeout=10,
    )
    assert hidden.status_code == 200, hidden.text
    page.wait_for_function(
        "() => document.querySelector('[data-notifications-count]').firstChild.nodeValue === '1'"
    )


def test_the_suspension_fields_show_only_for_a_suspension(live_server, page, world) -> None:  # type: ignore[no-untyped-def]
    """With JavaScript the end date, "without end date" and the scope appear only while
    "Suspend" is chosen, and are sent only then; a suspension goes through as before."""
    report = make_report(world.author, community=world.a, reason="insult")
    db.session.commit()
    browser_log_in(page, live_server, world.gardener_a)
    page.goto(f"{live_server}/moderation/reports/{report.id}?next=/todo")
    group = page.locator("fieldset[data-shown-when]")
    assert group.is_hidden()
    page.get_by_label("Avertir le membre").check()
    assert group.is_hidden()
    page.get_by_label("Suspendre le membre").check()
    assert group.is_visible()
    assert page.get_by_role("group", name="Seulement pour une suspension").is_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_label("Sans date de fin").check()
    page.get_by_label("Classer\u00a0: rien d'anormal").check()
    assert group.is_hidden()
    # Back to "Suspend" with the keyboard: the fields come back, as they were left.
    page.get_by_label("Classer\u00a0: rien d'anormal").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("Suspendre le membre").is_checked()
    assert group.is_visible() and page.get_by_label("Sans date de fin").is_checked()
    page.get_by_label("Motif, envoyé au membre concerné").fill("Insultes répétées")
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(f"{live_server}/todo")
    assert "Le membre concerné a été prévenu" in page.content()
