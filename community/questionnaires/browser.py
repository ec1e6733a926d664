"""One response per browser, without an account and without storing an address.

A browser carries a random token in a signed cookie; a response stores only a hash of it
(salted with the questionnaire, see `answering.browser_hash`).
"""

from __future__ import annotations

import secrets

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response as WerkzeugResponse

COOKIE = "terreau_qb"
MAX_AGE = 400 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="questionnaire-browser")


def browser_token(create: bool = False) -> str | None:
    """The browser's token (from its cookie); with `create`, a new one if it has none."""
    cached = g.get("questionnaire_browser_token")
    if cached:
        return str(cached)
    raw = request.cookies.get(COOKIE)
    token = None
    if raw and len(raw) < 200:
        try:
            value = _serializer().loads(raw)
        except BadSignature:
            value = None
        if isinstance(value, str) and 20 <= len(value) <= 64:
            token = value
    if token is None and create:
        token = secrets.token_urlsafe(32)
        g.questionnaire_browser_new = True
    if token:
        g.questionnaire_browser_token = token
    return token


def remember(response: WerkzeugResponse) -> WerkzeugResponse:
    """Set the cookie if this request made a new token."""
    token = g.get("questionnaire_browser_token")
    if token and g.get("questionnaire_browser_new"):
        response.set_cookie(
            COOKIE,
            _serializer().dumps(token),
            max_age=MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    return response
