"""What the initiatives domain announces (`community.core.signals`)."""

from __future__ import annotations

from community.core.signals import namespace

signals = namespace("initiatives")

initiative_status_changed = signals.signal(
    "initiative_status_changed",
    doc="""An initiative moved to a new status (flushed, with its public answer if any).

    Sender: the `StatusChange` (its `initiative`, `to_status`, `answer`). Keyword argument:
    `actor` (the `Member` who changed it). Sent by `initiatives.services.change_status`.
    Receivers: its author, supporters and volunteers are told (`initiatives/receivers.py`).
    """,
)
