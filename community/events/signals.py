"""What the events domain announces (receivers tell the people concerned)."""

from __future__ import annotations

from community.core.signals import namespace

signals = namespace("events")

event_created = signals.signal(
    "event_created",
    doc="""A rencontre was planned. Sender: the `Event`. Keyword: `actor` (the `Member`).""",
)

event_cancelled = signals.signal(
    "event_cancelled",
    doc="""A rencontre was cancelled (after flush). Sender: the `Event`. Keywords: `actor`,
    `reason` (text), `registrations` (those who held a place or waited, before the change, and
    may still read it).""",
)

event_moved = signals.signal(
    "event_moved",
    doc="""A rencontre's date, time or place changed (after flush). Sender: the `Event`.
    Keywords: `actor`, `registrations` (those who hold a place or wait, and may read it).""",
)

registered = signals.signal(
    "registered",
    doc="""Someone took a place or joined the waiting list. Sender: the `Registration`
    (status `going` or `waitlisted`; a guest's once confirmed).""",
)

unregistered = signals.signal(
    "unregistered",
    doc="""A registration was cancelled by its holder. Sender: the `Registration`.""",
)

withdrawn = signals.signal(
    "withdrawn",
    doc="""A place or a wait was cancelled because its holder may no longer read the rencontre
    (they left its on-request community, were refused, stopped being its gardener, or the
    community turned on-request), or because they were banned from its community. Sender:
    the `Registration`, now `cancelled`; keyword `banned` (True for a ban). Sent by
    `registrations.withdraw_places`, receiver of `communities.access_narrowed` and of
    `moderation.member_suspended` (a ban from the community).""",
)

promoted = signals.signal(
    "promoted",
    doc="""A waitlisted person got a place (same transaction as the cancellation or the larger
    capacity that freed it). Sender: the `Registration`, now `going`.""",
)

guest_requested = signals.signal(
    "guest_requested",
    doc="""A guest asked for a place and must confirm by the link. Sender: the pending
    `Registration`. Keyword: `token` (the single-use confirmation token).""",
)

checked_in = signals.signal(
    "checked_in",
    doc="""A person was marked present. Sender: the `Registration`. Keyword: `actor`.""",
)

reminder_due = signals.signal(
    "reminder_due",
    doc="""The day before: remind one registration (sent once; `reminded_at` is set).
    Sender: the `Registration`.""",
)

report_published = signals.signal(
    "report_published",
    doc="""The compte rendu was written. Sender: the `Event`. Keywords: `actor`, `attendees`
    (the members' `Registration`s that were checked in).""",
)
