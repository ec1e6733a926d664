"""The home page, the charter, the language switch."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from community.core.health import health
from community.core.urls import safe_next

bp = Blueprint("core", __name__)


@bp.get("/")
def home() -> str:
    return render_template("home.html")


@bp.get("/charte")
def charter() -> str:
    return render_template("charter.html")


@bp.get("/healthz")
def healthz() -> tuple[dict[str, Any], int]:
    return health()


@bp.route("/language", methods=["GET", "POST"])
def language() -> Response:
    """Remember a visitor's language choice in a cookie (members choose it in their profile).

    The footer's form is a GET (no CSRF token, so no session cookie on anonymous pages): it
    changes nothing but how the pages read. A POST (with its CSRF token) works the same.
    """
    values = request.form if request.method == "POST" else request.args
    lang = values.get("lang", "")
    response = redirect(
        safe_next(values.get("next")) if values.get("next") else url_for("core.home")
    )
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(
            "lang",
            lang,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response
