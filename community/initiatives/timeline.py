"""The initiative's timeline: its creation, the authority's answers and its story, by date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from community.initiatives.models import Initiative


@dataclass
class Event:
    kind: str  # "created", "status" or "update"
    at: datetime
    item: Any


def timeline(initiative: Initiative) -> list[Event]:
    """Every event of the initiative, oldest first."""
    events = [Event("created", initiative.created_at, initiative)]
    events += [Event("status", c.created_at, c) for c in initiative.status_changes]
    events += [Event("update", u.created_at, u) for u in initiative.updates]
    order = {"created": 0, "status": 1, "update": 2}
    return sorted(events, key=lambda e: (e.at, order[e.kind], getattr(e.item, "id", 0)))
