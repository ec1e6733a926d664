"""Paths on this site: where a redirect may go, links built also outside a request (CLI, demo,
workers) for notifications and mails."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for

from community.core.origins import public_url


def safe_next(target: str | None, default: str = "members.me") -> str:
    """Only a path on this site: never an open redirect (else the `default` endpoint)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for(default)


def site_path(endpoint: str, **values: Any) -> str:
    """The path of `endpoint` on this site (`/threads/3#message-9`)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return url_for(endpoint, **values)


def external(path_or_endpoint: str, **values: Any) -> str:
    """An absolute link for a mail: a site path, or an endpoint and its values."""
    path = (
        path_or_endpoint
        if path_or_endpoint.startswith("/")
        else site_path(path_or_endpoint, **values)
    )
    return public_url() + path
