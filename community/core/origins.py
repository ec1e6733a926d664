"""Where Terreau is served from: the address put in links, and the origins allowed to open a
socket.

- Links (`public_url()`): `PUBLIC_URL` when set; otherwise, in development, the address the
  current request came to (the served address: `PORT=5001 make run` mails links to port 5001)
  and outside a request (the CLI's digests) `http://127.0.0.1:PORT` (`base_url()`, which
  `core.urls.outside_a_request` makes the request of the CLI's mails). Production refuses to
  start without `PUBLIC_URL` (`config.check_public_url`) and never builds a link from a
  request's Host header: anyone writes that header (`Host: evil.example` on "forgot my
  password" would mail a reset link to evil.example). Every absolute link goes through here
  (`core.urls.external`); `url_for(..., _external=True)` is not used (a test walks the code).
- Hosts: in production a request may only name `PUBLIC_URL`'s host or one of
  `TRUSTED_HOSTS` (Flask answers 400 to any other, before any view).
- Origins (`origin_allowed()`): the page's own origin is always allowed (scheme and host the
  request came to — behind `TRUSTED_PROXIES`, those the proxy forwarded — when that host is
  trusted); `PUBLIC_URL`'s and `ALLOWED_ORIGINS` add others. X-Forwarded-* headers count only
  through ProxyFix.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from werkzeug.sansio.utils import host_is_trusted


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def public_url() -> str:
    """The base of every absolute link, without a trailing slash."""
    configured = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if not configured and has_request_context():
        _refuse_without_public_url()
        return request.host_url.rstrip("/")
    return base_url()


def base_url() -> str:
    """The base of links built outside a request (CLI, workers): `PUBLIC_URL`, else (in
    development) the address the server listens on."""
    configured = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if configured:
        return configured
    _refuse_without_public_url()
    return f"http://127.0.0.1:{current_app.config.get('PORT', 5000)}"


def _refuse_without_public_url() -> None:
    if current_app.config.get("ENV_NAME") == "production":
        # Unreachable: production does not start without it (config.check_public_url).
        raise RuntimeError("PUBLIC_URL is required in production")


def served_origin(environ: dict[str, Any]) -> str | None:
    """The origin the request was sent to (after ProxyFix when proxies are trusted)."""
    host = environ.get("HTTP_HOST")
    scheme = environ.get("wsgi.url_scheme")
    trusted = current_app.config.get("TRUSTED_HOSTS")
    if trusted and not host_is_trusted(host, trusted):
        return None
    return f"{scheme}://{host}" if host and scheme else None


def origin_allowed(origin: str | None, environ: dict[str, Any] | None = None) -> bool:
    """May a page of `origin` open a socket? No Origin (not a browser): yes — the socket
    still needs a session or a token."""
    if not origin:
        return True
    if environ is None and has_request_context():
        environ = request.environ
    if environ is not None and origin == served_origin(environ):
        return True
    config = current_app.config
    public = _origin_of(str(config.get("PUBLIC_URL") or ""))
    return origin == public or origin in config.get("ALLOWED_ORIGINS", [])
