"""The links to a list's other pages (`core.pagination.page_url`): the list's filters are
kept from the query string, the route's own values and the page number are the view's, and
nothing a visitor types becomes an option of `url_for` (issue: `?endpoint=x` on any page with
pages was a 500)."""

from __future__ import annotations

import pytest

from community.core.pagination import page_url


@pytest.mark.parametrize(
    "query",
    [
        "endpoint=x",
        "_method=POST",
        "_anchor=x",
        "_external=1",
        "_scheme=javascript",
        "slug=ailleurs",
        "page=abc",
    ],
)
def test_what_a_visitor_types_never_changes_the_link_itself(app, query):
    with app.test_request_context(f"/communities/ici/members?theme=3&{query}"):
        link = page_url("communities.members", 2, slug="ici")
    assert link.startswith("/communities/ici/members?")
    assert "theme=3" in link and "page=2" in link
    assert "#" not in link and "ailleurs" not in link and "abc" not in link


def test_a_filter_given_twice_is_kept_twice(app):
    with app.test_request_context("/initiatives?theme=1&theme=2&page=3"):
        link = page_url("initiatives.index", 2)
    assert link == "/initiatives?theme=1&theme=2&page=2"
