"""In Chromium: the worker registers, a navigation without network shows /offline, and no
page with personal data is ever in the cache."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from community.extensions import db
from community.webapp.shell import shell
from tests.conftest import assert_accessible, assert_no_horizontal_scroll, with_service_worker
from tests.factories import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return with_service_worker(browser_context_args)


CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
  }
  return urls;
}"""


def test_worker_registers_offline_page_and_no_personal_page_cached(page, context, live_server):
    make_member(email="camille@example.org", display_name="Camille Dupré")
    db.session.commit()

    page.goto(live_server + "/auth/login")
    # The worker installs while this page is open: once it is active, the next pages are its own
    # (a page that started loading while it was still installing stays outside it until reloaded).
    page.evaluate("() => navigator.serviceWorker.ready")
    page.get_by_label("E-mail").fill("camille@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    manifest = page.evaluate(
        "() => fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())"
    )
    assert manifest["display"] == "standalone"
    scope = page.evaluate("() => navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == live_server + "/"
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")

    page.goto(live_server + "/me")
    page.get_by_text("Camille Dupré").first.wait_for()
    # An API answer with personal data, through the worker: never stored either.
    me = page.evaluate("() => fetch('/api/v1/me').then(r => r.json())")
    assert me["display_name"] == "Camille Dupré"

    context.set_offline(True)
    try:
        page.goto(live_server + "/communities")
        page.get_by_role("heading", name="Vous êtes hors connexion").wait_for()
        assert_no_horizontal_scroll(page)
        assert_accessible(page)
        cached = page.evaluate(CACHED_URLS)
    finally:
        context.set_offline(False)

    assert "/offline" in cached
    assert "/static/css/terreau.css" in cached
    assert "/static/icons/terreau-192.png" in cached
    assert all(url == "/offline" or url.startswith("/static/") for url in cached), json.dumps(
        cached
    )
    assert "/me" not in cached and "/api/v1/me" not in cached


CACHE_NAMES_BECOME = """async (expected) => {
  // Up to 20 s: on a loaded machine the new worker takes its time to install and activate.
  let names = [];
  for (let tries = 0; tries < 400; tries += 1) {
    names = await caches.keys();
    if (JSON.stringify(names) === JSON.stringify(expected)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return names;
}"""


def test_a_deploy_replaces_the_old_cache(page, live_server, app, monkeypatch):
    page.goto(live_server + "/")
    page.evaluate("() => navigator.serviceWorker.ready")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    old = shell(app)
    assert page.evaluate(CACHE_NAMES_BECOME, [f"terreau-shell-{old.version}"]) == [
        f"terreau-shell-{old.version}"
    ]

    # A deploy: the static files changed, so the process serves a worker of a new version.
    new = replace(old, version="0" * 16 if old.version != "0" * 16 else "1" * 16)
    monkeypatch.setitem(app.extensions, "webapp_shell", new)
    page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
    names = page.evaluate(CACHE_NAMES_BECOME, [f"terreau-shell-{new.version}"])
    assert names == [f"terreau-shell-{new.version}"]  # the old cache is gone
    cached = page.evaluate(CACHED_URLS)
    assert "/offline" in cached and "/static/css/terreau.css" in cached


def test_chromium_finds_the_app_installable(page, context, live_server):
    """Chromium's own installability check (what Lighthouse and the install prompt use)."""
    page.goto(live_server + "/")
    page.evaluate("() => navigator.serviceWorker.ready")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    cdp = context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]
    assert manifest["url"] == live_server + "/manifest.webmanifest"
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito ones, where Chromium never installs anything; every
    # other reason (manifest fields, icons, worker with a fetch handler, secure origin) counts.
    errors = [e for e in errors if e["errorId"] != "in-incognito"]
    assert errors == [], errors


def test_logging_out_still_works_once_the_worker_controls_the_page(page, live_server):
    make_member(email="lea@example.org")
    db.session.commit()
    page.goto(live_server + "/auth/login")
    page.evaluate("() => navigator.serviceWorker.ready")  # the pages after this one are its own
    page.get_by_label("E-mail").fill("lea@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    # app-install.js holds the logout form a moment (to unsubscribe from pushes), then sends it.
    page.get_by_text("Menu", exact=True).click()  # the header folds its links on a phone
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_text("Déconnexion réussie").wait_for()
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("link", name="Se connecter").wait_for()  # logged out: the menu offers it
    assert page.get_by_role("button", name="Se déconnecter").count() == 0
