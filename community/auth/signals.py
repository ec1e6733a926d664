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
    rotated; every logout rotates it now, `everywhere` also revokes API tokens). Sent by
    `auth.services.log_out`, with `credentials_ended`, whose receiver closes the sockets.
    """,
)

email_confirmed = signals.signal(
    "email_confirmed",
    doc="""A member's e-mail address has just been confirmed (by the sign-up link, or by a
    password reset link, which proves it too). Sent once per account, after the flush, inside
    the confirming transaction.

    Sender: the `Member`. The ambassadors domain answers it: a newcomer who signed up through
    an invitation link joins the community of that link, and the ambassador whose link it
    was is told.
    """,
)

credentials_ended = signals.signal(
    "credentials-ended",
    doc="""Some credentials of a member stopped being valid (logout, logout everywhere, a
    password reset, a revoked token), inside the transaction that ended them.

    Sender: the `Member`. Keyword arguments: ``session_nonce`` — the session nonce that no
    longer opens anything (every browser session and remember cookie made with it), or None
    when sessions go on; ``token_hashes`` — the SHA-256 hashes of the API tokens revoked.
    Receivers close what was opened with them (live sockets) with `on_commit`.
    """,
)
