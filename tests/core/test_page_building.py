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
