"""A notification stores what its link leads to (`target_type`, `target_id`: an initiative's
page, a discussion), indexed: forgetting what a hidden initiative named finds them by that
index instead of scanning every link with LIKE."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from community.core.models import utcnow
from community.core.urls import site_path
from community.extensions import db
from community.notifications import services
from community.notifications.models import Notification
from tests.factories import make_member
from tests.notifications.test_hidden_initiative_migration import _member


@pytest.fixture(autouse=True)
def _request(app: Flask) -> Any:
    with app.test_request_context():
        yield


@pytest.mark.parametrize(
    ("link", "target"),
    [
        (lambda: site_path("initiatives.show", initiative_id=12), ("initiative", 12)),
        (
            lambda: site_path("initiatives.show", initiative_id=12, _anchor="answer"),
            ("initiative", 12),
        ),
        (lambda: "/initiatives/12?tab=news", ("initiative", 12)),
        (lambda: "/initiatives/12/updates", ("initiative", 12)),
        (lambda: site_path("threads.show", thread_id=7, _anchor="unread"), ("thread", 7)),
        (lambda: "/initiatives/123", ("initiative", 123)),
        (lambda: "/initiatives/12abc", None),
        (lambda: "/initiatives/new", None),
        (lambda: "/moderation/contest/initiative/12", None),
        (lambda: "/communities/jardin", None),
        (lambda: "", None),
    ],
)
def test_a_notification_stores_where_its_link_leads(link: Any, target: Any) -> None:
    member = make_member()
    stored = services.notify(member, "reply", "Bonjour", link())
    assert stored is not None
    found = (stored.target_type, stored.target_id) if stored.target_type else None
    assert found == target


def test_forgetting_finds_them_by_their_target() -> None:
    lea = make_member()
    kept = [
        services.notify(lea, "reply", "Sur l'initiative 120", "/initiatives/120"),
        services.notify(lea, "reply", "Sur le fil 12", "/threads/12"),
        services.notify(lea, "reply", "Ailleurs", "/communities/jardin"),
    ]
    named = [
        services.notify(lea, "reply", "Sur l'initiative 12", "/initiatives/12#answer"),
        services.notify(lea, "reply", "Dans son fil", "/threads/7#unread"),
    ]
    assert services.forget_what_was_named(["/initiatives/12", "/threads/7"], "Oublié") == 2
    assert [n.text for n in named if n is not None] == ["Oublié", "Oublié"]
    assert [n.text for n in kept if n is not None] == [
        "Sur l'initiative 120",
        "Sur le fil 12",
        "Ailleurs",
    ]


def test_forgetting_reads_an_index_not_every_row() -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan is SQLite's")
    stmt = services.naming(["/initiatives/12", "/threads/7"])
    compiled = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    plan = " | ".join(row[-1] for row in db.session.execute(text("EXPLAIN QUERY PLAN " + compiled)))
    assert "ix_notifications_target" in plan, plan
    assert "SCAN notifications" not in plan, plan


def test_a_path_that_names_nothing_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        services.naming(["/communities/jardin"])


def test_migration_0023_fills_the_targets_of_stored_notifications(tmp_path, other_app) -> None:  # type: ignore[no-untyped-def]
    app = other_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.sqlite3'}")
    links = {
        "/initiatives/12": ("initiative", 12),
        "/initiatives/12#answer": ("initiative", 12),
        "/initiatives/12/updates": ("initiative", 12),
        "/threads/7#unread": ("thread", 7),
        "/initiatives/12abc": (None, None),
        "/moderation/contest/initiative/12": (None, None),
        "": (None, None),
    }
    with app.app_context():
        upgrade(revision="0022")
        with Session(db.engine) as session:
            member = _member(session, "lea", "fr")
            for url in links:  # the table as it stood at 0022
                session.execute(
                    text(
                        "INSERT INTO notifications (member_id, kind, text, url, created_at)"
                        " VALUES (:member, 'reply', 'Bonjour', :url, :at)"
                    ),
                    {"member": member.id, "url": url, "at": utcnow()},
                )
            session.commit()
        upgrade(revision="0023")
        with Session(db.engine) as session:
            rows = session.execute(
                select(Notification.url, Notification.target_type, Notification.target_id)
            ).all()
        db.engine.dispose()
    assert {url: (kind, id_) for url, kind, id_ in rows} == links


def test_a_path_whose_id_no_integer_column_holds_has_no_target() -> None:
    """Only ASCII digits, as many as an INTEGER holds: anything else leads to no stored
    target (PostgreSQL would refuse the row, failing the act that notified)."""
    from community.notifications.services import target_of

    assert target_of("/threads/123456789#unread") == ("thread", 123456789)
    assert target_of("/threads/99999999999999999999") is None
    assert target_of("/initiatives/١٢") is None  # Arabic-Indic digits
