"""The home page, the charter, the language switch."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from community.core.header import badge, badges
from community.core.health import health
from community.core.home import home_context
from community.core.models import utcnow
from community.core.permissions import current_member
from community.core.standing import kept_while_suspended
from community.core.todo import TodoItem, items_for
from community.core.urls import safe_next

bp = Blueprint("core", __name__)


@bp.get("/")
def home() -> str:
    return render_template("home.html", **home_context(current_member()))


@bp.get("/todo")
@login_required
def todo() -> str:
    """The "à faire" inbox: reports, join requests, initiatives… waiting for me, overdue first."""
    return render_template("todo.html", items=todo_items(current_member()), now=utcnow())


def todo_items(member: Any) -> list[TodoItem]:
    """What waits for `member`, gathered once per request (the badge and the page share it)."""
    key = getattr(member, "id", None)
    cached = g.get("terreau_todo")
    if cached is None or cached[0] != key:
        cached = g.terreau_todo = (key, items_for(member))
    items: list[TodoItem] = cached[1]
    return items


@badge("todo")
def _todo_badge(member: Any) -> int:
    return len(todo_items(member))


@bp.app_template_global()
def todo_count(member: Any) -> int:
    """For the header badge: how many things wait for `member` (core/header.py keeps it)."""
    return int(badges(member).get("todo", 0)) if member is not None else 0


@bp.get("/charte")
def charter() -> str:
    return render_template("charter.html")


@bp.get("/healthz")
def healthz() -> tuple[dict[str, Any], int]:
    return health()


@bp.route("/language", methods=["GET", "POST"])
@kept_while_suspended("her own preference: the language")
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
