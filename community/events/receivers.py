"""The events domain listens to its own facts and tells the people concerned.

Members are told through `core.notify` (stored, pushed, mailed per their preferences); the
confirmation that carries the check-in code is an e-mail of its own. Guests, who have no
account, are written to at the address they gave.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from community.communities.signals import access_narrowed
from community.core.jinja import moment
from community.core.notify import notify, register_kind
from community.core.todo import TodoItem, collecting
from community.core.urls import site_path
from community.events import mails, queries, registrations, signals
from community.events.models import Event, Registration
from community.events.permissions import can_manage_event
from community.moderation.signals import member_suspended

register_kind("event_promoted", _l("A place freed up for you at a rencontre"))
register_kind("event_reminder", _l("Reminder the day before a rencontre"))
register_kind("event_cancelled", _l("A rencontre you registered for is cancelled"))
register_kind("event_moved", _l("A rencontre you registered for changes date, time or place"))
register_kind("event_report", _l("The compte rendu of a rencontre you came to"))
register_kind("event_withdrawn", _l("A registration ended because a rencontre is for members only"))


def _url(event: Event) -> str:
    return f"/events/{event.id}"


@signals.registered.connect
def _confirm(registration: Registration, **_: Any) -> None:
    event = registration.event
    subject = (
        _l("Your place: %(title)s", title=event.title)
        if registration.status == "going"
        else _l("You are on the waiting list: %(title)s", title=event.title)
    )
    mails.send_later(registration, "confirmed", subject)


@signals.guest_requested.connect
def _guest_link(registration: Registration, *, token: str, **_: Any) -> None:
    mails.guest_link(registration, token)


@signals.promoted.connect
def _promoted(registration: Registration, **_: Any) -> None:
    event = registration.event
    if registration.member is not None:
        notify(
            registration.member,
            "event_promoted",
            _l("A place freed up: you are now registered for “%(title)s”.", title=event.title),
            _url(event),
        )
    mails.send_later(registration, "promoted", _l("You have a place: %(title)s", title=event.title))


@signals.reminder_due.connect
def _reminder(registration: Registration, **_: Any) -> None:
    event = registration.event
    if registration.member is not None:
        notify(
            registration.member,
            "event_reminder",
            _l("Reminder: “%(title)s” is coming up soon.", title=event.title),
            _url(event),
        )
    else:
        mails.send_later(registration, "reminder", _l("Reminder: %(title)s", title=event.title))


@signals.event_cancelled.connect
def _cancelled(
    event: Event, *, actor: Any, reason: str, registrations: list[Registration], **_: Any
) -> None:
    for registration in registrations:
        if registration.member is not None:
            notify(
                registration.member,
                "event_cancelled",
                _l("“%(title)s” is cancelled: %(reason)s", title=event.title, reason=reason),
                _url(event),
                actor=actor,
            )
        else:
            mails.send_later(
                registration, "cancelled", _l("Cancelled: %(title)s", title=event.title)
            )


@signals.event_moved.connect
def _moved(event: Event, *, actor: Any, registrations: list[Registration], **_: Any) -> None:
    # The new time, not the place: a notification copies no text someone wrote (its page does).
    text = _l(
        "“%(title)s” changes date, time or place. It is now on %(when)s: the place is on its page.",
        title=event.title,
        when=moment(event.starts_at),
    )
    for registration in registrations:
        if registration.member is not None:
            notify(registration.member, "event_moved", text, _url(event), actor=actor)
        else:
            mails.send_later(registration, "moved", _l("Changed: %(title)s", title=event.title))


@signals.report_published.connect
def _report(event: Event, *, actor: Any, attendees: list[Registration], **_: Any) -> None:
    for registration in attendees:
        if registration.member is not None:
            notify(
                registration.member,
                "event_report",
                _l("The compte rendu of “%(title)s” is online.", title=event.title),
                _url(event),
                actor=actor,
            )


@access_narrowed.connect
def _withdraw(community: Any, *, member: Any = None, **_: Any) -> None:
    """Whoever may no longer read the community's rencontres gives back their places."""
    registrations.withdraw_places(community, member)


@member_suspended.connect
def _withdraw_the_banned(member: Any, *, community: Any = None, **_: Any) -> None:
    """A member banned from a community gives back her places at its rencontres (a platform
    suspension keeps them: she may still come, and cancel)."""
    if community is not None:
        registrations.withdraw_places(community, member, banned=True)


@signals.withdrawn.connect
def _withdrawn(registration: Registration, *, banned: bool = False, **_: Any) -> None:
    event = registration.event
    if registration.member is not None:
        if banned:
            text = _l(
                "Your registration for “%(title)s” is cancelled, as you are suspended from"
                " %(community)s.",
                title=event.title,
                community=event.community.name,
            )
        else:
            text = _l(
                "Your registration for “%(title)s” is cancelled: its rencontres are for the"
                " members of %(community)s.",
                title=event.title,
                community=event.community.name,
            )
        notify(registration.member, "event_withdrawn", text, f"/communities/{event.community.slug}")
    else:
        mails.send_later(
            registration,
            "withdrawn",
            _l("Registration cancelled: %(title)s", title=event.title),
            banned=banned,
        )


@collecting.connect
def _reports_to_write(member: Any, **_: Any) -> list[TodoItem]:
    """In her "à faire": the compte rendu of a rencontre over that she organises, until it is
    written (for a month)."""
    return [
        TodoItem(
            kind="event_report",
            label=_l("Compte rendu to write"),
            title=event.title,
            url=site_path("events.attendees", event_id=event.id, _anchor="compte-rendu"),
            since=event.ends_at,
            community=event.community.name,
        )
        for event in queries.reports_awaited(member)
        if can_manage_event(member, event)
    ]
