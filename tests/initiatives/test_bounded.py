"""Every list of the initiatives is bounded at any size (issue 17): the awaiting page, the
figures by community, the community filter of /initiatives."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from community.core.models import utcnow
from community.initiatives import views
from tests.factories import make_community, make_member
from tests.initiatives.factories import make_initiative


def _initiatives(n: int, **fields: Any) -> list[Any]:
    author = make_member()
    since = utcnow() - timedelta(days=40)
    return [
        make_initiative(
            author,
            community=make_community(technician=make_member("staff")),
            awaiting_since=since + timedelta(hours=i),
            **fields,
        )
        for i in range(n)
    ]


def test_the_awaiting_page_and_the_figures_are_paginated(client: Any) -> None:
    made = _initiatives(23)
    client.login_as(make_member("staff"))
    first = client.get("/initiatives/awaiting").get_data(as_text=True)
    assert first.count("/initiatives/") >= 20
    shown = set(re.findall(r'href="/initiatives/(\d+)"', first))
    assert len(shown & {str(i.id) for i in made}) == 20 and 'rel="next"' in first
    second = client.get("/initiatives/awaiting?page=2").get_data(as_text=True)
    rest = set(re.findall(r'href="/initiatives/(\d+)"', second)) & {str(i.id) for i in made}
    assert len(rest) == 3 and not rest & shown

    figures = client.get("/initiatives/figures").get_data(as_text=True)
    assert figures.count('<li class="card">') == 20 and 'rel="next"' in figures
    last = client.get("/initiatives/figures?page=2").get_data(as_text=True)
    assert last.count('<li class="card">') == 3


def test_the_community_filter_is_bounded(client: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(views, "FILTER_COMMUNITIES", 5)
    made = _initiatives(8)
    quiet = make_community(technician=make_member("staff"))  # no initiative
    html = client.get("/initiatives").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="community".*?</select>', html, re.S)
    assert select and select.group(0).count("<option") == 1 + 5
    asked = client.get(f"/initiatives?community={quiet.slug}").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="community".*?</select>', asked, re.S)
    assert select and f'selected value="{quiet.slug}"' in select.group(0)
    assert made
