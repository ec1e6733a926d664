"""The flask-smorest `Api`, answering errors with Terreau's one JSON shape."""

from __future__ import annotations

from typing import Any

import flask_smorest
from werkzeug.exceptions import HTTPException


class Api(flask_smorest.Api):
    """flask-smorest's Api whose app-wide error handler is Terreau's."""

    def handle_http_exception(self, error: HTTPException) -> Any:
        from community.core.errors import handle_http_exception

        return handle_http_exception(error)


def authenticated_member():
    """The member behind the bearer token or session; 401 in the one error shape otherwise."""
    from flask_babel import gettext as _

    from community.core.errors import Unauthenticated
    from community.core.permissions import current_member

    member = current_member()
    if member is None:
        raise Unauthenticated(_("Log in, or send a valid token in the Authorization header."))
    return member


# The only API writes open to anonymous callers: signing up, asking for a token, and answering
# a questionnaire open to anyone (the service checks its audience).
PUBLIC_WRITES = frozenset(
    {"auth-api.create_member", "auth-api.create_token", "questionnaires-api.create_response"}
)


def init_api_security(app) -> None:
    """Every API write but sign-up and login needs a member, checked before the body is read
    (an anonymous call gets 401 whatever it sends, never a validation answer).

    The API is CSRF-exempt for token clients; a browser session writing to it needs the token:
    a bearer token cannot be sent by another site, a cookie can, so a write authenticated by
    the session cookie must carry the `X-CSRFToken` header, as forms carry their hidden field.
    """
    from flask import request

    from community.auth.loaders import bearer_token
    from community.extensions import csrf

    @app.before_request
    def _api_writes() -> None:
        if not request.path.startswith("/api/") or request.method in {"GET", "HEAD", "OPTIONS"}:
            return
        if request.endpoint is None or request.endpoint in PUBLIC_WRITES:
            return  # unknown route (404/405), or open to anyone
        authenticated_member()
        if bearer_token() is None:
            csrf.protect()
