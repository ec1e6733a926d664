"""The installable app: manifest, service worker and offline page, as a browser fetches them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from community.core.security import CSP
from community.webapp import shell as shell_module
from community.webapp.shell import _compute, offline_sources, shell
from tests.conftest import page_text
from tests.factories import make_member


def test_manifest_has_what_installation_needs(client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "Terreau, le réseau des habitants engagés"
    assert manifest["short_name"] == "Terreau"
    assert manifest["lang"] == "fr"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon.get("purpose", "any") == "any"}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200, icon["src"]
        assert image.mimetype == "image/png"
        # PNG header: width and height are what the manifest says.
        data = image.get_data()
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert f"{width}x{height}" == icon["sizes"]


def test_every_page_links_the_manifest_and_registers_the_worker(client) -> None:
    html = page_text(client.get("/"))
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#2f6b3a">' in html
    assert 'src="/static/js/app-install.js?v=' in html


def test_service_worker_is_served_at_the_root_and_never_cached(client) -> None:
    response = client.get("/service-worker.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response.headers["Cache-Control"]
    script = response.get_data(as_text=True)
    assert f'const VERSION = "{shell().version}";' in script
    for handler in ("install", "activate", "fetch", "push", "notificationclick"):
        assert f'addEventListener("{handler}"' in script
    # Every push calls showNotification (no silent pushes).
    push_handler = script.split('addEventListener("push"', 1)[1].split("addEventListener(", 1)[0]
    assert "showNotification(" in push_handler


def test_the_shell_holds_only_static_files_and_the_offline_page(client) -> None:
    urls = shell().urls
    assert urls[0] == "/offline"
    assert all(url.startswith("/static/") for url in urls[1:])
    for expected in (
        "/static/css/terreau.css",
        "/static/js/terreau.js",
        "/static/icons/terreau-192.png",
        "/static/icons/terreau-512.png",
    ):
        assert expected in urls
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_a_changed_static_file_gives_a_new_version(app, tmp_path: Path) -> None:
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "a.css").write_text("body{}")
    first = _compute(tmp_path, "/static")
    assert _compute(tmp_path, "/static").version == first.version
    (tmp_path / "css" / "a.css").write_text("body{color:red}")
    assert _compute(tmp_path, "/static").version != first.version


def test_a_changed_translation_of_the_offline_page_gives_a_new_version(
    app, tmp_path: Path, monkeypatch
) -> None:
    """The offline page is kept on the phone: its words mended in a catalog (a no-break space
    before a colon) must replace the old page, as a changed template does."""
    fr = Path(app.root_path) / "webapp" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
    assert fr in offline_sources()
    catalog = tmp_path / "messages.po"
    catalog.write_text('msgstr "s\'afficher : votre téléphone"')
    monkeypatch.setattr(shell_module, "offline_sources", lambda: [catalog])
    first = _compute(tmp_path, "/static")
    catalog.write_text('msgstr "s\'afficher\u00a0: votre téléphone"')
    assert _compute(tmp_path, "/static").version != first.version


def test_offline_page_is_french_and_names_nobody(client) -> None:
    member = make_member(display_name="Camille Secrète")
    client.login_as(member)
    response = client.get("/offline")
    assert response.status_code == 200
    html = page_text(response)
    assert "Vous êtes hors connexion" in html
    assert "Ce qui marche encore" in html
    assert "Camille" not in html
    assert "csrf" not in html.lower()
    assert "Set-Cookie" not in response.headers


def test_csp_lets_the_site_register_its_own_worker_and_manifest(client) -> None:
    assert "worker-src 'self'" in CSP
    assert "manifest-src 'self'" in CSP
    assert client.get("/").headers["Content-Security-Policy"] == CSP
