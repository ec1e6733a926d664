"""Micro-caching of visitors' pages, as a proxy would do (issue 17).

A visitor's page carries no session cookie and is the same for every visitor: this WSGI
middleware keeps it `VISITOR_PAGE_CACHE_SECONDS` (5; 0 = off, the tests' setting) per path,
query, locale, accept-encoding, host and scheme, in this process. A request is looked up only
when it is a GET with no cookie but `lang`, no `Authorization` header, and no query parameter
outside `VISITOR_PAGE_CACHE_QUERY`; an answer is kept only when it is a 200 HTML page with no
`Set-Cookie`, no `Cache-Control: private/no-store`, for a request where nobody was logged in
and no CSRF token was made (a page with a form: login, sign-up, a report… is never kept).

What this process commits (any change) drops every kept page at once: entries carry
`cache.write_generation()` taken before the page was built. Another process's commits show at
most `VISITOR_PAGE_CACHE_SECONDS` later. A kept page answers with `X-Visitor-Cache: hit`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.wrappers import Request

from community.core import cache
from community.core.i18n import visitor_locale

_NO_STORE = "terreau.visitor_cache.no_store"
_ALLOWED_COOKIES = frozenset({"lang"})

StartResponse = Callable[..., Any]


def no_visitor_cache() -> None:
    """Never keep this request's page (a view may call it)."""
    # A dict shared with the middleware: Flask-SocketIO's middleware copies the environ.
    state = request.environ.get(_NO_STORE)
    if state is not None:
        state["no_store"] = True


class VisitorPageCache:
    def __init__(self, app: Flask, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self._pages: dict[tuple[str, ...], tuple[float, int, str, list[tuple[str, str]], bytes]]
        self._pages = {}

    def clear(self) -> None:
        self._pages.clear()

    def key(self, environ: dict[str, Any]) -> tuple[str, ...] | None:
        """The page's key, or None when this request must not be served from the cache."""
        if environ.get("REQUEST_METHOD") != "GET" or "HTTP_AUTHORIZATION" in environ:
            return None
        incoming = Request(environ)
        if not _ALLOWED_COOKIES.issuperset(incoming.cookies.keys()):
            return None  # a session, a remember cookie, anything we do not know
        if not set(incoming.args.keys()) <= set(self.app.config["VISITOR_PAGE_CACHE_QUERY"]):
            return None
        config = self.app.config
        locale = visitor_locale(
            incoming.cookies.get("lang"),
            incoming.accept_languages,
            config["LANGUAGES"],
            config["BABEL_DEFAULT_LOCALE"],
        )
        return (
            environ.get("wsgi.url_scheme", ""),
            environ.get("HTTP_HOST", ""),
            environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            locale,
            environ.get("HTTP_ACCEPT_ENCODING", ""),
        )

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        seconds = float(self.app.config.get("VISITOR_PAGE_CACHE_SECONDS") or 0)
        key = self.key(environ) if seconds > 0 else None
        if key is None:
            return self.wsgi_app(environ, start_response)
        generation = cache.write_generation()  # before the page is built
        now = time.monotonic()
        found = self._pages.get(key)
        if found is not None and found[0] > now and found[1] == generation:
            start_response(found[2], [*found[3], ("X-Visitor-Cache", "hit")])
            return [found[4]]
        captured: dict[str, Any] = {}
        environ[_NO_STORE] = captured

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, list(headers)
            captured["error"] = exc_info is not None
            write = start_response(status, headers, exc_info)

            def written(data: bytes) -> Any:
                captured["written"] = True  # the old write() path: do not keep
                return write(data)

            return written

        result = self.wsgi_app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if self._keeps(environ, captured):
            if len(self._pages) >= int(self.app.config["VISITOR_PAGE_CACHE_SIZE"]):
                self._pages = {k: v for k, v in self._pages.items() if v[0] > now}
                if len(self._pages) >= int(self.app.config["VISITOR_PAGE_CACHE_SIZE"]):
                    self._pages.clear()
            self._pages[key] = (
                now + seconds,
                generation,
                captured["status"],
                captured["headers"],
                body,
            )
        return [body]

    @staticmethod
    def _keeps(environ: dict[str, Any], captured: dict[str, Any]) -> bool:
        if captured.get("no_store") or captured.get("error") or captured.get("written"):
            return False
        if not str(captured.get("status", "")).startswith("200"):
            return False
        headers = {name.lower(): value for name, value in captured.get("headers", [])}
        if "set-cookie" in headers or not headers.get("content-type", "").startswith("text/html"):
            return False
        control = headers.get("cache-control", "").lower()
        return "private" not in control and "no-store" not in control


def _mark_uncacheable(response: Response) -> Response:
    """A page built for someone logged in, or holding a CSRF token, is never kept."""
    user = g.get("_login_user")
    if "csrf_token" in g or (user is not None and getattr(user, "is_authenticated", False)):
        no_visitor_cache()
    return response


def init_visitor_cache(app: Flask) -> VisitorPageCache:
    app.after_request(_mark_uncacheable)
    # Inside Socket.IO's middleware: its requests (polling, WebSocket upgrades) never reach
    # the cache, and the test tools still find the Socket.IO server on `app.wsgi_app`.
    socketio_middleware = app.wsgi_app
    inner = getattr(socketio_middleware, "wsgi_app", None)
    if getattr(socketio_middleware, "engineio_app", None) is not None and inner is not None:
        middleware = VisitorPageCache(app, inner)
        socketio_middleware.wsgi_app = middleware  # type: ignore[attr-defined]
    else:
        middleware = VisitorPageCache(app, app.wsgi_app)
        app.wsgi_app = middleware  # type: ignore[method-assign]
    app.extensions["terreau_visitor_cache"] = middleware
    return middleware
