"""Rencontre pages: the list, a rencontre, registering (with or without an account), the
gardeners' attendee page with check-in, planning, the calendar files."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import login_required
from werkzeug.wrappers import Response

from community.communities.models import Community
from community.communities.services import community_by_slug
from community.core.errors import Conflict, DomainError, Invalid, NotFound, RateLimited
from community.core.forms import apply_errors, as_choices
from community.core.handlers import attempt, form_action
from community.core.home import home_section
from community.core.models import utcnow
from community.core.origins import public_url
from community.core.pagination import page_from_request, paginate
from community.core.permissions import current_member, require
from community.core.standing import kept_while_suspended
from community.events import attendance, calendar, codes, guests, permissions, qr, queries, services
from community.events.forms import (
    ActionForm,
    CancelForm,
    CheckinForm,
    EventForm,
    GuestForm,
    ReportForm,
)
from community.events.models import Event
from community.events.times import from_paris, paris
from community.extensions import db
from community.initiatives.queries import linkable_initiatives, readable_titles
from community.territory.services import neighbourhood_choices
from community.threads.realtime import begin_write

bp = Blueprint("events", __name__)


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


def _load(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not permissions.can_read_event(current_member(), event):
        abort(404)
    return event


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


@bp.get("/events/<int:event_id>")
def show(event_id: int) -> str:
    return _show(_load(event_id))


def _show(event: Event, status: int = 200, **forms: Any) -> Any:
    member = current_member()
    registration = services.registration_of(member, event)
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
    event = _load(event_id)
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
    event = _load(event_id)
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
    return _act(event_id, services.register, "registered")


@bp.post("/events/<int:event_id>/rsvp/cancel")
@kept_while_suspended("taking back what is hers: her place at a rencontre")
@login_required
def unrsvp(event_id: int) -> Any:
    return _act(event_id, services.unregister, "cancelled")


@bp.post("/events/<int:event_id>/guests")
def guest(event_id: int) -> Any:
    member = current_member()
    guests.refuse_members(member)  # her door is "S'inscrire"
    begin_write()
    event = _load(event_id)
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


# --- planning ------------------------------------------------------------------------------


def _form_choices(
    form: EventForm, member: Any, community: Community, event: Event | None = None
) -> None:
    """The lists of the planning form: the initiatives `member` may link (the service's own
    rule), and, on edit, the one linked now even if hidden since — without naming it."""
    form.neighbourhood_id.choices = as_choices([(None, _("— None —")), *neighbourhood_choices()])
    initiatives: list[tuple[Any, Any]] = [
        (row.id, row.title)
        for row in db.session.execute(linkable_initiatives(member, community.id))
    ]
    linked = event.initiative_id if event is not None else None
    if linked is not None and linked not in {i for i, _title in initiatives}:
        initiatives.insert(0, (linked, _("— The linked initiative (no longer shown) —")))
    form.initiative_id.choices = as_choices([(None, _("— No initiative —")), *initiatives])


def _form_data(form: EventForm, given: set[str]) -> services.EventData:
    return services.EventData(
        title=form.title.data,
        description=form.description.data or "",
        starts_at=from_paris(form.starts_at.data) if form.starts_at.data else None,
        ends_at=from_paris(form.ends_at.data) if form.ends_at.data else None,
        place=form.place.data or "",
        neighbourhood_id=form.neighbourhood_id.data,
        capacity=form.capacity.data,
        initiative_id=form.initiative_id.data,
        accepts_guests=bool(form.accepts_guests.data),
        given=given,
    )


ALL = {
    "title", "description", "starts_at", "ends_at", "place", "neighbourhood_id", "capacity",
    "initiative_id", "accepts_guests",
}  # fmt: skip


@bp.route("/communities/<slug>/events/new", methods=["GET", "POST"])
@login_required
def new(slug: str) -> Any:
    member = current_member()
    community = community_by_slug(slug)
    require(permissions.can_create_event(member, community), member)
    assert member is not None
    form = EventForm()
    _form_choices(form, member, community)
    if not form.is_submitted():
        form.neighbourhood_id.data = community.neighbourhood_id
        form.accepts_guests.data = community.visibility == "open"

    def planned(events: list[Event]) -> Response:
        flash(
            _("Rencontre planned.")
            if len(events) == 1
            else _("%(count)d rencontres planned, one a week.", count=len(events)),
            "success",
        )
        return redirect(url_for("events.show", event_id=events[0].id))

    response = form_action(
        form,
        lambda: services.create_event(
            member, community, _form_data(form, ALL), form.repeat.data or 1
        ),
        planned,
    )
    if response is not None:
        return response
    return render_template("events/form.html", form=form, community=community, event=None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int) -> Any:
    member = current_member()
    event = _load(event_id)
    require(permissions.can_manage_event(member, event), member)
    assert member is not None
    form = EventForm(obj=event)
    del form.repeat
    _form_choices(form, member, event.community, event)
    if not form.is_submitted():
        form.starts_at.data = paris(event.starts_at).replace(tzinfo=None)
        form.ends_at.data = paris(event.ends_at).replace(tzinfo=None)
    if form.validate_on_submit():
        begin_write()
        event = _load(event_id)

        def save() -> None:
            data = _form_data(form, ALL)
            if data.starts_at == event.starts_at and data.ends_at == event.ends_at:
                data.given -= {"starts_at", "ends_at"}  # unchanged: no "must be to come" check
            services.edit_event(member, event, data)

        _saved, refusal = attempt(save, (Invalid, Conflict))
        if refusal is not None:
            apply_errors(form, refusal)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/form.html", form=form, community=event.community, event=event)


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(event_id: int) -> Any:
    member = current_member()
    event = _load(event_id)
    require(permissions.can_manage_event(member, event), member)
    assert member is not None
    form = CancelForm()
    if form.validate_on_submit():
        begin_write()
        event = _load(event_id)
        _cancelled, refusal = attempt(
            lambda: services.cancel_event(member, event, form.reason.data), (Invalid, Conflict)
        )
        if refusal is not None:
            apply_errors(form, refusal)
        else:
            flash(_("The rencontre is cancelled; those registered are told."), "success")
            return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/cancel.html", form=form, event=event)


# --- at the door and after -----------------------------------------------------------------


def _attendees_page(event: Event, checkin_form: CheckinForm, status: int = 200, **extra: Any):
    return (
        render_template(
            "events/attendees.html",
            event=event,
            attendees=attendance.attendees(event),
            checkin_open=attendance.checkin_open(event),
            checkin_opens_at=attendance.checkin_opens_at(event),
            action_form=ActionForm(),
            checkin_form=checkin_form,
            report_form=extra.pop("report_form", None)
            or ReportForm(prefix="report", data={"body": event.report or ""}),
            **extra,
        ),
        status,
    )


def _managed(event_id: int) -> tuple[Any, Event]:
    member = current_member()
    event = _load(event_id)
    require(permissions.can_manage_event(member, event), member)
    return member, event


@bp.get("/events/<int:event_id>/attendees")
@login_required
def attendees(event_id: int) -> Any:
    _member, event = _managed(event_id)
    form = CheckinForm(data={"code": (request.args.get("code") or "")[:100]})
    return _attendees_page(event, form)


@bp.post("/events/<int:event_id>/checkin")
@login_required
def checkin(event_id: int) -> Any:
    begin_write()
    member, event = _managed(event_id)
    form = CheckinForm()
    if form.validate_on_submit():
        result, refusal = attempt(
            lambda: attendance.check_in(member, event, form.code.data), (Invalid, Conflict)
        )
        if refusal is not None:
            apply_errors(form, refusal)
        else:
            assert result is not None
            _flash_presence(result)
            return redirect(url_for("events.attendees", event_id=event.id))
    return _attendees_page(event, form, 422)


def _flash_presence(result: attendance.CheckIn) -> None:
    name = result.registration.name
    flash(
        _("The presence of %(name)s was already noted.", name=name)
        if result.already
        else _("Presence of %(name)s noted.", name=name),
        "success",
    )


@bp.post("/events/<int:event_id>/attendees/<int:registration_id>/present")
@login_required
def present(event_id: int, registration_id: int) -> Any:
    """The "Present" button beside a name: for someone without her code."""
    if not ActionForm().validate_on_submit():
        abort(400)
    begin_write()
    member, event = _managed(event_id)
    result, refusal = attempt(
        lambda: attendance.mark_present(member, event, registration_id), (Conflict, NotFound)
    )
    if refusal is not None:
        flash(refusal.message, "error")
    else:
        assert result is not None
        _flash_presence(result)
    return redirect(url_for("events.attendees", event_id=event.id))


@bp.post("/events/<int:event_id>/report")
@login_required
def report(event_id: int) -> Any:
    begin_write()
    member, event = _managed(event_id)
    form = ReportForm(prefix="report")
    if form.validate_on_submit():
        _published, refusal = attempt(
            lambda: attendance.publish_report(member, event, form.body.data), (Invalid, Conflict)
        )
        if refusal is not None:
            apply_errors(form, refusal)
        else:
            flash(_("The compte rendu is published and sent to those who came."), "success")
            return redirect(url_for("events.show", event_id=event.id))
    return _attendees_page(event, CheckinForm(), 422, report_form=form)


# --- my rencontres and my calendar ---------------------------------------------------------


@bp.get("/events/mine")
@login_required
def mine() -> str:
    member = current_member()
    assert member is not None
    return render_template(
        "events/mine.html",
        places=queries.my_places(member),
        has_feed=calendar.has_feed(member),
        feed_url=None,
        form=ActionForm(),
    )


@bp.post("/events/calendar")
@kept_while_suspended("reading her rencontres in her own calendar")
@login_required
def issue_feed() -> str:
    member = current_member()
    assert member is not None
    if not ActionForm().validate_on_submit():
        abort(400)
    token = calendar.issue_feed(member)
    return render_template(
        "events/mine.html",
        places=queries.my_places(member),
        has_feed=True,
        feed_url=public_url() + url_for("events.feed", token=token),
        form=ActionForm(),
    )


@bp.post("/events/calendar/revoke")
@kept_while_suspended("reading her rencontres in her own calendar")
@login_required
def revoke_feed() -> Response:
    member = current_member()
    assert member is not None
    if not ActionForm().validate_on_submit():
        abort(400)
    calendar.revoke_feed(member)
    flash(_("Your calendar link no longer works."), "success")
    return redirect(url_for("events.mine"))


@bp.get("/me/calendar.ics")
def feed() -> Response:
    member = calendar.feed_member(request.args.get("token", ""))
    if member is None:
        abort(404)
    return Response(
        calendar.calendar_of(calendar.feed_events(member), _("My rencontres")),
        mimetype="text/calendar",
        headers={"Cache-Control": "private, no-store"},
    )
