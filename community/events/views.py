"""Rencontre pages: the list, a rencontre, registering (with or without an account).

Planning, the attendee page and the calendar are in `planning_views.py`,
`attendance_views.py` and `calendar_views.py`, on the same blueprint (`blueprints.py`).
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import login_required
from werkzeug.wrappers import Response

from community.communities.services import community_by_slug
from community.core.database import begin_write
from community.core.errors import Conflict, DomainError, Invalid, NotFound, RateLimited
from community.core.forms import apply_errors
from community.core.handlers import attempt
from community.core.home import home_section
from community.core.models import utcnow
from community.core.pagination import page_from_request, paginate
from community.core.permissions import current_member, require
from community.core.standing import kept_while_suspended
from community.events import (
    attendance_views,  # noqa: F401  (its routes are on `bp`)
    calendar,
    calendar_views,  # noqa: F401  (its routes are on `bp`)
    codes,
    guests,
    permissions,
    planning_views,  # noqa: F401  (its routes are on `bp`)
    qr,
    queries,
    registrations,
    services,
)
from community.events.blueprints import bp, readable_event
from community.events.forms import ActionForm, GuestForm
from community.events.models import Event
from community.events.times import paris
from community.initiatives.queries import readable_titles


@home_section
def _home(member: Any) -> dict[str, Any]:
    upcoming = queries.upcoming_for(member, 3)
    return {"my_rencontres": upcoming, "my_places": _places(member, upcoming)}


def _places(member: Any, events: list[Event]) -> dict[int, queries.Place]:
    """Her own place at each of `events` she has one at or waits for (with her rank)."""
    if member is None or not events:
        return {}
    return {
        place.registration.event_id: place
        for place in queries.my_places(member, [event.id for event in events])
    }


@bp.app_template_filter("paris")
def _paris_filter(value: Any) -> Any:
    return paris(value) if value is not None else None


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {
        "can_create_event": permissions.can_create_event,
        "can_read_community_events": permissions.can_read_community_events,
        "now_utc": utcnow,
    }


@bp.get("/events")
def index() -> str:
    """The rencontres she may read; of one community with `?community=<slug>` — whose members
    alone see them when it is on request: others are told so, and where to ask to join."""
    member = current_member()
    slug = (request.args.get("community") or "")[:80]
    community = community_by_slug(slug) if slug else None
    page = paginate(queries.browse(member, community, start=utcnow()), page_from_request())
    return render_template(
        "events/index.html",
        page=page,
        community=community,
        members_only=community is not None
        and not permissions.can_read_community_events(member, community),
        places=_places(member, page.items),
    )


@bp.get("/events/past")
def past() -> str:
    """The rencontres over, the latest first, with their compte rendu: what a member who did
    not come reads, and where a gardener finds the one she has still to write about."""
    slug = (request.args.get("community") or "")[:80]
    community = community_by_slug(slug) if slug else None
    return render_template(
        "events/past.html",
        page=paginate(queries.past(current_member(), community), page_from_request()),
        community=community,
        members_only=community is not None
        and not permissions.can_read_community_events(current_member(), community),
    )


@bp.get("/events/<int:event_id>")
def show(event_id: int) -> str:
    return _show(readable_event(event_id))


def _show(event: Event, status: int = 200, **forms: Any) -> Any:
    member = current_member()
    registration = registrations.registration_of(member, event)
    active = registration is not None and registration.active
    linked = readable_titles(member, [event.initiative_id])  # never one hidden from her
    page = render_template(
        "events/show.html",
        event=event,
        initiative_title=linked.get(event.initiative_id) if event.initiative_id else None,
        state=services.event_payload_status(event),
        registration=registration if active else None,
        place=queries.place_of(registration) if active and registration else None,
        code=codes.checkin_code(event.id, registration.id) if active and registration else None,
        qr_svg=qr.svg(event.id, registration.id, _("Your check-in QR code"))
        if active and registration
        else None,
        can_manage=permissions.can_manage_event(member, event),
        can_rsvp=permissions.can_rsvp(member, event),
        can_guest=permissions.can_register_guest(member, event),
        action_form=ActionForm(),
        guest_form=forms.get("guest_form") or GuestForm(prefix="guest"),
    )
    return page, status


@bp.get("/events/<int:event_id>.ics")
def ics(event_id: int) -> Response:
    event = readable_event(event_id)
    return Response(
        calendar.calendar_of([event], event.title),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="rencontre-{event.id}.ics"'},
    )


def _act(event_id: int, act: Any, done: str) -> Any:
    member = current_member()
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    begin_write()
    event = readable_event(event_id)
    require(permissions.can_rsvp(member, event), member)
    result, refusal = attempt(lambda: act(member, event), (Conflict, Invalid))
    if refusal is not None:
        flash(refusal.message, "error")
    else:
        if result is not None and done == "registered":
            flash(
                _("You have a place. See you there!")
                if result.status == "going"
                else _(
                    "The rencontre is full: you are on the waiting list."
                    " We will tell you if a place frees up."
                ),
                "success",
            )
        elif done == "cancelled":
            flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("events.show", event_id=event_id))


@bp.post("/events/<int:event_id>/rsvp")
@login_required
def rsvp(event_id: int) -> Any:
    return _act(event_id, registrations.register, "registered")


@bp.post("/events/<int:event_id>/rsvp/cancel")
@kept_while_suspended("taking back what is hers: her place at a rencontre")
@login_required
def unrsvp(event_id: int) -> Any:
    return _act(event_id, registrations.unregister, "cancelled")


@bp.post("/events/<int:event_id>/guests")
def guest(event_id: int) -> Any:
    member = current_member()
    guests.refuse_members(member)  # her door is "S'inscrire"
    begin_write()
    event = readable_event(event_id)
    form = GuestForm(prefix="guest")
    if not form.validate_on_submit():
        return _show(event, 422, guest_form=form)
    _asked, refusal = attempt(
        lambda: guests.request_guest_place(
            event,
            form.display_name.data,
            form.email.data,
            client=get_remote_address(),
            actor=member,
        ),
        (Invalid, Conflict, RateLimited),
    )
    if refusal is not None:
        apply_errors(form, refusal)
        return _show(event, refusal.status, guest_form=form)
    return current_app.make_response((render_template("events/guest_sent.html", event=event), 202))


@bp.route("/events/guests/<token>", methods=["GET", "POST"])
def guest_confirm(token: str) -> Any:
    # Opening the link shows a button: mail scanners that follow links must not confirm.
    try:
        registration = guests.guest_registration(token)
    except NotFound:
        abort(404)
    form = ActionForm()
    error = None
    if form.validate_on_submit():
        begin_write()
        answered, refusal = attempt(lambda: guests.confirm_guest(token), (DomainError,))
        if refusal is not None:
            error = refusal.message
        else:
            assert answered is not None
            registration = answered
    elif registration.status != "pending":
        error = _("This link was already used.")
    event = registration.event
    confirmed = registration.status in ("going", "waitlisted") and error is None
    return render_template(
        "events/guest_confirm.html",
        event=event,
        registration=registration,
        form=form,
        error=error,
        confirmed=confirmed and request.method == "POST",
        code=codes.checkin_code(event.id, registration.id) if confirmed else None,
        qr_svg=qr.svg(event.id, registration.id, _("Your check-in QR code")) if confirmed else None,
    )


@bp.route("/events/guests/cancel/<token>", methods=["GET", "POST"])
def guest_cancel(token: str) -> Any:
    try:
        registration = guests.cancellable(token)
    except NotFound:
        abort(404)
    form = ActionForm()
    error = None
    done = False
    if form.validate_on_submit():
        begin_write()
        cancelled, refusal = attempt(lambda: guests.cancel_guest(token), (DomainError,))
        if refusal is not None:
            error = refusal.message
        else:
            assert cancelled is not None
            registration, done = cancelled, True
    return render_template(
        "events/guest_cancel.html",
        event=registration.event,
        registration=registration,
        form=form,
        error=error,
        done=done,
    )
