"""Every list and detail page costs the same number of queries at 1× and 5× its rows (issue 17).

One "unit" of data: a community with its gardeners and members, two initiatives in it (one
supported, one spontaneous elsewhere), a thread with five messages by different authors.
"""

from __future__ import annotations

from typing import Any

import pytest

from community.initiatives import services as initiatives
from community.threads import services as threads
from tests.factories import make_community, make_member, make_membership, make_thread
from tests.initiatives.factories import make_initiative


class World:
    def __init__(self) -> None:
        self.staff = make_member("staff")
        self.gardener = make_member()
        self.viewer = make_member()
        self.community = make_community(
            technician=self.staff, citizen=self.gardener, members=(self.viewer,)
        )
        self.thread = make_thread(self.community, title="Le composteur")
        self.initiative = make_initiative(self.viewer, community=self.community)

    def grow(self, units: int) -> None:
        for _ in range(units):
            community = make_community(technician=self.staff, citizen=self.gardener)
            for _ in range(5):
                author = make_member()
                make_membership(self.community, author)
                threads.post_message(author, self.thread, "Je peux aider samedi.")
                initiatives.support(author, self.initiative)
            make_initiative(make_member(), community=community)
            make_initiative(make_member())


def _count(client: Any, queries: Any, url: str) -> int:
    client.get(url)  # warm caches (translations, templates)
    with queries() as log:
        response = client.get(url)
    assert response.status_code == 200, url
    return int(log.count)


PAGES = {
    "home": lambda w: "/",
    "communities": lambda w: "/communities",
    "community": lambda w: f"/communities/{w.community.slug}",
    "initiatives": lambda w: "/initiatives",
    "initiative": lambda w: f"/initiatives/{w.initiative.id}",
    "thread": lambda w: f"/threads/{w.thread.id}",
    "dashboard": lambda w: "/communities/dashboard",
    "observatory": lambda w: "/observatory",
}
AS = {"dashboard": "gardener", "observatory": "staff"}


@pytest.mark.parametrize("viewer", ["visitor", "member"])
def test_every_key_page_is_flat(client: Any, queries: Any, viewer: str) -> None:
    world = World()
    world.grow(1)

    def counts() -> dict[str, int]:
        found = {}
        for name, url in PAGES.items():
            who = AS.get(name) or viewer
            if who == "visitor":
                with client.session_transaction() as session:
                    session.clear()
            else:
                client.login_as(getattr(world, "viewer" if who == "member" else who))
            found[name] = _count(client, queries, url(world))
        return found

    small = counts()
    world.grow(4)
    assert counts() == small
