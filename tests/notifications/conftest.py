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


@pytest.fixture
def vapid(app):  # type: ignore[no-untyped-def]
    """Push on, with a fresh VAPID key and the tests' loopback push service allowed."""
    from community.notifications import push_keys, push_sending

    saved = {k: app.config[k] for k in ("VAPID_PRIVATE_KEY", "PUSH_ENABLED", "PUSH_ALLOWED_HOSTS")}
    key = push_keys.generate_private_key()
    app.config.update(
        VAPID_PRIVATE_KEY=key,
        PUSH_ENABLED=True,
        PUSH_ALLOWED_HOSTS=[*saved["PUSH_ALLOWED_HOSTS"], "127.0.0.1"],
    )
    yield key
    assert push_sending.dispatcher(app).wait_idle(10), "pushes still pending after the test"
    app.config.update(saved)


@pytest.fixture
def push_service(app, vapid):  # type: ignore[no-untyped-def]
    """A real push service on 127.0.0.1 that checks VAPID and decrypts what it receives."""
    from community.notifications import push_keys, push_sending
    from tests.notifications.push_server import start_push_service

    server, service = start_push_service(push_keys.public_key(app))
    yield service
    service.gate.set()
    assert push_sending.dispatcher(app).wait_idle(10)
    server.shutdown()
    server.server_close()
