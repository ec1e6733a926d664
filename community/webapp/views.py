"""`/manifest.webmanifest`, `/service-worker.js` and `/offline`."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from community.webapp.shell import icons_missing, shell

bp = Blueprint("webapp", __name__)

THEME_COLOUR = "#2f6b3a"
BACKGROUND_COLOUR = "#ffffff"


@bp.record_once
def _compute_shell_at_startup(state: object) -> None:
    app = state.app  # type: ignore[attr-defined]
    missing = icons_missing(app)
    if missing:
        app.logger.warning("app icons missing (run `npm run build`): %s", ", ".join(missing))
    shell(app)  # the version is the static files' hash when the process starts


@bp.app_context_processor
def _theme() -> dict[str, str]:
    return {"theme_colour": THEME_COLOUR}


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest (in French: one per site, fetched without cookies)."""
    icon = lambda name: url_for("static", filename=f"icons/{name}")  # noqa: E731
    with force_locale("fr"):
        document = {
            "id": "/",
            "name": _("Terreau, the network of engaged inhabitants"),
            "short_name": _("Terreau"),
            "description": _(
                "Join the communities of your area, propose initiatives and lend a hand."
            ),
            "lang": "fr",
            "dir": "ltr",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "orientation": "portrait",
            "theme_color": THEME_COLOUR,
            "background_color": BACKGROUND_COLOUR,
            "icons": [
                {"src": icon("terreau-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": icon("terreau-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": icon("terreau-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        }
    response = Response(
        json.dumps(document, ensure_ascii=False), mimetype="application/manifest+json"
    )
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/service-worker.js")
def service_worker() -> Response:
    """The service worker, at the root so that its scope is the whole site."""
    current = shell()
    script = render_template(
        "webapp/service-worker.js",
        version=current.version,
        shell_urls=list(current.urls),
        offline_url=current.urls[0],
        icon_url=url_for("static", filename="icons/terreau-192.png"),
    )
    response = Response(script, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker at each navigation; never let a cache answer for it.
    response.cache_control.no_cache = True
    response.cache_control.max_age = 0
    return response


@bp.get("/offline")
def offline() -> Response:
    """What a navigation shows without network: the same page for everyone, no personal data."""
    response = Response(render_template("webapp/offline.html"))
    response.cache_control.no_cache = True
    return response
