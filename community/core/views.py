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


@bp.post("/language")
def language() -> Response:
    """Remember a visitor's language choice in a cookie (members choose it in their profile)."""
    lang = request.form.get("lang", "")
    response = redirect(
        safe_next(request.form.get("next")) if request.form.get("next") else url_for("core.home")
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
