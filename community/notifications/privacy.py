"""The notifications domain's part of a member's personal data: notification preferences and
notifications."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from community.core.privacy import export_rows
from community.members.models import Member
from community.members.signals import exporting
from community.notifications.models import Notification, NotificationPreference


@exporting.connect
def export_sections(member: Member) -> dict[str, Any]:
    """This domain's sections of `member`'s data export (one query per section)."""
    me = member.id
    preferences = export_rows(
        select(NotificationPreference.email_frequency, NotificationPreference.last_digest_at).where(
            NotificationPreference.member_id == me
        )
    )
    return {
        "notification_preferences": preferences[0] if preferences else None,
        "notifications": export_rows(
            select(
                Notification.kind,
                Notification.text,
                Notification.url,
                Notification.created_at,
                Notification.read_at,
            )
            .where(Notification.member_id == me)
            .order_by(Notification.id)
        ),
    }
