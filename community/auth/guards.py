"""The API's security policy: which writes are open to visitors, and CSRF for session writes.

`create_app` calls `init_api_security(app)` once every blueprint is registered.
"""

from __future__ import annotations

from flask import Flask, request

from community.auth.loaders import by_token
from community.core.rest import authenticated_member
from community.extensions import csrf

# The only API writes open to anonymous callers: signing up, asking for a token, a guest
# asking for a place at a rencontre (confirmed by a link sent to the e-mail given), and
# answering a questionnaire (its service checks the audience; a session answer still needs its
# CSRF token).
PUBLIC_WRITES = frozenset(
    {
        "auth-api.create_member",
        "auth-api.create_token",
        "events-api.post_guest",
        "questionnaires-api.create_response",
    }
)


def init_api_security(app: Flask) -> None:
    """Every API write but sign-up and login needs a member, checked before the body is read
    (an anonymous call gets 401 whatever it sends, never a validation answer).

    The API is CSRF-exempt for token clients; a browser session writing to it needs the token:
    a bearer token cannot be sent by another site, a cookie can, so a write authenticated by
    the session cookie must carry the `X-CSRFToken` header, as forms carry their hidden field.
    """

    @app.before_request
    def _api_writes() -> None:
        if not request.path.startswith("/api/") or request.method in {"GET", "HEAD", "OPTIONS"}:
            return
        if request.endpoint is None or request.endpoint in PUBLIC_WRITES:
            return  # unknown route (404/405), or open to anyone
        authenticated_member()
        if not by_token():
            csrf.protect()
