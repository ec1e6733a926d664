"""The e-mails of the account flows, in the member's language."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from community.auth.services import make_confirm_token, make_reset_token
from community.core.mail import send_mail
from community.members.models import Member


def deliver(send: Callable[[Member], None], member: Member) -> None:
    """Send one of these mails, logging (not raising) when the mail server is unreachable: the
    account change it follows is stored, and the member can ask for the mail again."""
    try:
        send(member)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("could not send mail to member %s", member.id)


def _external(endpoint: str, **values: Any) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + url_for(endpoint, **values)


def send_confirmation(member: Member) -> None:
    link = _external("auth.confirm", token=make_confirm_token(member))
    with force_locale(member.locale):
        context = {"member": member, "link": link}
        send_mail(
            member.email,
            _("Welcome to Terreau: confirm your e-mail"),
            render_template("auth/mail/confirm.txt", **context),
            render_template("auth/mail/confirm.html", **context),
        )


def send_already_registered(member: Member) -> None:
    """Someone signed up with an address that has an account: tell its owner, not them."""
    context = {
        "member": member,
        "login": _external("auth.login"),
        "forgot": _external("auth.forgot"),
    }
    with force_locale(member.locale):
        send_mail(
            member.email,
            _("You already have a Terreau account"),
            render_template("auth/mail/already_registered.txt", **context),
            render_template("auth/mail/already_registered.html", **context),
        )


def send_reset(member: Member) -> None:
    link = _external("auth.reset", token=make_reset_token(member))
    with force_locale(member.locale):
        context = {"member": member, "link": link}
        send_mail(
            member.email,
            _("Choose a new Terreau password"),
            render_template("auth/mail/reset.txt", **context),
            render_template("auth/mail/reset.html", **context),
        )
