"""The rencontres' e-mails: confirmations with the check-in QR code, and what guests are told.

Members are told through `core.notify` (their preferences decide e-mail or push); guests have
no account, so what concerns them goes to the e-mail they gave, which serves that rencontre
only. Everything here is sent after commit.
"""

from __future__ import annotations

from email.utils import make_msgid
from typing import Any

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from community.core.mail import build_message, send_after_commit
from community.core.origins import public_url
from community.events import codes, qr
from community.events.models import Registration
from community.events.times import paris

# The mails that carry the check-in code (and a guest's link to give her place back).
WITH_CODE = frozenset({"confirmed", "promoted", "reminder", "moved"})


def _link(path: str) -> str:
    return public_url() + path


def _address(registration: Registration) -> tuple[str | None, str]:
    if registration.member is not None:
        return registration.member.email, registration.member.locale or "fr"
    return registration.guest_email, "fr"


def _context(registration: Registration, **extra: Any) -> dict[str, Any]:
    event = registration.event
    return {
        "event": event,
        "registration": registration,
        "starts": paris(event.starts_at),
        "ends": paris(event.ends_at),
        "event_link": _link(f"/events/{event.id}"),
        **extra,
    }


def send_later(registration: Registration, template: str, subject: Any, **extra: Any) -> None:
    """Queue one e-mail about `registration` (rendered now, sent once committed)."""
    to, locale = _address(registration)
    if not to:
        return
    with force_locale(locale):
        with_code = registration.active and template in WITH_CODE
        cid = make_msgid(domain="terreau.local")
        context = _context(
            registration,
            code=codes.checkin_code(registration.event_id, registration.id) if with_code else None,
            qr_cid=cid,
            qr_src=f"cid:{cid[1:-1]}",
            cancel_link=_link(f"/events/guests/cancel/{codes.guest_cancel_token(registration.id)}")
            if with_code and registration.is_guest
            else None,
            **extra,
        )
        png = qr.png(registration.event_id, registration.id) if with_code else None
        text_subject = str(subject)
        # Rendering needs the app; the message is built now, within it, and sent after commit.
        message = build_message(
            to,
            text_subject,
            render_template(f"events/mail/{template}.txt", **context),
            render_template(f"events/mail/{template}.html", **context),
        )
    if png is not None:
        html = message.get_body(preferencelist=("html",))
        assert html is not None
        html.add_related(png, "image", "png", cid=cid, filename="code.png")
    send_after_commit(message)


def guest_link(registration: Registration, token: str) -> None:
    """The single-use link that confirms a guest's registration."""
    send_later(
        registration,
        "guest_confirm",
        _l("Confirm your registration: %(title)s", title=registration.event.title),
        link=_link(f"/events/guests/{token}"),
    )
