"""What every page does many times, done once: its links and its translated words."""

from __future__ import annotations

from typing import Any

import pytest
from flask import render_template_string, url_for
from flask_babel import force_locale
from werkzeug.routing import BuildError


def test_a_link_built_again_is_the_same_and_the_options_are_built_each_time(app: Any) -> None:
    app._built_links.clear()
    with app.test_request_context("/"):
        first = url_for("initiatives.show", initiative_id=7)
        assert url_for("initiatives.show", initiative_id=7) == first == "/initiatives/7"
        assert url_for("initiatives.show", initiative_id=8) == "/initiatives/8"
        stylesheet = url_for("static", filename="css/terreau.css")
        assert stylesheet.startswith("/static/css/terreau.css?v=")
        kept = dict(app._built_links)
        # An anchor, an absolute link: never kept, never mixed with the plain link.
        assert url_for("initiatives.show", initiative_id=7, _anchor="x") == "/initiatives/7#x"
        assert url_for("core.home", _external=True).startswith("http")
        assert app._built_links == kept
        with pytest.raises(BuildError):
            url_for("initiatives.show")  # a missing value is refused, not kept
        assert url_for("initiatives.index", theme=["a", "b"]) == "/initiatives?theme=a&theme=b"
    # Under another root (the site served below a path), links are that root's own.
    with app.test_request_context("/", base_url="http://localhost/terreau/"):
        assert url_for("initiatives.show", initiative_id=7) == "/terreau/initiatives/7"


def test_the_words_of_a_page_keep_jinja_s_semantics(app: Any) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        page = render_template_string(
            "{{ _('Communities') }}|{{ _('Hello %(name)s', name='<b>Léa</b>') }}|{{ _('100%%') }}"
        )
        assert page == "Communautés|Bonjour &lt;b&gt;Léa&lt;/b&gt;|100%"
        with force_locale("en"):
            assert render_template_string("{{ _('Communities') }}") == "Communities"
        assert render_template_string("{{ _('Communities') }}") == "Communautés"


def test_python_words_and_lazy_words_follow_the_locale_of_the_moment(app: Any) -> None:
    from flask_babel import get_domain, gettext, lazy_gettext

    from community.core.i18n import RequestDomain

    label = lazy_gettext("Communities")
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert isinstance(get_domain(), RequestDomain)
        assert (gettext("Communities"), str(label)) == ("Communautés", "Communautés")
        with force_locale("en"):
            assert (gettext("Communities"), str(label)) == ("Communities", "Communities")
        assert (gettext("Communities"), str(label)) == ("Communautés", "Communautés")


def test_only_plain_values_are_kept_and_never_in_debug(app: Any, monkeypatch: Any) -> None:
    """The review's findings: a visitor's long `next=` (every error page builds one) must not
    fill the memory; `True`, `1.0` and `1` are one key but three links; a static file's
    fingerprint changes while it is edited in debug."""
    from flask import url_for as flask_url_for

    app._built_links.clear()
    with app.test_request_context("/"):
        assert flask_url_for("initiatives.show", initiative_id=3) == "/initiatives/3"
        assert len(app._built_links) == 1  # Python's url_for is kept too (its options are None)
        long_next = "/nope?q=" + "x" * 3000
        assert flask_url_for("auth.login", next=long_next).startswith("/auth/login?next=")
        assert len(app._built_links) == 1
        links = [flask_url_for("initiatives.index", page=value) for value in (1, True, 1.0)]
        assert links == ["/initiatives?page=1", "/initiatives?page=True", "/initiatives?page=1.0"]
        monkeypatch.setattr(app, "debug", True)
        app._built_links.clear()
        flask_url_for("initiatives.show", initiative_id=3)
        assert app._built_links == {}


def test_a_word_may_be_given_a_value_named_string_or_context(app: Any) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        page = render_template_string(
            "{{ _('%(string)s and %(context)s', string='a', context='b') }}"
        )
        assert page == "a and b"
