"""What the initiatives domain announces (`community.core.signals`)."""

from __future__ import annotations

from community.core.signals import namespace

signals = namespace("initiatives")

initiative_status_changed = signals.signal(
    "initiative_status_changed",
    doc="""An initiative moved to a new status (flushed, with its public answer if any).

    Sender: the `StatusChange` (its `initiative`, `to_status`, `answer`). Keyword argument:
    `actor` (the `Member` who changed it). Sent by `initiatives.lifecycle.change_status`.
    Receivers: its author, supporters and volunteers are told (`initiatives/receivers.py`).
    """,
)

initiative_hidden = signals.signal(
    "initiative_hidden",
    doc="""A moderator hid an initiative (flushed, the journal written, its author told).

    Sender: the `Initiative`. Keyword arguments: `actor` (the moderator), `reason` (str),
    `paths` (the site paths where it was named: its page and its discussion). Sent by
    `initiatives.services.hide_initiative`, whichever door it came through (its page, a
    report answered). Receivers: the notifications domain takes its title out of the stored
    notifications that link there (`notifications/receivers.py`).
    """,
)

initiative_restored = signals.signal(
    "initiative_restored",
    doc="""A moderator showed a hidden initiative again (flushed, the journal written).

    Sender: the `Initiative`. Keyword arguments: `actor`, `reason`. Sent by
    `initiatives.services.restore_initiative`. The notices made neutral when it was hidden
    stay so.
    """,
)
