"""The seams every domain builds on: on_commit, signals, the notification port, the export."""

from __future__ import annotations

import pytest

from community.core import notify as notify_port
from community.core.signals import all_signals, on_commit, on_rollback
from community.extensions import db
from community.members import signals as member_signals
from community.members.export import export_data
from community.notifications.models import Notification
from tests.factories import make_member


def test_on_commit_runs_after_commit_and_not_on_rollback(app):
    ran: list[str] = []
    on_commit(lambda: ran.append("committed"))
    on_rollback(lambda: ran.append("undone"))
    assert ran == []
    db.session.commit()
    assert ran == ["committed"]
    make_member()  # effects are queued inside a transaction, after a service flushed
    on_commit(lambda: ran.append("never"))
    on_rollback(lambda: ran.append("undone"))
    db.session.rollback()
    assert ran == ["committed", "undone"]


def test_a_failing_effect_does_not_stop_the_next(app):
    ran: list[str] = []

    def broken() -> None:
        raise OSError("mail server down")

    on_commit(broken)
    on_commit(lambda: ran.append("next"))
    db.session.commit()
    assert ran == ["next"]


def test_signals_are_declared_with_a_docstring(app):
    declared = all_signals()
    assert "members.exporting" in declared
    for name, sig in declared.items():
        assert sig.__doc__ and len(sig.__doc__.strip()) > 20, name


def test_the_notification_port_reaches_the_notifications_domain(app):
    member = make_member()
    notify_port.register_kind("test_port", "a test kind")
    notify_port.notify(member, "test_port", "Bonjour", "/me")
    stored = db.session.query(Notification).filter_by(member_id=member.id).one()
    assert (stored.kind, stored.text, stored.url) == ("test_port", "Bonjour", "/me")
    with pytest.raises(ValueError):
        notify_port.notify(member, "no_such_kind", "x", "/")


def test_a_domain_adds_its_export_section_through_the_signal(app):
    member = make_member()

    def answer(sender, **_):
        return {"test_section": [{"who": sender.id}]}

    member_signals.exporting.connect(answer)
    try:
        data = export_data(member)
    finally:
        member_signals.exporting.disconnect(answer)
    assert data["test_section"] == [{"who": member.id}]
    assert data["account"]["id"] == member.id
