"""What no single act announces: the initiatives past their answer deadline (`flask
notify-overdue`, run by cron).

Acts that a member should hear about are told by the domain that owns them, from its own
`receivers.py` listening to its own signals, through `community.core.notify`; this is the one
periodic job of the notifications domain, which may read the other domains.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community.communities.gardening import gardeners_of
from community.communities.permissions import gardens_any
from community.core.models import utcnow
from community.core.notify import register_kind
from community.core.urls import site_path
from community.extensions import db
from community.initiatives.answers import answer_delay
from community.initiatives.models import Initiative
from community.notifications.models import Notification
from community.notifications.services import notify

register_kind("overdue", _l("Initiatives awaiting an answer"), audience=gardens_any)


def notify_overdue(now: datetime | None = None) -> int:
    """Tell each gardener about the initiatives of their communities past their answer
    deadline, once per initiative and gardener (running it again tells nobody twice)."""
    now = now or utcnow()
    overdue = select(Initiative).where(
        Initiative.awaiting_answer,  # the one rule: a hidden initiative waits for no answer
        Initiative.awaiting_since <= now - answer_delay(),
        Initiative.community_id.is_not(None),
    )
    count = 0
    for initiative in db.session.execute(overdue).scalars():
        url = site_path("initiatives.show", initiative_id=initiative.id)
        assert initiative.community_id is not None  # the overdue query asks for one
        gardeners = db.session.execute(gardeners_of(initiative.community_id)).scalars()
        for gardener in gardeners:
            told = db.session.execute(
                select(Notification.id).where(
                    Notification.member_id == gardener.id,
                    Notification.kind == "overdue",
                    Notification.url == url,
                )
            ).first()
            if told is None:
                text = _l("“%(title)s” awaits an answer past its deadline.", title=initiative.title)
                notify(gardener, "overdue", text, url)
                count += 1
    return count
