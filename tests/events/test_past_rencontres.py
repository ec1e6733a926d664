"""Walked: a gardener writes the compte rendu of a past rencontre, those who came are told,
a member who did not come finds it — by tapping from the home page, not by typing addresses.

Before, every list of rencontres stopped at now: a rencontre over was reached only through
the notification of those who came (or an initiative's story). Its gardener could not find
where to write the compte rendu, nor a member who had missed it read it."""

from __future__ import annotations

from datetime import timedelta

from community.core.models import utcnow
from community.events import attendance
from tests.conftest import page_text
from tests.events.factories import make_event, make_registration
from tests.factories import make_member, make_membership


def _past(world, title="Troc de graines", days=10, **fields):
    return make_event(
        world.community, world.gardener, title=title,
        starts_at=utcnow() - timedelta(days=days), **fields,
    )  # fmt: skip


def test_a_member_who_did_not_come_finds_the_compte_rendu(client, world, login_as):
    done = _past(world)
    make_registration(done, make_member(), checked_in_at=utcnow() - timedelta(days=10))
    attendance.publish_report(world.gardener, done, "On a échangé **30 sachets**.")
    _past(world, "Balade annulée", days=3, status="cancelled")
    make_event(world.community, title="Atelier à venir")
    login_as(world.member)

    # The community's page and the list of rencontres both lead to the past ones.
    community = page_text(client.get(f"/communities/{world.community.slug}"))
    past_url = f"/events/past?community={world.community.slug}"
    assert f'href="{past_url}"' in community
    assert 'href="/events/past"' in page_text(client.get("/events"))
    coming = page_text(client.get(f"/events?community={world.community.slug}"))
    assert f'href="{past_url}"' in coming

    listed = page_text(client.get(past_url))
    assert "Rencontres passées" in listed
    assert f'href="/events/{done.id}"' in listed and "Compte rendu à lire" in listed
    assert "Atelier à venir" not in listed  # not over yet
    assert "Balade annulée" not in listed  # never took place: nothing to tell
    shown = page_text(client.get(f"/events/{done.id}"))
    assert "<strong>30 sachets</strong>" in shown


def test_past_rencontres_newest_first_and_only_those_she_may_read(client, world, login_as):
    older = _past(world, "Il y a longtemps", days=40)
    newer = _past(world, "La semaine dernière", days=7)
    hidden = make_event(
        world.closed, world.closed_gardener, title="Entre membres",
        starts_at=utcnow() - timedelta(days=5),
    )  # fmt: skip
    outsider = make_member()
    login_as(outsider)
    listed = page_text(client.get("/events/past"))
    assert listed.index(newer.title) < listed.index(older.title)
    assert hidden.title not in listed
    # An on-request community's past rencontres are its members' too, as its coming ones.
    members_only = page_text(client.get(f"/events/past?community={world.closed.slug}"))
    assert hidden.title not in members_only and "réservées à ses membres" in members_only
    make_membership(world.closed, outsider)
    assert hidden.title in page_text(client.get(f"/events/past?community={world.closed.slug}"))


def test_an_unknown_community_is_a_404(client):
    assert client.get("/events/past?community=nulle-part").status_code == 404


def test_the_past_list_does_not_query_per_rencontre(client, world, login_as, queries):
    def fill(n):
        for day in range(n):
            event = _past(world, f"Rencontre {day}", days=2 + day)
            make_registration(event, make_member(), checked_in_at=event.starts_at)

    login_as(world.member)
    fill(2)
    counts = []
    for _ in range(2):
        with queries() as log:
            assert client.get("/events/past").status_code == 200
        counts.append(log.count)
        fill(6)
    assert counts[0] == counts[1]


def test_the_gardener_is_led_to_write_the_compte_rendu(client, world, login_as):
    done = _past(world)
    coming = make_event(world.community, world.gardener)
    login_as(world.gardener)
    page = page_text(client.get(f"/events/{done.id}"))
    # Named for what she came to do, where the form is (the attendee page).
    assert f'href="/events/{done.id}/attendees#compte-rendu">Écrire le compte rendu' in page
    assert 'id="compte-rendu"' in page_text(client.get(f"/events/{done.id}/attendees"))
    assert "Écrire le compte rendu" not in page_text(client.get(f"/events/{coming.id}"))
    attendance.publish_report(world.gardener, done, "Bilan")
    again = page_text(client.get(f"/events/{done.id}"))
    assert f'href="/events/{done.id}/attendees#compte-rendu">Modifier le compte rendu' in again
    login_as(world.member)  # not hers to write
    assert "compte-rendu" not in page_text(client.get(f"/events/{done.id}"))


def test_a_rencontre_over_shows_no_check_in_code_nor_calendar_link(client, world, login_as):
    done = _past(world)
    make_registration(done, world.member, checked_in_at=done.starts_at)
    coming = make_event(world.community)
    make_registration(coming, world.member)
    login_as(world.member)
    page = page_text(client.get(f"/events/{done.id}"))
    assert "Votre code d'accueil" not in page and f"/events/{done.id}.ics" not in page
    page = page_text(client.get(f"/events/{coming.id}"))
    assert "Votre code d'accueil" in page and f"/events/{coming.id}.ics" in page


def test_a_compte_rendu_to_write_waits_in_its_organisers_todo(client, world, login_as):
    """A rencontre over, without its compte rendu, is in the "à faire" of its community's
    gardeners and of the ambassador who planned it, for a month, until it is written — never
    a cancelled one, never a member's, nor staff's for every rencontre of the town."""
    mine = _past(world, "Troc de graines", days=3)
    theirs = make_event(
        world.community, world.ambassador, title="Balade des haies",
        starts_at=utcnow() - timedelta(days=5),
    )  # fmt: skip
    _past(world, "Balade annulée", days=2, status="cancelled")
    _past(world, "Atelier d'il y a longtemps", days=45)
    make_event(world.community, world.gardener, title="Atelier à venir")
    # Straight to the form (the "à faire" adds its own way back).
    write_mine = f'href="/events/{mine.id}/attendees?next=%2Ftodo#compte-rendu"'
    write_theirs = f'href="/events/{theirs.id}/attendees?next=%2Ftodo#compte-rendu"'

    login_as(world.gardener)
    todo = page_text(client.get("/todo"))
    assert "Compte rendu à écrire" in todo
    assert write_mine in todo and write_theirs in todo
    for absent in ("Balade annulée", "Atelier d'il y a longtemps", "Atelier à venir"):
        assert absent not in todo

    login_as(world.ambassador)  # she planned one: hers only
    todo = page_text(client.get("/todo"))
    assert write_theirs in todo and write_mine not in todo

    for nobody in (world.member, world.staff, world.other_gardener):
        login_as(nobody)
        assert "Compte rendu à écrire" not in page_text(client.get("/todo"))

    attendance.publish_report(world.gardener, mine, "On a échangé **30 sachets**.")
    login_as(world.gardener)
    todo = page_text(client.get("/todo"))
    assert write_mine not in todo and write_theirs in todo


def test_page_links_keep_the_filter_and_nothing_url_for_reads_as_its_own(client, world):
    """The links to the next and previous pages carry the query string (the community chosen)
    but never what `url_for` reads as its options or its endpoint: `?endpoint=x` was a 500
    (`url_for() got multiple values for argument 'endpoint'`), `?_method=POST` one too (no
    POST route to build), and `?_anchor=`/`?_external=` changed the links themselves."""
    for day in range(21):  # two pages
        _past(world, f"Rencontre {day}", days=2 + day)
    base = f"/events/past?community={world.community.slug}"
    for extra in ("endpoint=x", "_method=POST", "_anchor=x", "_external=1", "_scheme=javascript"):
        answer = client.get(f"{base}&{extra}")
        assert answer.status_code == 200, extra
        page = page_text(answer)
        nxt = f'href="/events/past?community={world.community.slug}&page=2" rel="next"'
        assert nxt in page, extra
    second = page_text(client.get(f"{base}&page=2&slug=x"))
    assert 'rel="prev"' in second and "page=1" in second
