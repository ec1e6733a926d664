"""The flask-smorest `Api`, answering errors with Terreau's one JSON shape, and the member an
API endpoint acts for. The API's security policy (which writes are public, CSRF for session
writes) is the auth domain's: `community/auth/guards.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flask_smorest
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from community.core.errors import Unauthenticated, handle_http_exception
from community.core.permissions import current_member

if TYPE_CHECKING:
    from community.members.models import Member


class Api(flask_smorest.Api):
    """flask-smorest's Api whose app-wide error handler is Terreau's."""

    def handle_http_exception(self, error: HTTPException) -> Any:
        return handle_http_exception(error)


api = Api()  # bound in create_app(), like the extensions of community/extensions.py


def authenticated_member() -> Member:
    """The member behind the bearer token or session; 401 in the one error shape otherwise."""
    member = current_member()
    if member is None:
        raise Unauthenticated(_("Log in, or send a valid token in the Authorization header."))
    return member
