"""Every list and detail page costs the same number of queries at 1× and 5× its rows (issue 17).

One "unit" of data: a community with its gardeners and members, two initiatives in it (one
supported, one spontaneous elsewhere), a thread with five messages by different authors, and on
the first community's page a topic, a rencontre to come, an open questionnaire and a published
follow-up; on its initiative's story a past rencontre with its compte rendu; on the viewer's
home page, the discussions of an initiative and of a rencontre she wrote in, with news.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from community.core.models import utcnow
from community.extensions import db
from community.initiatives import backing
from community.questionnaires import services as questionnaires
from community.threads import services as threads
from community.threads.models import Thread
from tests.events.factories import make_event
from tests.factories import make_community, make_member, make_membership, make_thread
from tests.initiatives.factories import make_initiative
from tests.questionnaires.factories import make_questionnaire


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
                backing.support(author, self.initiative)
            other = make_initiative(make_member(), community=community, title="Des bancs")
            make_initiative(make_member())
            make_thread(self.community, title="Un autre sujet")
            rencontre = make_thread(self.community, title="Atelier vélo", kind="event")
            make_event(self.community, self.staff, thread_id=rencontre.id)
            for thread in (db.session.get(Thread, other.thread_id), rencontre):
                threads.post_message(self.viewer, thread, "J'en suis.")
                threads.post_message(self.gardener, thread, "Merci !")
            make_event(
                self.community,
                self.staff,
                starts_at=utcnow() - timedelta(days=2),
                initiative_id=self.initiative.id,
                report_html="<p>Dix personnes.</p>",
            )
            make_questionnaire(self.community, gardener=self.staff)
            done = make_questionnaire(self.community, gardener=self.staff, status="closed")
            questionnaires.publish_follow_up(self.staff, done, "Merci, voici ce que nous faisons.")


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
    shown = client.get(f"/communities/{world.community.slug}").get_data(as_text=True)
    assert "Un autre sujet" in shown and "Le compost du quartier" in shown
    assert "Atelier compost" in shown and "Merci, voici ce que nous faisons." in shown
    story = client.get(f"/initiatives/{world.initiative.id}").get_data(as_text=True)
    assert "Dix personnes." in story
    home = client.login_as(world.viewer).get("/").get_data(as_text=True)
    assert home.count("Atelier vélo") == 5 and home.count("Des bancs") == 5


def test_community_page_keeps_its_public_figures(app: Any, client: Any, queries: Any) -> None:
    """PUBLIC_COUNTS_CACHE_SECONDS: the answers' figures and the rencontres' attendance are
    kept per community (two queries fewer), the rest of the page is read afresh."""
    from community.core.cache import clear_all

    world = World()
    url = f"/communities/{world.community.slug}"
    fresh = _count(client, queries, url)
    app.config["PUBLIC_COUNTS_CACHE_SECONDS"] = 60
    clear_all()
    try:
        kept = _count(client, queries, url)
        make_thread(world.community, title="Un sujet tout neuf")
        shown = client.get(url).get_data(as_text=True)
    finally:
        app.config["PUBLIC_COUNTS_CACHE_SECONDS"] = 0
        clear_all()
    assert kept <= fresh - 2
    assert "Un sujet tout neuf" in shown


class Wider(World):
    """The key pages' world, and what the other lists and detail pages show: a rencontre to
    come with its registrations, an open questionnaire with its answers, reports for the
    moderators, help offered and asked, notifications for the viewer."""

    def __init__(self) -> None:
        super().__init__()
        from tests.events.factories import make_event
        from tests.questionnaires.factories import make_questionnaire

        self.event = make_event(self.community, self.staff, title="Grainothèque")
        self.questionnaire = make_questionnaire(self.community, gardener=self.staff)
        self.answers = 0

    def grow(self, units: int) -> None:
        from community.events import registrations
        from community.moderation import services as moderation
        from community.questionnaires import answering
        from community.questionnaires.answering import Given
        from tests.questionnaires.factories import opt, q
        from tests.solidarity.factories import make_offer, make_request

        super().grow(units)
        for _ in range(units):
            for _ in range(3):
                person = make_member()
                make_membership(self.community, person)
                registrations.register(person, self.event)
                posted = threads.post_message(person, self.thread, f"@{self.viewer.display_name} ?")
                moderation.report(self.viewer, "message", posted.message.id, "spam", "Publicité.")
                self.answers += 1
                answering.submit_response(
                    None,
                    self.questionnaire,
                    {q(self.questionnaire, 0).id: Given([opt(self.questionnaire, 0, 1)])},
                    browser_token=f"browser-token-number-{self.answers:04d}",
                )
            make_offer(self.viewer)
            make_request(make_member())


MORE_PAGES = {
    "rencontres": ("member", lambda w: "/events"),
    "my rencontres": ("member", lambda w: "/events/mine"),
    "rencontre": ("member", lambda w: f"/events/{w.event.id}"),
    "attendees": ("staff", lambda w: f"/events/{w.event.id}/attendees"),
    "questionnaires": ("member", lambda w: "/questionnaires"),
    "questionnaire": ("member", lambda w: f"/questionnaires/{w.questionnaire.id}"),
    "results": ("staff", lambda w: f"/questionnaires/{w.questionnaire.id}/results"),
    "discussions": ("member", lambda w: f"/communities/{w.community.slug}/threads"),
    "members": ("gardener", lambda w: f"/communities/{w.community.slug}/members"),
    "gardeners": ("staff", lambda w: f"/communities/{w.community.slug}/gardeners"),
    "ambassadors": ("member", lambda w: f"/communities/{w.community.slug}/ambassadors"),
    "for me": ("member", lambda w: "/communities/for-me"),
    "to do": ("gardener", lambda w: "/todo"),
    "notifications": ("member", lambda w: "/notifications"),
    "moderation": ("gardener", lambda w: "/moderation"),
    "journal": ("gardener", lambda w: "/moderation/journal"),
    "awaiting": ("staff", lambda w: "/initiatives/awaiting"),
    "figures": ("staff", lambda w: "/initiatives/figures"),
    "solidarity": ("member", lambda w: "/solidarity"),
    "me": ("member", lambda w: "/me"),
    "profile": ("member", lambda w: f"/members/{w.gardener.id}"),
}


def test_every_other_list_and_detail_page_is_flat(client: Any, queries: Any) -> None:
    """The pages beyond the key ones: the same number of queries with 5× the rows they list."""
    world = Wider()
    world.grow(1)

    def counts() -> dict[str, int]:
        found = {}
        for name, (who, url) in MORE_PAGES.items():
            client.login_as(getattr(world, "viewer" if who == "member" else who))
            found[name] = _count(client, queries, url(world))
        return found

    small = counts()
    world.grow(4)
    grown = counts()
    assert {name: (small[name], n) for name, n in grown.items() if n != small[name]} == {}


# What each key page costs a member today, in statements (the session's own included). A page
# that asks more has grown a query: say why here, or load it with the others.
BUDGET = {
    "home": 19,  # the answers she typed in for open questionnaires (walk 2, 8 December)
    "communities": 13,
    "community": 24,
    "initiatives": 12,
    "initiative": 17,
    "thread": 11,
    "dashboard": 17,
    "observatory": 15,
}


def test_every_key_page_keeps_to_its_budget(client: Any, queries: Any) -> None:
    world = World()
    world.grow(1)
    spent = {}
    for name, url in PAGES.items():
        client.login_as(getattr(world, AS.get(name) or "viewer"))
        spent[name] = _count(client, queries, url(world))
    assert spent == BUDGET, repr(spent)
