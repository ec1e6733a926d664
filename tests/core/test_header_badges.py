"""The header's badges are computed once per request and kept per member a short while
(`HEADER_CACHE_SECONDS`, core/header.py), dropped at once by what this process commits and by
the member's own writing requests (issue 17)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from community.core import header
from community.core.cache import clear_all
from community.extensions import db
from community.threads import services as threads
from tests.factories import make_community, make_member, make_thread
from tests.moderation.factories import make_report


@pytest.fixture
def kept(app, monkeypatch) -> Iterator[None]:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "HEADER_CACHE_SECONDS", 60)
    clear_all()
    yield
    clear_all()


def todo_badge(html: str) -> int:
    found = re.search(r'<span class="badge todo-count">(\d+)', html)
    return int(found.group(1)) if found else 0


def bell(html: str) -> int:
    found = re.search(r"data-notifications-count[^>]*>(\d+)", html)
    assert found, "no bell"
    return int(found.group(1))


def gardened() -> tuple[object, object]:
    gardener, author = make_member(), make_member()
    community = make_community(citizen=gardener, members=(author,))
    return gardener, author, community  # type: ignore[return-value]


def test_a_kept_badge_costs_no_query(client, kept, queries) -> None:  # type: ignore[no-untyped-def]
    gardener, author, community = gardened()
    make_report(author, community=community)
    db.session.commit()
    client.login_as(gardener)
    with queries() as first:
        assert todo_badge(client.get("/charte").get_data(as_text=True)) == 1
    with queries() as second:
        assert todo_badge(client.get("/charte").get_data(as_text=True)) == 1
    assert second.count < first.count


def test_the_badge_drops_at_once_when_the_gardener_answers(client, kept) -> None:  # type: ignore[no-untyped-def]
    gardener, author, community = gardened()
    first, second = (
        make_report(author, community=community),
        make_report(author, community=community),
    )
    db.session.commit()
    client.login_as(gardener)
    assert todo_badge(client.get("/charte").get_data(as_text=True)) == 2
    answer = client.post_form(
        f"/moderation/reports/{first.id}", {"action": "dismiss", "note": "Rien de grave"}
    )
    assert answer.status_code == 302
    assert todo_badge(client.get("/charte").get_data(as_text=True)) == 1
    client.post_form(f"/moderation/reports/{second.id}", {"action": "dismiss"})
    assert todo_badge(client.get("/charte").get_data(as_text=True)) == 0


def test_a_new_report_shows_at_once_in_this_process(client, kept) -> None:  # type: ignore[no-untyped-def]
    gardener, author, reporter = make_member(), make_member(), make_member()
    community = make_community(citizen=gardener, members=(author, reporter))
    thread = make_thread(community, "Le marché")
    message = threads.post_message(author, thread, "Tu es un idiot", "m1").message
    db.session.commit()
    client.login_as(gardener)
    assert todo_badge(client.get("/charte").get_data(as_text=True)) == 0
    other = client.application.test_client()
    other.login_as(reporter)
    reported = other.post_form(
        "/report", {"target_type": "message", "target_id": message.id, "reason": "insult"}
    )
    assert reported.status_code == 302
    assert todo_badge(client.get("/charte").get_data(as_text=True)) == 1


def test_reading_the_notifications_empties_the_bell_at_once(client, kept) -> None:  # type: ignore[no-untyped-def]
    from community.core.notify import notify

    member = make_member()
    notify(member, "report_outcome", "Une nouvelle", "/charte")
    db.session.commit()
    client.login_as(member)
    assert bell(client.get("/charte").get_data(as_text=True)) == 1
    assert client.post_form("/notifications/read").status_code == 302
    assert bell(client.get("/charte").get_data(as_text=True)) == 0


def test_the_members_own_write_drops_her_badges_in_any_process(client, kept, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Another process has not seen the commit (its generation stays): the stamp in the
    member's session, set by her own writing request, still drops what it kept."""
    monkeypatch.setattr(header, "write_generation", lambda: 0)
    gardener, author, community = gardened()
    report = make_report(author, community=community)
    db.session.commit()
    client.login_as(gardener)
    assert todo_badge(client.get("/charte").get_data(as_text=True)) == 1
    client.post_form(f"/moderation/reports/{report.id}", {"action": "dismiss"})
    assert todo_badge(client.get("/charte").get_data(as_text=True)) == 0


def test_what_another_process_commits_shows_within_the_lifetime(client, kept, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The documented limit: without this process's commit nor her own write, a kept badge
    stays until it expires (here: forgotten by hand)."""
    monkeypatch.setattr(header, "write_generation", lambda: 0)
    gardener, author, community = gardened()
    db.session.commit()
    client.login_as(gardener)
    assert todo_badge(client.get("/charte").get_data(as_text=True)) == 0
    make_report(author, community=community)
    db.session.commit()
    assert todo_badge(client.get("/charte").get_data(as_text=True)) == 0  # kept
    header.forget()  # what the lifetime's end does
    assert todo_badge(client.get("/charte").get_data(as_text=True)) == 1


def test_an_api_write_sets_no_cookie(client, kept, api_token) -> None:  # type: ignore[no-untyped-def]
    """The stamp goes only into a session that carries a login, never into a token's answer."""
    gardener, author, community = gardened()
    report = make_report(author, community=community)
    db.session.commit()
    answer = client.post(
        f"/api/v1/moderation/reports/{report.id}/resolve",
        json={"action": "dismiss"},
        headers=api_token(gardener),
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert "Set-Cookie" not in answer.headers
