"""The rencontres' HTML blueprint `bp`, and how its pages load the rencontre they show.

Four modules of routes fill it: `views.py` (the list, a rencontre, registering),
`planning_views.py`, `attendance_views.py` and `calendar_views.py`. `views`, which the factory
registers, imports the other three, so that the blueprint is whole when it is registered.
"""

from __future__ import annotations

from flask import Blueprint, abort

from community.core.permissions import current_member
from community.events import permissions
from community.events.models import Event
from community.extensions import db

bp = Blueprint("events", __name__)


def readable_event(event_id: int) -> Event:
    """The rencontre `event_id` if she may read it; otherwise 404, as one that does not exist."""
    event = db.session.get(Event, event_id)
    if event is None or not permissions.can_read_event(current_member(), event):
        abort(404)
    return event
