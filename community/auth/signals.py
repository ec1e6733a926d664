"""What the auth domain announces."""

from __future__ import annotations

from community.core.signals import namespace

signals = namespace("auth")

email_confirmed = signals.signal(
    "email_confirmed",
    doc="""A member's e-mail address has just been confirmed (by the sign-up link, or by a
    password reset link, which proves it too). Sent once per account, after the flush, inside
    the confirming transaction.

    Sender: the `Member`. The ambassadors domain answers it: a newcomer who signed up through
    an invitation link joins the community of that link.
    """,
)
