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


signals = namespace("moderation")

report_filed = signals.signal(
    "report_filed",
    doc="""A member filed a report, or the author of hidden content contested it
    (`services.report`, `services.contest`, after the flush).

    Sender: the open `Report` (`appeal` is true for a contest; its `community` is None then, so
    that staff, not the gardeners who hid it, answer). The community's gardeners are told.
    """,
)

report_resolved = signals.signal(
    "report_resolved",
    doc="""A moderator answered a report (`services.resolve`, once per report it closes).

    Sender: the resolved `Report` (`resolution` says what was done). Keyword argument:
    `actor` (the moderator). Its reporter is told the outcome.
    """,
)
