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
