"""The visitor page cache (core/pagecache.py, issue 17): a visitor's page is kept a few seconds
in this process, never a member's page, an error, a page with a cookie or a form's token, and
what this process commits drops every kept page at once."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import pytest

from community.core import pagecache
from community.extensions import db
from tests.factories import make_community, make_member


@pytest.fixture
def kept(app, monkeypatch) -> Iterator[None]:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "VISITOR_PAGE_CACHE_SECONDS", 60)
    app.extensions["terreau_visitor_cache"].clear()
    yield
    app.extensions["terreau_visitor_cache"].clear()


def visit(app, url: str, **kwargs):  # type: ignore[no-untyped-def]
    """A visitor's request: a fresh client, no cookie."""
    return app.test_client().get(url, **kwargs)


def hit(response) -> bool:  # type: ignore[no-untyped-def]
    return response.headers.get("X-Visitor-Cache") == "hit"


def test_off_by_default_in_the_tests(app) -> None:  # type: ignore[no-untyped-def]
    assert app.config["VISITOR_PAGE_CACHE_SECONDS"] == 0
    visit(app, "/communities")
    assert not hit(visit(app, "/communities"))


def test_a_visitors_page_is_kept_and_costs_no_query(app, kept, queries) -> None:  # type: ignore[no-untyped-def]
    make_community(name="Jardin des Lilas")
    db.session.commit()
    first = visit(app, "/communities")
    assert first.status_code == 200 and not hit(first)
    with queries() as log:
        second = visit(app, "/communities")
    assert hit(second) and log.count == 0
    assert second.get_data() == first.get_data() and "Jardin des Lilas" in second.get_data(True)
    assert second.headers["Content-Type"] == first.headers["Content-Type"]


def test_a_commit_in_this_process_drops_the_kept_pages(app, kept) -> None:  # type: ignore[no-untyped-def]
    visit(app, "/communities")
    assert hit(visit(app, "/communities"))
    make_community(name="Verger partagé")
    db.session.commit()
    fresh = visit(app, "/communities")
    assert not hit(fresh) and "Verger partagé" in fresh.get_data(as_text=True)


def test_a_read_only_request_keeps_them(app, kept) -> None:  # type: ignore[no-untyped-def]
    visit(app, "/communities")
    visit(app, "/charte")  # another page built, nothing written
    visit(app, "/healthz")  # its textual SELECT 1 is a read
    assert hit(visit(app, "/communities"))


def test_another_process_shows_a_change_when_the_page_expires(app, kept, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Another process's commit does not bump this process's generation: the page it kept
    shows the change once its lifetime is over."""
    monkeypatch.setattr(pagecache.cache, "write_generation", lambda: 0)
    visit(app, "/communities")
    make_community(name="Verger partagé")
    db.session.commit()
    assert hit(visit(app, "/communities"))  # still the kept page
    later = pagecache.time.monotonic() + 61
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: later)
    fresh = visit(app, "/communities")
    assert not hit(fresh) and "Verger partagé" in fresh.get_data(as_text=True)


def test_a_members_page_is_never_served_to_a_visitor_nor_the_reverse(app, client, kept) -> None:  # type: ignore[no-untyped-def]
    member = make_member(display_name="Léonie Membre")
    db.session.commit()
    client.login_as(member)
    mine = client.get("/communities")
    assert not hit(mine) and 'href="/notifications"' in mine.get_data(as_text=True)
    theirs = visit(app, "/communities")
    assert not hit(theirs) and 'href="/notifications"' not in theirs.get_data(as_text=True)
    assert hit(visit(app, "/communities"))  # the visitor's page is kept…
    again = client.get("/communities")  # …and never given to the member
    assert not hit(again) and 'href="/notifications"' in again.get_data(as_text=True)


def test_a_page_built_for_a_logged_in_request_is_not_kept(app, kept, api_token) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    db.session.commit()
    headers = api_token(member)
    assert not hit(visit(app, "/communities", headers=headers))
    assert not hit(visit(app, "/communities", headers=headers))  # Authorization: never read
    assert not hit(visit(app, "/communities"))  # nor kept for visitors from a token's request


def test_any_cookie_but_the_language_one_bypasses_it(app, kept) -> None:  # type: ignore[no-untyped-def]
    visit(app, "/communities")
    other = app.test_client()
    other.set_cookie("remember_token", "1|abc")
    assert not hit(other.get("/communities"))
    with_lang = app.test_client()
    with_lang.set_cookie("lang", "fr")
    with_lang.get("/communities")
    assert hit(with_lang.get("/communities"))


def test_errors_are_never_kept(app, kept) -> None:  # type: ignore[no-untyped-def]
    assert visit(app, "/communities/nulle-part").status_code == 404
    again = visit(app, "/communities/nulle-part")
    assert again.status_code == 404 and not hit(again)


def test_pages_with_a_form_token_or_a_cookie_are_never_kept(app, kept) -> None:  # type: ignore[no-untyped-def]
    for url in ("/auth/login", "/auth/signup"):
        first = visit(app, url)
        assert first.status_code == 200 and "csrf_token" in first.get_data(as_text=True)
        second = visit(app, url)
        assert not hit(second) and "Set-Cookie" in second.headers
        assert second.get_data() != first.get_data()  # each visitor her own token


def test_a_view_may_refuse_it(app, kept, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    charter = app.view_functions["core.charter"]

    def uncached() -> str:
        pagecache.no_visitor_cache()
        return str(charter())

    monkeypatch.setitem(app.view_functions, "core.charter", uncached)
    visit(app, "/charte")
    assert not hit(visit(app, "/charte"))


def test_only_listed_query_parameters(app, kept) -> None:  # type: ignore[no-untyped-def]
    visit(app, "/communities?page=1")
    assert hit(visit(app, "/communities?page=1"))
    assert not hit(visit(app, "/communities?page=2"))  # another key
    visit(app, "/communities?q=jardin")
    assert not hit(visit(app, "/communities?q=jardin"))  # a search is not kept
    visit(app, "/communities?utm_source=x")
    assert not hit(visit(app, "/communities?utm_source=x"))


def test_kept_per_locale(app, kept) -> None:  # type: ignore[no-untyped-def]
    french = visit(app, "/communities", headers={"Accept-Language": "fr"})
    english = visit(app, "/communities", headers={"Accept-Language": "en"})
    assert not hit(english) and english.get_data() != french.get_data()
    again_en = visit(app, "/communities", headers={"Accept-Language": "en"})
    assert hit(again_en) and '<html lang="en"' in again_en.get_data(as_text=True)
    by_cookie = app.test_client()
    by_cookie.set_cookie("lang", "en")
    again = by_cookie.get("/communities", headers={"Accept-Language": "fr"})
    assert hit(again) and again.get_data() == english.get_data()


def test_kept_per_accept_encoding(app, kept) -> None:  # type: ignore[no-untyped-def]
    packed = visit(app, "/communities", headers={"Accept-Encoding": "gzip"})
    assert packed.headers.get("Content-Encoding") == "gzip"
    plain = visit(app, "/communities")
    assert not hit(plain) and "Content-Encoding" not in plain.headers
    assert "<html" in plain.get_data(as_text=True)
    again = visit(app, "/communities", headers={"Accept-Encoding": "gzip"})
    assert hit(again) and b"<html" in gzip.decompress(again.get_data())


def test_only_get(app, kept) -> None:  # type: ignore[no-untyped-def]
    app.test_client().head("/communities")
    assert not hit(app.test_client().head("/communities"))


def test_a_page_that_sets_a_cookie_is_never_kept(app, kept, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from flask import make_response

    charter = app.view_functions["core.charter"]

    def with_cookie():  # type: ignore[no-untyped-def]
        response = make_response(charter())
        response.set_cookie("seen", "1")
        return response

    monkeypatch.setitem(app.view_functions, "core.charter", with_cookie)
    visit(app, "/charte")
    second = visit(app, "/charte")
    assert not hit(second) and "seen=1" in second.headers["Set-Cookie"]


def test_the_initiative_and_thread_pages_set_no_cookie_for_a_visitor(app, kept) -> None:  # type: ignore[no-untyped-def]
    """They build no form for a visitor (a form's token would set a session cookie)."""
    from tests.factories import make_thread
    from tests.initiatives.factories import make_initiative

    author = make_member()
    community = make_community(visibility="open", members=(author,))
    initiative = make_initiative(author)
    thread = make_thread(community, "Le marché")
    db.session.commit()
    for url in (f"/initiatives/{initiative.id}", f"/threads/{thread.id}"):
        first = visit(app, url)
        assert first.status_code == 200 and "Set-Cookie" not in first.headers, url
        assert hit(visit(app, url)), url


def test_socket_io_never_reaches_it(app, kept) -> None:  # type: ignore[no-untyped-def]
    """The cache sits inside Socket.IO's middleware: a visitor's polling request (no cookie, a
    GET) is Socket.IO's alone, and the Socket.IO server stays where the tools look for it."""
    assert getattr(app.wsgi_app, "engineio_app", None) is not None
    assert isinstance(app.wsgi_app.wsgi_app, pagecache.VisitorPageCache)
    for _ in range(2):
        answer = visit(app, "/socket.io/?EIO=4&transport=polling")
        assert answer.status_code == 200 and not hit(answer)
