"""The e-mails of the account flows, in the member's language.

Each function builds the message; `queue` sends it once the transaction commits, in the
background (`core.mail.send_in_background`), so that no answer waits for the mail server —
and none answers faster because there was nothing to send.
"""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from community.auth.invitations import invitation_of
from community.auth.passwords import dummy_hash
from community.auth.services import make_confirm_token, make_reset_token
from community.core.mail import build_message, send_after_commit
from community.core.urls import external
from community.members.models import Member


def queue(message: EmailMessage | None) -> None:
    """Send `message` after commit, in the background; None is a mail that is not sent (the
    same work is done for it, so that timing tells nothing). A mail server that does not
    answer is logged, not raised: the account change it follows is stored, and the member can
    ask for the mail again."""
    send_after_commit(message)


def deliver(build: Callable[[Member], EmailMessage], member: Member) -> None:
    """Build one of these mails for `member` now and send it after commit, in the background."""
    queue(build(member))


def confirmation_message(member: Member) -> EmailMessage:
    """The link that confirms a new account; a newcomer invited by a link reads who invited
    her, and to what (`auth.invitations`), first in the subject."""
    link = external("auth.confirm", token=make_confirm_token(member))
    invited = invitation_of(member)
    with force_locale(member.locale):
        context = {"member": member, "link": link, "invited": invited}
        subject = (
            _("Join “%(name)s”: confirm your e-mail", name=invited.community)
            if invited is not None and invited.community is not None
            else _("Welcome to Terreau: confirm your e-mail")
        )
        return build_message(
            member.email,
            subject,
            render_template("auth/mail/confirm.txt", **context),
            render_template("auth/mail/confirm.html", **context),
        )


def already_registered_message(member: Member) -> EmailMessage:
    """Someone signed up with an address that has an account: tell its owner, not them."""
    context = {
        "member": member,
        "login": external("auth.login"),
        "forgot": external("auth.forgot"),
    }
    with force_locale(member.locale):
        return build_message(
            member.email,
            _("You already have a Terreau account"),
            render_template("auth/mail/already_registered.txt", **context),
            render_template("auth/mail/already_registered.html", **context),
        )


def reset_message(member: Member | None, typed_email: str) -> EmailMessage | None:
    """The reset mail for `member`; for an unknown address the same mail is rendered for a
    stand-in account and None returned (nothing is sent to an address without an account)."""
    target = member or Member(
        id=0, email=typed_email[:254], display_name="", password_hash=dummy_hash(),
        session_nonce="0", locale="fr",
    )  # fmt: skip
    link = external("auth.reset", token=make_reset_token(target))
    with force_locale(target.locale):
        context = {"member": target, "link": link}
        message = build_message(
            target.email,
            _("Choose a new Terreau password"),
            render_template("auth/mail/reset.txt", **context),
            render_template("auth/mail/reset.html", **context),
        )
    return message if member is not None else None
