"""What the browser downloads: compression, fingerprinted static files, cookie-free visits."""

from __future__ import annotations

import gzip
import re
from typing import Any

import brotli
import pytest

from tests.factories import make_community, make_member


def _static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_pages_styles_and_scripts_are_compressed(client: Any, encoding: str) -> None:
    page = client.get("/", headers={"Accept-Encoding": encoding})
    assert page.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in page.headers["Vary"]
    body = brotli.decompress(page.data) if encoding == "br" else gzip.decompress(page.data)
    assert b"<!doctype html>" in body
    plain = client.get("/")
    assert "Content-Encoding" not in plain.headers and plain.data == body

    staff = make_member("staff")
    for _ in range(5):
        make_community(technician=staff)
    api = client.get("/api/v1/communities", headers={"Accept-Encoding": encoding})
    assert api.headers["Content-Encoding"] == encoding
    client.login_as(make_member())
    urls = _static_urls(client.get("/").get_data(as_text=True))
    css = next(u for u in urls if "terreau.css" in u)
    js = next(u for u in urls if "socket.io.min.js" in u)  # files under 500 bytes stay plain
    for url in (css, js):
        response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
        assert response.headers["Content-Encoding"] in {"br", "gzip", "deflate"}
        response.close()


def test_every_static_url_is_fingerprinted_and_cached_a_year(client: Any) -> None:
    client.login_as(make_member())
    urls = [  # (the app icons exist only once `npm run build` has drawn them)
        u for u in _static_urls(client.get("/").get_data(as_text=True)) if "/icons/" not in u
    ]
    assert urls and all(re.search(r"\?v=[0-9a-f]{12}$", u) for u in urls), urls
    response = client.get(urls[0])
    assert response.status_code == 200
    cache = response.headers["Cache-Control"]
    assert "max-age=31536000" in cache and "immutable" in cache and "public" in cache
    response.close()

    path = urls[0].split("?")[0]
    for url in (path, f"{path}?v=000000000000"):  # unversioned, or an old version
        response = client.get(url)
        cache = response.headers["Cache-Control"]
        assert "immutable" not in cache and "max-age=300" in cache
        response.close()


def test_a_changed_file_gets_a_new_fingerprint(app: Any, tmp_path: Any) -> None:
    from flask import url_for

    with app.test_request_context():
        first = url_for("static", filename="css/terreau.css")
        assert url_for("static", filename="css/terreau.css") == first
        assert url_for("static", filename="nothing/here.css") == "/static/nothing/here.css"


def test_anonymous_pages_set_no_cookie(client: Any) -> None:
    community = make_community(visibility="open", technician=make_member("staff"))
    for url in ("/", "/communities", f"/communities/{community.slug}", "/initiatives"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, (url, response.headers.get("Set-Cookie"))
        assert 'name="csrf-token"' not in response.get_data(as_text=True)


def test_forms_keep_their_csrf_token(client: Any, app: Any) -> None:
    """The login form still sets the session and refuses a post without its token."""
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/auth/login")
    assert 'name="csrf_token"' in page.get_data(as_text=True)
    assert "session=" in page.headers.get("Set-Cookie", "")
    refused = client.post("/auth/login", data={"email": "x@example.org", "password": "x"})
    assert refused.status_code == 400


def test_the_language_switch_needs_no_session(client: Any) -> None:
    response = client.get("/language?lang=en&next=/communities")
    assert response.status_code == 302 and response.headers["Location"].endswith("/communities")
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1 and cookies[0].startswith("lang=en")
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Act together" in html


def test_a_thread_page_opens_one_socket(client: Any) -> None:
    """socket.io and the shared connection come once, with the bell, for members only."""
    from tests.factories import make_thread

    member = make_member()
    community = make_community(visibility="open", technician=make_member("staff"))
    thread = make_thread(community, title="Le composteur")
    visitor = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "socket.io" not in visitor and "thread.js" not in visitor
    client.login_as(member)
    html = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert html.count("vendor/socket.io.min.js") == 1 and html.count("js/socket.js") == 1
    assert html.index("js/socket.js") < html.index("js/thread.js")


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_cached_date_formats_say_what_babel_says(app: Any, locale: str) -> None:
    from datetime import UTC, date, datetime, timedelta

    from flask_babel import format_date, format_time, refresh
    from flask_babel import gettext as _

    from community.core.jinja import day, moment

    with app.test_request_context(headers={"Accept-Language": locale}):
        refresh()
        moments = [datetime(2026, 3, 29, 0, 30) + timedelta(hours=h * 7) for h in range(40)]
        moments.append(datetime(2026, 7, 14, 23, 30, tzinfo=UTC))
        for value in moments:
            assert day(value) == format_date(value, "long")
            expected = _(
                "%(date)s at %(time)s",
                date=format_date(value, "long"),
                time=format_time(value, "HH:mm"),
            )
            assert moment(value) == expected
        assert day(date(2026, 12, 1)) == format_date(date(2026, 12, 1), "long")
