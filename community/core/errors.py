"""Errors raised by services, and how each protocol answers them.

A service raises a `DomainError`; an HTML view turns it into a form message, the JSON API
into the one error shape (`code`, `status`, `message`, `errors`), a socket handler into an
error acknowledgement. The codes are shared by the three.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from community.core.urls import asked_path, referrer_path
from community.core.validation import translate_errors
from community.extensions import db

# HTTP status → the error code clients see (the socket protocol uses the same words).
CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    423: "locked",
    429: "rate_limited",
    500: "server_error",
}


class DomainError(Exception):
    """A rule of the domain refused the act; `message` is shown to the person."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors

    def ack(self) -> dict[str, Any]:
        """The Socket.IO acknowledgement for this error (with the messages by field, as the
        API's `errors`, when there are some)."""
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors:
            error["errors"] = self.errors
        return {"ok": False, "error": error}


class Invalid(DomainError):
    status = 422
    code = "invalid"


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Locked(DomainError):
    status = 423
    code = "locked"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"


def wants_json() -> bool:
    """True when the request came to the JSON API."""
    return request.path.startswith("/api/")


def json_error(
    status: int, message: str, errors: dict[str, Any] | None = None, code: str | None = None
) -> Response:
    """The one JSON error shape of the API."""
    payload: dict[str, Any] = {
        "code": code or CODES.get(status, "error"),
        "status": status,
        "message": message,
    }
    if errors:
        payload["errors"] = errors
    response = jsonify(payload)
    response.status_code = status
    return response


def _default_message(status: int) -> str:
    messages = {
        400: _("The request could not be understood."),
        401: _("Please log in first."),
        403: _("You are not allowed to do this."),
        404: _("This page does not exist, or no longer does."),
        405: _("This method is not allowed here."),
        409: _("This conflicts with what already exists."),
        413: _("What you sent is too large."),
        415: _("This type of content is not accepted."),
        422: _("Some fields are not valid."),
        423: _("This is locked."),
        429: _("Too many attempts. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Please try again later."),
    }
    return messages.get(status, _("Something went wrong."))


def _heading(status: int) -> str:
    """An error page's title, in plain words (never "Error 401")."""
    headings = {
        400: _("Request not understood"),
        401: _("Log in to continue"),
        403: _("Access refused"),
        404: _("Page not found"),
        429: _("Too many attempts"),
    }
    return headings.get(status) or _("That did not work")


def html_error(
    status: int, message: str | None = None, reference: str | None = None
) -> tuple[str, int]:
    """A French error page for `status` that leads somewhere: log in or create an account
    (401), back to the page one came from, home (the 500 page stands alone: it queries
    nothing)."""
    if status >= 500:
        return (
            render_template(
                "errors/500.html",
                status=status,
                message=message or _default_message(status),
                reference=reference,
            ),
            status,
        )
    template = f"errors/{status}.html" if status in {400, 401, 403, 404, 429} else None
    return (
        render_template(
            template or "errors/generic.html",
            status=status,
            heading=_heading(status),
            message=message or _default_message(status),
            reference=reference,
            back=referrer_path(),
            next_path=asked_path(),
        ),
        status,
    )


def new_reference() -> str:
    """A short id that ties what a person is shown to the line in the log."""
    return secrets.token_hex(4)


def release_session(server_error: bool = False) -> None:
    """Before answering an error: roll the request's transaction back, so that answering never
    meets a broken session (PostgreSQL refuses every query after a failed one until then), and
    nothing half-written is ever committed. After a server error the member is not loaded any
    more (it would query): the answer is the visitor's, in the browser's language.
    """

    try:
        db.session.rollback()
    except Exception:  # the database itself is gone: answer anyway
        current_app.logger.exception("rollback failed while answering an error")
    if server_error and "_login_user" not in g:
        g._login_user = AnonymousUserMixin()


def handle_http_exception(error: HTTPException) -> Any:
    """Answer any HTTP error with the JSON shape on the API, a French page elsewhere."""
    status = error.code or 500
    release_session(server_error=status >= 500)
    if isinstance(error, SecurityError):
        # A Host outside TRUSTED_HOSTS (production): no link can be built for it, so no page.
        message = _("This address is not served here.")
        if wants_json():
            return json_error(400, message)
        return current_app.response_class(message, 400, mimetype="text/plain")
    reference = None
    if status >= 500:
        reference = new_reference()
        original = getattr(error, "original_exception", None)
        current_app.logger.error(
            "unhandled error [ref %s] on %s %s",
            reference,
            request.method,
            request.path,
            exc_info=original if original is not None else error,
        )
    data = getattr(error, "data", None) or {}
    if wants_json():
        errors = data.get("errors") or data.get("messages")
        if isinstance(errors, dict) and set(errors) <= {
            "json",
            "query",
            "form",
            "files",
            "headers",
        }:
            # webargs nests errors by location; a client wants the fields.
            flat: dict[str, Any] = {}
            for location, location_errors in errors.items():
                if isinstance(location_errors, dict):
                    flat.update(location_errors)
                else:
                    flat[f"_{location}"] = location_errors
            errors = flat
        errors = translate_errors(errors) if errors else errors
        if status == 400 and isinstance(error, CSRFError):
            message = _("The security token is missing or expired. Reload the page.")
        elif status == 422:
            message = _default_message(422)
        elif reference is not None:
            message = _("Something went wrong on our side (reference %(ref)s).", ref=reference)
        else:
            message = data.get("message") or _default_message(status)
        response = json_error(status, message, errors)
    else:
        message = None
        if isinstance(error, CSRFError):
            message = _("The form expired. Please go back, reload the page and try again.")
        body, _status = html_error(status, message, reference)
        response = current_app.make_response((body, status))
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return response


def handle_domain_error(error: DomainError) -> Any:
    """A service's refusal that a view did not handle itself (nothing it flushed is kept)."""
    release_session()
    if wants_json():
        return json_error(error.status, error.message, error.errors, error.code)
    return html_error(error.status, error.message)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
