from __future__ import annotations

from typing import Any

import pytest

from community.extensions import db
from community.notifications.models import NotificationPreference


@pytest.fixture
def prefer():  # type: ignore[no-untyped-def]
    """`prefer(member, "immediate")`: set a member's e-mail frequency."""

    def set_(member: Any, frequency: str, **fields: Any) -> NotificationPreference:
        preference = NotificationPreference(
            member_id=member.id, email_frequency=frequency, **fields
        )
        db.session.merge(preference)
        db.session.flush()
        return db.session.get(NotificationPreference, member.id)

    return set_


@pytest.fixture(autouse=True)
def _socketio_bound_to_app(app):  # type: ignore[no-untyped-def]
    """Point the `socketio` singleton back at the suite's app server.

    Another `create_app()` in the process (the migration tests build one) rebinds the
    extension to a new server; the suite's app still serves sockets with its own, so rooms
    joined and events emitted must go through that one.
    """
    from community.extensions import socketio

    middleware = app.wsgi_app
    server = getattr(middleware, "engineio_app", None)
    previous = socketio.server
    if server is not None:
        socketio.server = server
    yield
    socketio.server = previous
