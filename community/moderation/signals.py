"""What the moderation domain announces (`community.core.signals`)."""

from __future__ import annotations

from community.core.signals import namespace

signals = namespace("moderation")

member_suspended = signals.signal(
    "member_suspended",
    doc="""A member was suspended from a community or from the platform (flushed, the journal
    written).

    Sender: the `Member`. Keyword arguments: `community` (the `Community`, or None for the
    platform), `until` (a datetime, or None for no end), `actor`. Sent by
    `moderation.suspensions.suspend_from_community` and `suspend_from_platform`. Receivers:
    their live sockets are closed once it commits (`moderation/receivers.py`): on
    reconnecting they may read but not post.
    """,
)
