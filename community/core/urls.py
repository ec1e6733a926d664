"""Paths on this site: where a redirect may go, links built also outside a request (CLI, demo,
workers) for notifications and mails.

Outside a request, whatever builds links or mails (the CLI's `send-digests` and
`send-reminders`, the demo, `site_path`) runs in `outside_a_request()`: a made-up request on
the scheme and host of `PUBLIC_URL` (in development without it, the address the server
listens on). A bare `test_request_context("/")` said `http://localhost`, which the
development mails carried; a test fails when another module makes one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import current_app, has_request_context, request, url_for

from community.core.origins import base_url, public_url


@contextmanager
def outside_a_request() -> Iterator[None]:
    """Build links and mails outside a request as inside one sent to `PUBLIC_URL` (its scheme
    and host: `external` adds the whole of `PUBLIC_URL`, path included, to a site path)."""
    parts = urlsplit(base_url())
    with current_app.test_request_context("/", base_url=f"{parts.scheme}://{parts.netloc}"):
        yield


def safe_next(target: str | None, default: str = "members.me") -> str:
    """Only a path on this site: never an open redirect (else the `default` endpoint)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for(default)


def with_next(url: str, back: str) -> str:
    """`url` asking to come back to `back` once its act is done (`?next=`, before any
    `#fragment`): a page that lists things to act on (the "à faire" inbox) links this way, and
    the page acted on answers with `back_or(...)`."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "next"]
    query.append(("next", back))
    return urlunsplit(parts._replace(query=urlencode(query)))


def asked_next() -> str | None:
    """The `next` of this request (`?next=`), if it is a path on this site, else None."""
    target = request.args.get("next")
    if target and safe_next(target, "core.home") == target:
        return target
    return None


def keep_next(url: str) -> str:
    """`url` carrying this request's `next` along, if any: the action of a form on a page
    reached from the inbox (`with_next`), so that the act answers with `back_or(...)`."""
    target = asked_next()
    return with_next(url, target) if target else url


def back_or(default: str, **values: Any) -> str:
    """Where to go once an act is done: the page of this site the person came from (`next`,
    kept in the query string of the form's page, or in its action: `keep_next`), else
    `default`."""
    return asked_next() or url_for(default, **values)


def referrer_path() -> str | None:
    """The page of this site the request came from (path and query), if any and not the
    page itself: the "back" of an error page."""
    parts = urlsplit(request.referrer or "")
    if parts.scheme not in {"http", "https"} or parts.netloc != request.host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path == request.full_path.rstrip("?") or not path.startswith("/"):
        return None
    return safe_next(path, "core.home")


def asked_path() -> str:
    """The page to come back to after logging in: the one asked for (a GET), or the page the
    form was sent from (any other method), else the home page."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    return referrer_path() or url_for("core.home")


def site_path(endpoint: str, **values: Any) -> str:
    """The path of `endpoint` on this site (`/threads/3#message-9`)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with outside_a_request():
        return url_for(endpoint, **values)


def external(path_or_endpoint: str, **values: Any) -> str:
    """An absolute link for a mail: a site path, or an endpoint and its values."""
    path = (
        path_or_endpoint
        if path_or_endpoint.startswith("/")
        else site_path(path_or_endpoint, **values)
    )
    return public_url() + path
