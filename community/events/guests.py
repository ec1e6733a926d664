"""Guests without an account: a pseudonym and an e-mail, a single-use confirmation link.

The pseudonym meets the members' rule (`members.services.check_display_name`): a guest cannot
pass for a member ("Karim" written with a Cyrillic "К"), a role ("Karim agent") or the
platform, since the organisers read it beside their members' names.

The e-mail serves that rencontre only: `attendance.close_past_events` erases it afterwards.

Asking sends a mail to an address nobody has proved is theirs, so it is slowed like the
account doors' mails (`auth/limits.py`), here inside the service, whichever door: per client
address (`GUEST_RATE_LIMIT`: one connection cannot ask for many addresses) and per mailbox
(`GUEST_MAIL_RATE_LIMIT`: many connections cannot flood one inbox, however its address is
spelt: `core.ratelimit.mailbox_key`). Asking again for the same rencontre while the link sent
is still fresh (`GUEST_LINK_RESEND_MINUTES`) sends nothing more: the first link still works.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from community.core.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from community.core.models import utcnow
from community.core.permissions import is_authenticated
from community.core.ratelimit import hit, mailbox_key
from community.events import codes, permissions, signals
from community.events.models import Event, Registration
from community.events.places import (
    _cancel_registration,
    _lock,
    _open_for_registration,
    _place,
    place_held_by,
)
from community.extensions import db
from community.members.models import Member
from community.members.services import check_display_name, normalise_email


def _too_many() -> RateLimited:
    return RateLimited(_("Too many requests. Please wait a moment and try again."))


def refuse_members(actor: Member | None) -> None:
    """The guest door is for people without an account: a member logged in is refused (403)
    and sent to her own door ("S'inscrire", `registrations.register`, which asks `can_rsvp`)."""
    if is_authenticated(actor):
        raise Forbidden(
            _("You have an account: register with your account, with the button of the rencontre.")
        )


def request_guest_place(
    event: Event, display_name: str, email: str, *, client: str, actor: Member | None = None
) -> Registration | None:
    """A person without an account asks for a place: a pending registration and a link to
    confirm it by e-mail, sent once while it is fresh (`client`: the client address, whose
    requests are counted; `actor`: whoever is logged in — a member is refused, her door is
    `registrations.register`). An address whose member is banned from the community gets nothing,
    with the same answer as anyone."""
    refuse_members(actor)
    if not permissions.can_register_guest(actor, event):
        raise Conflict(_("This rencontre does not take registrations without an account."))
    config = current_app.config
    if not hit(str(config["GUEST_RATE_LIMIT"]), "event-guest", client or "-"):
        raise _too_many()
    errors: dict[str, list[str]] = {}
    try:  # the members' rule: a guest cannot pass for a member, a role or the platform
        name = check_display_name(display_name or "")
    except Invalid as refused:
        name = ""
        errors.update(refused.errors or {})
    try:
        address = normalise_email(email or "")
    except Invalid:
        address = ""
        errors["email"] = [_("Give a valid e-mail address.")]
    if errors:
        raise Invalid(_("Some fields are not valid."), errors)
    now = utcnow()
    _lock(event)
    _open_for_registration(event, now)
    mail_limit, resend = (
        str(config["GUEST_MAIL_RATE_LIMIT"]),
        int(config["GUEST_LINK_RESEND_MINUTES"]),
    )
    key = mailbox_key(address)
    if permissions.guest_address_refused(address, event):
        # Answered as any other address, and counted as one (or the limit would tell who is
        # refused): its first ask within the resend delay counts against the mailbox's
        # allowance, the next ones not, as for an address whose link is on its way.
        first = hit(f"1 per {resend} minutes", "event-guest-refused", str(event.id), key)
        if first and not hit(mail_limit, "event-guest-mail", key):
            raise _too_many()
        return None  # no place, no mail
    existing = db.session.execute(
        select(Registration).where(
            Registration.event_id == event.id, Registration.guest_email == address
        )
    ).scalar_one_or_none()
    if existing is not None and existing.active:
        return None  # already has a place: nothing to confirm (the answer does not say so)
    # A pending guest's `queued_at` is when her link was sent.
    fresh = now - timedelta(minutes=resend)
    if existing is not None and existing.status == "pending" and existing.queued_at > fresh:
        return None  # her link is on its way and still works: no second mail
    if not hit(mail_limit, "event-guest-mail", key):
        raise _too_many()
    registration = existing or Registration(event_id=event.id, created_at=now)
    registration.guest_name = name
    registration.guest_email = address
    registration.status = "pending"
    registration.confirmed_at = None
    registration.queued_at = now
    if existing is None:
        db.session.add(registration)
    db.session.flush()
    signals.guest_requested.send(registration, token=codes.guest_token(registration.id))
    return registration


def guest_registration(token: str) -> Registration:
    """The registration a confirmation token stands for, or NotFound."""
    registration_id = codes.read_guest_token(token)
    registration = db.session.get(Registration, registration_id) if registration_id else None
    if registration is None or not registration.is_guest:
        raise NotFound(_("This link is not valid, or no longer is."))
    return registration


def confirm_guest(token: str) -> Registration:
    """Open the confirmation link (once): the guest gets a place or waits."""
    registration = guest_registration(token)
    event = _lock(registration.event)
    db.session.refresh(registration)
    if registration.status != "pending" or registration.confirmed_at is not None:
        if registration.active and registration.confirmed_at is not None:  # she comes back
            raise Conflict(
                _(
                    "Your registration is already confirmed. Your code, and the link to give "
                    "your place back, are in the e-mail we sent you then."
                )
            )
        raise Conflict(_("This link was already used."))
    now = utcnow()
    _open_for_registration(event, now)
    if not permissions.takes_guests(event):  # it turned members-only meanwhile
        raise Conflict(_("This rencontre does not take registrations without an account."))
    if permissions.guest_address_refused(registration.guest_email or "", event):  # banned since
        raise Conflict(_("This registration is no longer possible."))
    if place_held_by(event, registration.guest_email or "", besides=registration):
        raise Conflict(_("You already have a place at this rencontre."))
    registration.confirmed_at = now
    _place(event, registration, now)
    signals.registered.send(registration)
    return registration


def cancellable(token: str) -> Registration:
    """The guest registration a cancel link stands for, or NotFound."""
    registration_id = codes.read_guest_cancel_token(token)
    registration = db.session.get(Registration, registration_id) if registration_id else None
    if registration is None or not registration.is_guest:
        raise NotFound(_("This link is not valid, or no longer is."))
    return registration


def cancel_guest(token: str) -> Registration:
    """A guest gives their place back (the first person waiting gets it)."""
    registration = cancellable(token)
    event = _lock(registration.event)
    db.session.refresh(registration)
    if not registration.active:
        raise Conflict(_("Your registration is cancelled."))
    now = utcnow()
    _open_for_registration(event, now)
    _cancel_registration(event, registration, now)
    signals.unregistered.send(registration)
    return registration
