"""What the auth domain announces (`community.core.signals`)."""

from __future__ import annotations

from community.core.signals import namespace

signals = namespace("auth")

member_signed_up = signals.signal(
    "member_signed_up",
    doc="""A visitor created an account (flushed; the e-mail is not confirmed yet).

    Sender: the new `Member`. Keyword argument: `invitation` (the invitation token of the link
    they came through, or None). Sent by `auth.services.sign_up`. Receivers: the ambassadors
    domain counts the invitation (`ambassadors/receivers.py`).
    """,
)

member_logged_out = signals.signal(
    "member_logged_out",
    doc="""A member logged out, on this device or everywhere (before the commit).

    Sender: the `Member`. Keyword argument: `everywhere` (bool: the session nonce was
    rotated). Sent by `auth.services.log_out`. Receivers: their live sockets are closed once
    it commits (`auth/receivers.py`).
    """,
)

email_confirmed = signals.signal(
    "email_confirmed",
    doc="""A member's e-mail address has just been confirmed (by the sign-up link, or by a
    password reset link, which proves it too). Sent once per account, after the flush, inside
    the confirming transaction.

    Sender: the `Member`. The ambassadors domain answers it: a newcomer who signed up through
    an invitation link joins the community of that link.
    """,
)
