"""Demo notifications: the other domains' demo data already notified people through the real
triggers; here, the overdue initiatives are signalled, part of the news is read, and a few
members chose other e-mail rhythms."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from community.core.models import utcnow
from community.extensions import db
from community.notifications import services
from community.notifications.models import Notification
from community.notifications.triggers import notify_overdue


def seed(ctx: Any) -> None:
    members = ctx.members
    notify_overdue()
    now = utcnow()
    rows = list(db.session.execute(select(Notification).order_by(Notification.id)).scalars())
    for index, notification in enumerate(rows):
        # Spread over the last weeks, oldest first; two thirds already read.
        notification.created_at = now - timedelta(hours=(len(rows) - index) * 3)
        if index % 3 != 2 and index < len(rows) - 6:
            notification.read_at = notification.created_at + timedelta(hours=1)
    services.set_email_frequency(members["agent"], "weekly")
    services.set_email_frequency(members["porte-voix"], "immediate")
    services.set_email_frequency(members["crowd1"], "none")
    db.session.flush()
