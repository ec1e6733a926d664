"""In Chromium: the permission is asked only when the switch is tapped, and the service worker
shows a notification for every push it receives (never a silent one)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from community.extensions import db
from tests.conftest import assert_accessible, assert_no_horizontal_scroll, with_service_worker
from tests.factories import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return with_service_worker(browser_context_args)


COUNT_PERMISSION_ASKS = """
window.__permissionAsks = 0;
if (window.Notification) {
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = (...args) => {
    window.__permissionAsks += 1;
    return ask(...args);
  };
}
"""


# Every notification the worker shows, as it shows it: `showNotification` is watched inside
# the worker and each one is recorded once Chromium has accepted it. (Headless Chromium's own
# list, `registration.getNotifications()`, now and then leaves out one it has just shown:
# the worker had called it and its promise had resolved.)
WATCH_NOTIFICATIONS = """() => {
  self.__shown = [];
  const show = self.registration.showNotification.bind(self.registration);
  self.registration.showNotification = (title, options) =>
    show(title, options).then((result) => {
      self.__shown.push({ title: title, url: options && options.data && options.data.url });
      return result;
    });
}"""


def shown_notifications(worker, expected: int) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """What the worker has shown, once it is `expected` many (or after 20 s)."""
    deadline = time.monotonic() + 20  # a loaded machine starts the worker slowly
    while True:
        shown: list[dict[str, str]] = worker.evaluate("() => self.__shown")
        if len(shown) >= expected or time.monotonic() > deadline:
            return shown
        time.sleep(0.05)


def log_in(page, live_server) -> None:  # type: ignore[no-untyped-def]
    make_member(email="camille@example.org", display_name="Camille")
    db.session.commit()
    page.goto(live_server + "/auth/login")
    page.get_by_label("E-mail").fill("camille@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def test_permission_is_asked_only_after_tapping_the_switch(page, context, live_server, vapid):
    context.add_init_script(COUNT_PERMISSION_ASKS)
    context.grant_permissions(["notifications"], origin=live_server)
    log_in(page, live_server)
    page.goto(live_server + "/me/notifications/settings")
    switch = page.get_by_role("switch", name="Recevoir les notifications sur ce téléphone")
    switch.wait_for()
    assert switch.get_attribute("aria-checked") == "false"
    page.get_by_text("Ce téléphone ne reçoit pas de notifications.").wait_for()
    assert page.evaluate("window.__permissionAsks") == 0  # nothing asked on page load
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    switch.click()
    page.wait_for_function("window.__permissionAsks === 1")
    # No push service can be reached from the test machine: subscribing fails, and says so.
    page.get_by_text("Cela n'a pas marché. Réessayez dans un moment.").or_(
        page.get_by_text("Les notifications arrivent sur ce téléphone.")
    ).wait_for()
    # Walked with the keyboard: the switch was disabled while it worked, which threw the
    # focus back to the page's start. It keeps it, and is usable again.
    expect(switch).to_be_focused()
    expect(switch).to_be_enabled()


def test_every_push_shows_a_notification(page, context, live_server, vapid):
    context.grant_permissions(["notifications"], origin=live_server)
    page.goto(live_server + "/")
    page.evaluate("() => navigator.serviceWorker.ready")
    cdp = context.new_cdp_session(page)
    registrations: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(
            r["registrationId"] for r in event["registrations"] if not r.get("isDeleted")
        ),
    )
    cdp.send("ServiceWorker.enable")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    # DevTools reports the registrations after `enable` returns, in its own time (a loaded
    # machine once checked before the report came): wait for it, ten seconds at most.
    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert registrations, "no service worker registration seen"
    (worker,) = context.service_workers
    worker.evaluate(WATCH_NOTIFICATIONS)
    pushes = [
        json.dumps({"title": "Karim vous a répondu dans une discussion", "url": "/threads/1"}),
        "pas du JSON",  # even a push it cannot read shows something
        json.dumps({"url": "https://ailleurs.example/piege"}),
    ]
    shown = []
    for count, data in enumerate(pushes, start=1):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": live_server, "registrationId": registrations[-1], "data": data},
        )
        shown = shown_notifications(worker, count)
        assert len(shown) == count, (data, shown)
    assert sorted(shown, key=lambda n: n["title"]) == sorted(
        [
            {"title": "Karim vous a répondu dans une discussion", "url": "/threads/1"},
            {"title": "Terreau", "url": "/"},
            {"title": "Terreau", "url": "/"},  # another site's address is never opened
        ],
        key=lambda n: n["title"],
    )
