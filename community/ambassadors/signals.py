"""What the ambassadors domain announces (`community.core.signals`)."""

from __future__ import annotations

from community.core.signals import namespace

signals = namespace("ambassadors")

ambassador_named = signals.signal(
    "ambassador_named",
    doc="""A member was asked to become an ambassador (flushed, status `proposed`).

    Sender: the `Ambassador`. Keyword argument: `actor` (the staff member or gardener who
    named them). Sent by `ambassadors.services.name_ambassador`.
    """,
)

invitation_used = signals.signal(
    "invitation_used",
    doc="""Someone signed up through an ambassador's invitation link (flushed).

    Sender: the `InvitationUse`. Sent by `ambassadors.invitations.record_invitation`. The
    e-mail is not confirmed yet: the ambassador is told on `auth.email_confirmed` instead.
    """,
)
