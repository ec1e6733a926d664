"""The "à faire" inbox puts what is late first, then what is due soonest."""

from __future__ import annotations

from datetime import timedelta

from community.core import todo
from community.core.models import utcnow
from community.core.todo import TodoItem


def test_late_first_then_the_soonest_due_then_the_oldest_without_date(monkeypatch):
    now = utcnow()
    found = [
        TodoItem("initiative", "Initiative", "due in January", "/a", now - timedelta(days=90),
                 due_at=now + timedelta(days=40)),
        TodoItem("report", "Signalement", "due in two days", "/b", now - timedelta(hours=1),
                 due_at=now + timedelta(days=2)),
        TodoItem("gardener", "Jardinier", "no date", "/c", now - timedelta(days=200)),
        TodoItem("report", "Signalement", "late by a day", "/d", now - timedelta(days=3),
                 due_at=now - timedelta(days=1)),
        TodoItem("initiative", "Initiative", "late by a week", "/e", now - timedelta(days=60),
                 due_at=now - timedelta(days=7)),
    ]  # fmt: skip
    monkeypatch.setattr(todo.collecting, "send", lambda member: [(None, found)])
    titles = [item.title for item in todo.items_for(object(), now=now)]
    assert titles == [
        "late by a week", "late by a day", "due in two days", "due in January", "no date",
    ]  # fmt: skip


def test_the_inbox_links_ask_to_come_back_to_it(app):
    """Each link of the inbox carries `next=/todo`, before its #fragment and in place of any
    `next` it had; a page acted on goes back there with `back_or`, never to another site."""
    from community.core.urls import back_or, with_next

    assert with_next("/moderation/reports/3", "/todo") == "/moderation/reports/3?next=%2Ftodo"
    assert (
        with_next("/communities/dashboard?x=1&next=/a#request-4", "/todo")
        == "/communities/dashboard?x=1&next=%2Ftodo#request-4"
    )
    with app.test_request_context("/moderation/reports/3?next=/todo"):
        assert back_or("moderation.queue") == "/todo"
    for hostile in ("//evil.example", "https://evil.example/todo", "/\\evil.example", ""):
        with app.test_request_context("/moderation/reports/3", query_string={"next": hostile}):
            assert back_or("moderation.queue") == "/moderation"
