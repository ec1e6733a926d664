"""What the members domain announces. Other domains answer for their own rows."""

from __future__ import annotations

from community.core.signals import namespace

signals = namespace("members")

exporting = signals.signal(
    "exporting",
    doc="""A member asked for their data (`GET /me/export`).

    Sender: the `Member`. Each domain that holds rows about the member connects a receiver (in
    its `privacy.py`) that returns a dict of sections, ``{"section": [row, ...]}``, each row
    JSON-ready (dates as ISO strings). Section names are unique across domains; a receiver
    leaves out what would expose someone else (who reported them, other members' e-mails).
    """,
)

erasure_blocked = signals.signal(
    "erasure_blocked",
    doc="""Is anything in the way of erasing this member's account right now?

    Sender: the `Member`. Keyword argument: `lock` (bool: True inside the erasure itself, where
    a receiver locks the rows its answer rests on). A receiver returns a refusal in plain words
    (a gardener must hand over first, a suspension must end) or None; the first refusal, in
    the order of `DOMAINS`, is shown. Asked by `members.erasure.erasure_refusal`.
    """,
)

erasing = signals.signal(
    "erasing",
    doc="""A member's account is about to be deleted (inside the erasure's transaction).

    Sender: the `Member`. A receiver does what the foreign keys' `ondelete` rules cannot (reopen
    what the member was doing for others, close what has nothing left to act on, remember what
    must be recounted) and may defer work with `on_commit`. It must not refuse: refusals are
    asked before, through `erasure_blocked`. Receivers run in the order of `DOMAINS`.
    """,
)

erased = signals.signal(
    "erased",
    doc="""A member's account row was deleted (same transaction, after the delete).

    Sender: the member's former id (an `int`). Receivers recount what the delete changed (the
    support counts of initiatives) and close live sockets with `on_commit`.
    """,
)
