"""One "à faire" inbox for gardeners and staff: each domain says what waits for an answer.

The core imports no domain: a domain connects a receiver to `collecting` (usually in its
`receivers.py`) that returns a list of `TodoItem` the member may act on (reports to answer,
join requests, initiatives awaiting the authority's answer…). `items_for` gathers them, overdue
first, then the oldest; `count_for` feeds the badge in the header.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from community.core.models import utcnow
from community.core.signals import namespace

signals = namespace("core")

collecting = signals.signal(
    "todo_collecting",
    doc="""Someone opens the "à faire" inbox (or a page shows its badge).

    Sender: the `Member` asking. Each domain's receiver returns a list of `TodoItem` this
    member may act on now (an empty list when none), authorised with the domain's own
    predicates. It must not write.
    """,
)


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting for an answer: what (`kind`, a lazy label), which, where to act."""

    kind: str  # "report", "membership", "initiative", "gardener"…
    label: Any  # the kind, in words (lazy string)
    title: str
    url: str
    since: datetime
    due_at: datetime | None = None
    community: str = ""

    def overdue(self, now: datetime) -> bool:
        return self.due_at is not None and self.due_at <= now


def items_for(member: Any, now: datetime | None = None) -> list[TodoItem]:
    """What waits for `member`: overdue first (the most overdue first), then by due date (the
    soonest first), then what has no due date, the oldest first."""
    if member is None:
        return []
    now = now or utcnow()
    items = [item for _receiver, found in collecting.send(member) for item in (found or [])]
    return sorted(
        items,
        key=lambda i: (not i.overdue(now), i.due_at is None, i.due_at or i.since, i.since),
    )


def count_for(member: Any) -> int:
    """How many things wait for `member` (the header badge)."""
    return len(items_for(member))
