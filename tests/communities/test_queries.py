"""The list and a community page cost the same number of queries with 10 or 200 rows."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import make_community, make_member, make_membership, make_theme


def _count(client: Any, queries: Any, url: str) -> int:
    client.get(url)  # warm caches (translations, templates)
    with queries() as log:
        response = client.get(url)
    assert response.status_code == 200
    return int(log.count)


@pytest.mark.parametrize("viewer", ["visitor", "member"])
def test_list_is_flat(client: Any, queries: Any, viewer: str) -> None:
    theme = make_theme()
    staff = make_member("staff")
    if viewer == "member":
        client.login_as(make_member())
    for _ in range(10):
        make_community(theme=theme, technician=staff, citizen=make_member())
    small = _count(client, queries, "/communities?page_size=100")
    small_api = _count(client, queries, "/api/v1/communities?page_size=100")
    for _ in range(190):
        make_community(theme=make_theme(), technician=staff)
    assert _count(client, queries, "/communities?page_size=100") == small
    assert _count(client, queries, "/api/v1/communities?page_size=100") == small_api


def test_community_page_and_members_are_flat(client: Any, queries: Any) -> None:
    viewer = make_member()
    community = make_community(
        technician=make_member("staff"), citizen=make_member(), members=(viewer,)
    )
    for _ in range(8):
        make_membership(community, make_member())
    client.login_as(viewer)
    slug = community.slug
    urls = [
        f"/communities/{slug}",
        f"/communities/{slug}/members",
        f"/api/v1/communities/{slug}",
        f"/api/v1/communities/{slug}/members?page_size=100",
    ]
    small = [_count(client, queries, url) for url in urls]
    for _ in range(190):
        make_membership(community, make_member())
    assert [_count(client, queries, url) for url in urls] == small


def test_dashboard_is_flat(client: Any, queries: Any) -> None:
    gardener = make_member()
    communities = [make_community(visibility="on_request", citizen=gardener) for _ in range(3)]
    for community in communities:
        make_membership(community, make_member(), "pending")
    client.login_as(gardener)
    small = _count(client, queries, "/communities/dashboard")
    for community in communities:
        for _ in range(30):
            make_membership(community, make_member(), "pending")
    assert _count(client, queries, "/communities/dashboard") == small
    for _ in range(12):  # five times the mandates: no query per mandate (issue 17)
        make_community(visibility="on_request", citizen=gardener)
    assert _count(client, queries, "/communities/dashboard") == small
