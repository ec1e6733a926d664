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
