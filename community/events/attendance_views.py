"""At the door and after, for those who manage a rencontre: the attendee list, the check-in
(by code or by the "Present" button) and the compte rendu."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from community.core.database import begin_write
from community.core.errors import Conflict, Invalid, NotFound
from community.core.forms import apply_errors
from community.core.handlers import attempt
from community.core.permissions import current_member, require
from community.events import attendance, permissions
from community.events.blueprints import bp, readable_event
from community.events.forms import ActionForm, CheckinForm, ReportForm
from community.events.models import Event


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
    event = readable_event(event_id)
    require(permissions.can_manage_event(member, event), member)
    return member, event


@bp.get("/events/<int:event_id>/attendees")
@login_required
def attendees(event_id: int) -> Any:
    member, event = current_member(), readable_event(event_id)
    if request.args.get("code") and not permissions.can_manage_event(member, event):
        # Her own QR code, scanned with her own phone: it opens the check-in, which is for
        # the person at the door. Back to the rencontre, told what the code is for.
        flash(_("This code is for the door: the person who welcomes you scans it."), "info")
        return redirect(url_for("events.show", event_id=event.id))
    require(permissions.can_manage_event(member, event), member)
    code = (request.args.get("code") or "")[:100]
    form = CheckinForm(data={"code": code})
    # A scanned code: whom it names, said before the presence is noted.
    holder = attendance.holder_of(event, code) if code else None
    return _attendees_page(event, form, scanned=holder, code_given=bool(code))


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
