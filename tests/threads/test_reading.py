"""Where a thread opens and how far it was read (`threads.reading`): at the first unread
message at every door that leads to it, and what arrived live on a visible page counts as
read (`thread:read`), so that the home page and the community's pages agree."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from sqlalchemy import insert, select

from community.extensions import db
from community.notifications.models import Notification
from community.threads import reading, services
from community.threads.models import Message, ThreadRead
from tests.threads.conftest import build_cast, login

FR = {"Accept-Language": "fr"}
HUGE = 2**31


def _fill(thread: Any, author: Any, count: int) -> None:
    """`count` more messages in `thread`, written at once (their bodies say their seq)."""
    start = thread.last_seq
    rows = [
        {
            "thread_id": thread.id,
            "seq": seq,
            "author_id": author.id,
            "body": f"numéro {seq}",
            "body_html": f"<p>numéro {seq}.</p>",
            "hidden_reason": "",
        }
        for seq in range(start + 1, start + count + 1)
    ]
    db.session.execute(insert(Message), rows)
    thread.last_seq = start + count
    db.session.flush()


def _page(client: Any, url: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", client.get(url, headers=FR).get_data(as_text=True)))


def _seqs(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-seq="(\d+)"', page)]


def _read(member: Any, thread: Any) -> int:
    return (
        db.session.execute(
            select(ThreadRead.last_read_seq).where(
                ThreadRead.member_id == member.id, ThreadRead.thread_id == thread.id
            )
        ).scalar_one_or_none()
        or 0
    )


# --- the page opens at the first unread message ----------------------------------------------


def test_a_thread_opens_at_its_first_unread_message_even_far_back(client: Any, cast: Any) -> None:
    _fill(cast.thread, cast.gardener, 80)
    reading.mark_read(cast.member, cast.thread, 10)
    login(client, cast.member)
    page = _page(client, f"/threads/{cast.thread.id}")
    # Two messages already read above the first unread one (11), then everything after it.
    assert _seqs(page) == list(range(9, 81))
    marker = page.index('<li class="unread-marker" id="unread" tabindex="-1">Nouveaux messages')
    assert page.index('data-seq="10"') < marker < page.index('data-seq="11"')
    # Near the top, a link there that works without JavaScript.
    jump = page.index('<a class="button button-small" href="#unread" id="jump-unread">')
    assert jump < page.index('id="messages"')
    assert "Aller au premier message non lu" in page
    assert _read(cast.member, cast.thread) == 80  # the page showed them all


def test_a_message_hidden_since_is_not_where_the_news_starts(client: Any, cast: Any) -> None:
    """The counts leave out what a moderator hid: the page's "Nouveaux messages" too."""
    _fill(cast.thread, cast.gardener, 4)
    reading.mark_read(cast.member, cast.thread, 2)
    hidden = db.session.execute(
        select(Message).where(Message.thread_id == cast.thread.id, Message.seq == 3)
    ).scalar_one()
    services.hide_message(cast.gardener, hidden, "Insulte")
    db.session.commit()
    login(client, cast.member)
    page = _page(client, f"/threads/{cast.thread.id}")
    marker = page.index('<li class="unread-marker" id="unread"')
    assert page.index('data-seq="3"') < marker < page.index('data-seq="4"')


def test_beyond_a_long_page_it_opens_on_unread_ones(client: Any, cast: Any) -> None:
    _fill(cast.thread, cast.gardener, 260)
    reading.mark_read(cast.member, cast.thread, 3)
    login(client, cast.member)
    page = _page(client, f"/threads/{cast.thread.id}")
    assert _seqs(page) == list(range(61, 261))  # at most 200: all of them unread
    assert page.index('id="unread"') < page.index('data-seq="61"')
    assert f"/threads/{cast.thread.id}?before=61" in page  # the earlier ones are a tap away


def test_everything_read_opens_by_the_latest_messages(client: Any, cast: Any) -> None:
    _fill(cast.thread, cast.gardener, 3)
    reading.mark_read(cast.member, cast.thread, 3)
    login(client, cast.member)
    page = _page(client, f"/threads/{cast.thread.id}")
    assert "unread-marker" not in page and "jump-unread" not in page
    # `#unread` (a link made while something was new) leads to the end of the thread.
    assert page.index('data-seq="3"') < page.index('<span id="unread"></span>')
    assert page.index('<span id="unread"></span>') < page.index('id="message-form"')
    assert _seqs(page) == [1, 2, 3]


DOORS = {
    "home": lambda cast: "/",
    "community page": lambda cast: f"/communities/{cast.community.slug}",
    "its topics": lambda cast: f"/communities/{cast.community.slug}/threads",
}


@pytest.mark.parametrize("door", DOORS)
def test_every_list_links_to_the_first_unread_message(client: Any, cast: Any, door: str) -> None:
    _fill(cast.thread, cast.gardener, 3)
    reading.mark_read(cast.member, cast.thread, 1)
    login(client, cast.member)
    url = DOORS[door](cast)
    page = _page(client, url)
    assert f'href="/threads/{cast.thread.id}#unread"' in page and "2 non lus" in page
    reading.mark_read(cast.member, cast.thread, 3)
    page = _page(client, url)
    assert f'href="/threads/{cast.thread.id}"' in page and "#unread" not in page


def test_a_reply_notification_opens_at_the_first_unread_message(cast: Any) -> None:
    question = services.post_message(cast.member, cast.thread, "Qui a la clé ?").message
    services.post_message(cast.gardener, cast.thread, "Moi.", reply_to=question.id)
    told = db.session.execute(
        select(Notification).where(Notification.member_id == cast.member.id)
    ).scalar_one()
    assert told.kind == "reply" and told.url == f"/threads/{cast.thread.id}#unread"


# --- what arrived live on a visible page is read ---------------------------------------------


def _unread(client: Any, url: str) -> list[str]:
    return re.findall(r"\d+ non lus?\b", _page(client, url))


def test_messages_read_live_are_read_on_every_page(client: Any, cast: Any, sio: Any) -> None:
    login(client, cast.member)
    client.get(f"/threads/{cast.thread.id}")
    reader = sio(cast.member)
    assert reader.emit("thread:join", {"thread_id": cast.thread.id}, callback=True)["ok"]
    writer = sio(cast.gardener)
    for n in range(2):
        body = {"thread_id": cast.thread.id, "body": f"En direct {n}", "client_id": f"c{n}"}
        assert writer.emit("message:send", body, callback=True)["ok"]
    pages = [
        "/",
        f"/communities/{cast.community.slug}",
        f"/communities/{cast.community.slug}/threads",
    ]
    assert [_unread(client, url) for url in pages] == [["2 non lus"]] * 3  # they agree
    ack = reader.emit("thread:read", {"thread_id": cast.thread.id, "seq": 2}, callback=True)
    assert ack == {"ok": True, "thread_id": cast.thread.id, "read_seq": 2}
    assert _read(cast.member, cast.thread) == 2
    assert [_unread(client, url) for url in pages] == [[], [], []]  # and agree again


def test_reading_never_goes_back_nor_past_the_last_message(cast: Any, sio: Any) -> None:
    _fill(cast.thread, cast.gardener, 5)
    db.session.commit()
    reader = sio(cast.member)
    read = lambda seq: reader.emit(  # noqa: E731
        "thread:read", {"thread_id": cast.thread.id, "seq": seq}, callback=True
    )
    assert read(4)["ok"] and _read(cast.member, cast.thread) == 4
    assert read(2)["ok"] and _read(cast.member, cast.thread) == 4
    assert read(99)["read_seq"] == 5 and _read(cast.member, cast.thread) == 5


def test_reading_follows_the_visibility_rule(app: Any, sio: Any) -> None:
    cast = build_cast("on_request")
    _fill(cast.thread, cast.gardener, 2)
    db.session.commit()
    for outsider in (cast.citizen, cast.pending):
        ack = sio(outsider).emit(
            "thread:read", {"thread_id": cast.thread.id, "seq": 2}, callback=True
        )
        assert ack["ok"] is False and ack["error"]["code"] == "not_found"
        assert _read(outsider, cast.thread) == 0
    member = sio(cast.member)
    unknown = member.emit(
        "thread:read", {"thread_id": cast.thread.id + 999, "seq": 1}, callback=True
    )
    assert unknown["error"]["code"] == "not_found"
    assert member.emit("thread:read", {"thread_id": cast.thread.id, "seq": 2}, callback=True)["ok"]


@pytest.mark.parametrize(
    "payload",
    [
        {"seq": 1},
        {"thread_id": 1},
        {"thread_id": 1, "seq": "3"},
        {"thread_id": 1, "seq": -1},
        {"thread_id": 1, "seq": True},
        {"thread_id": 1, "seq": None},
        {"thread_id": HUGE, "seq": 1},
        {"thread_id": 1, "seq": HUGE},
    ],
)
def test_bad_reading_input_gets_an_error_ack(cast: Any, sio: Any, payload: dict[str, Any]) -> None:
    ack = sio(cast.member).emit("thread:read", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"


def test_reading_is_rate_limited(app: Any, cast: Any, sio: Any, monkeypatch: Any) -> None:
    monkeypatch.setitem(app.config, "READ_RATE_LIMIT", "2 per minute")
    _fill(cast.thread, cast.gardener, 3)
    db.session.commit()
    reader = sio(cast.member)
    acks = [
        reader.emit("thread:read", {"thread_id": cast.thread.id, "seq": seq}, callback=True)
        for seq in (1, 2, 3)
    ]
    assert [ack["ok"] for ack in acks] == [True, True, False]
    assert acks[2]["error"]["code"] == "rate_limited" and _read(cast.member, cast.thread) == 2


def test_a_page_in_the_background_joins_without_reading(cast: Any, sio: Any) -> None:
    _fill(cast.thread, cast.gardener, 3)
    db.session.commit()
    reader = sio(cast.member)
    join = {"thread_id": cast.thread.id, "read": False}
    ack = reader.emit("thread:join", join, callback=True)
    assert [m["seq"] for m in ack["messages"]] == [1, 2, 3] and _read(cast.member, cast.thread) == 0
    bad = reader.emit("thread:join", {**join, "read": "non"}, callback=True)
    assert bad["ok"] is False and bad["error"]["code"] == "invalid"
    assert reader.emit("thread:join", {"thread_id": cast.thread.id}, callback=True)["ok"]
    assert _read(cast.member, cast.thread) == 3  # a visible page's join reads, as before


def test_every_list_that_counts_unread_links_through_thread_path() -> None:
    """A new list of threads with unread counts links the way these do (`thread_path`)."""
    from pathlib import Path

    counting = [
        path
        for path in Path("templates").rglob("*.html")
        if '"%(num)d unread"' in path.read_text(encoding="utf-8")
    ]
    assert len(counting) >= 3
    for path in counting:
        text = path.read_text(encoding="utf-8")
        assert "thread_path(" in text and "url_for('threads.show'" not in text, path


def test_no_empty_actions_menu_on_a_message_hidden_from_the_reader(client: Any, cast: Any) -> None:
    """Found walking: "Actions" on a hidden message opened onto nothing for a member who is
    neither its author nor a moderator. Her menu is there on the others; the author's, with
    "Contester", on her own."""
    from tests.html_parts import element

    _fill(cast.thread, cast.gardener, 2)
    first, second = db.session.execute(
        select(Message).where(Message.thread_id == cast.thread.id).order_by(Message.seq)
    ).scalars()
    services.hide_message(cast.technician, first, "Insulte")
    db.session.commit()
    login(client, cast.member)
    page = _page(client, f"/threads/{cast.thread.id}")
    assert "message-menu" not in element(page, f'id="message-{first.id}"')
    shown = element(page, f'id="message-{second.id}"')
    assert "message-menu" in shown and "Répondre" in shown and "Signaler" in shown
    login(client, cast.gardener)
    own = element(_page(client, f"/threads/{cast.thread.id}"), f'id="message-{first.id}"')
    assert "message-menu" in own and "Contester" in own


def test_news_read_in_the_thread_leaves_the_bell(client: Any, cast: Any) -> None:
    """Found walking: a mention followed from the bell opened the thread at the message, and
    the bell still said "1 notification non lue". What the thread showed her is read; news
    about a message further on is not."""
    from community.notifications.services import unread_count

    name = cast.member.display_name
    first = services.post_message(cast.gardener, cast.thread, f"Merci @{name} !", "n1").message
    db.session.commit()
    assert unread_count(cast.member) == 1
    login(client, cast.member)
    _page(client, f"/threads/{cast.thread.id}")
    assert unread_count(cast.member) == 0
    services.post_message(cast.gardener, cast.thread, f"Et encore @{name}", "n2")
    db.session.commit()
    reading.mark_read(cast.member, cast.thread, first.seq)  # not as far as the new one
    assert unread_count(cast.member) == 1
