"""The e-mails of notifications: one at a time (immediate) or gathered in a digest.

Mails are built while the transaction is open (templates and links need the database) and
leave only after it commits: a rolled-back change never mails anyone.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from email.message import EmailMessage
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from community.core.mail import build_message, send, send_after_commit
from community.core.urls import external
from community.members.models import Member
from community.notifications.models import KINDS, Notification

UNSUBSCRIBE_SALT = "notifications-unsubscribe"

# Headings of a digest, one group per kind, in this order.
KIND_LABELS = {
    "reply": _l("Replies to you"),
    "mention": _l("Mentions of you"),
    "initiative_status": _l("Initiatives you follow"),
    "membership": _l("Your communities"),
    "moderation": _l("Moderation"),
    "gardener": _l("Your roles"),
    "ambassador": _l("Your roles"),
    "handover": _l("Handover notes"),
    "invitation": _l("Your invitations"),
    "overdue": _l("Initiatives awaiting an answer"),
}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(member: Member) -> str:
    """A signed token that stops every e-mail of `member` in one click; it does not expire."""
    return str(_serializer().dumps(member.id))


def member_id_for_unsubscribe_token(token: str) -> int | None:
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def _message(member: Member, subject: str, template: str, context: dict[str, Any]) -> EmailMessage:
    unsubscribe = external("notifications.unsubscribe", token=unsubscribe_token(member))
    context = {
        **context,
        "member": member,
        "unsubscribe": unsubscribe,
        "settings": external("notifications.settings"),
        "all_notifications": external("notifications.index"),
    }
    message = build_message(
        member.email,
        subject,
        render_template(f"notifications/mail/{template}.txt", **context),
        render_template(f"notifications/mail/{template}.html", **context),
    )
    # RFC 2369 and RFC 8058: mail clients offer a one-click "unsubscribe" button. A long link
    # must stay one token (folded or encoded, clients would not read it): allow long lines.
    message.policy = message.policy.clone(max_line_length=998)
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def immediate_message(notification: Notification) -> EmailMessage:
    """One notification, mailed as it happens, in its member's language."""
    member = notification.member
    with force_locale(member.locale):
        subject = _("Terreau: %(text)s", text=_shorten(notification.text, 90))
        return _message(
            member,
            subject,
            "immediate",
            {"notification": notification, "link": _link(notification)},
        )


def digest_message(
    member: Member, notifications: Iterable[Notification], frequency: str
) -> EmailMessage:
    """Several notifications, grouped by what they are about, in the member's language."""
    groups: dict[str, list[dict[str, Any]]] = {}
    items = sorted(
        notifications, key=lambda n: (KINDS.index(n.kind) if n.kind in KINDS else 99, n.created_at)
    )
    with force_locale(member.locale):
        for notification in items:
            label = str(KIND_LABELS.get(notification.kind, _l("Other news")))
            groups.setdefault(label, []).append(
                {"notification": notification, "link": _link(notification)}
            )
        count = sum(len(group) for group in groups.values())
        if frequency == "weekly":
            subject = ngettext(
                "Terreau: your week (%(num)d news)", "Terreau: your week (%(num)d news)", count
            )
        else:
            subject = ngettext(
                "Terreau: your day (%(num)d news)", "Terreau: your day (%(num)d news)", count
            )
        return _message(
            member, subject, "digest", {"groups": groups, "count": count, "frequency": frequency}
        )


def _link(notification: Notification) -> str:
    return (
        external(notification.url)
        if notification.url.startswith("/")
        else external("notifications.index")
    )


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def mail_after_commit(message: EmailMessage) -> None:
    """Queue `message`; it is sent once the current transaction commits (dropped on rollback),
    by the mail worker (`core.mail.send_after_commit`)."""
    send_after_commit(message)


def deliver(message: EmailMessage) -> bool:
    """Send now; a failure is logged, never raised (the change it reports is already stored)."""
    try:
        send(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("could not send a notification mail to %s", message["To"])
        return False
    return True
