"""Factories for rencontres and registrations (rows straight through the models: a rencontre
may be put in the past, which the service refuses)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from community.core.models import utcnow
from community.events.models import Event, Registration
from community.extensions import db


def make_event(community: Any, creator: Any = None, **fields: Any) -> Event:
    starts = fields.pop("starts_at", utcnow() + timedelta(days=fields.pop("days", 3)))
    event = Event(
        community_id=community.id,
        created_by_id=creator.id if creator is not None else None,
        title=fields.pop("title", "Atelier compost"),
        description=fields.pop("description", ""),
        description_html="",
        starts_at=starts,
        ends_at=fields.pop("ends_at", starts + timedelta(hours=2)),
        place=fields.pop("place", "Square des Tilleuls"),
        status=fields.pop("status", "scheduled"),
        **fields,
    )
    db.session.add(event)
    db.session.flush()
    db.session.refresh(event)
    return event


def make_registration(event: Event, member: Any = None, **fields: Any) -> Registration:
    registration = Registration(
        event_id=event.id,
        member_id=member.id if member is not None else None,
        status=fields.pop("status", "going"),
        created_at=utcnow(),
        queued_at=fields.pop("queued_at", utcnow()),
        **fields,
    )
    db.session.add(registration)
    db.session.flush()
    from community.events.places import _recount

    _recount(event)
    db.session.flush()
    return registration
