"""Planning pages: a new rencontre (once or weekly), editing one, cancelling one."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from community.communities.models import Community
from community.communities.services import community_by_slug
from community.core.database import begin_write
from community.core.errors import Conflict, Invalid
from community.core.forms import apply_errors, as_choices
from community.core.handlers import attempt, form_action
from community.core.permissions import current_member, require
from community.events import permissions, services
from community.events.blueprints import bp, readable_event
from community.events.forms import CancelForm, EventForm
from community.events.models import Event
from community.events.times import from_paris, paris
from community.extensions import db
from community.initiatives.queries import linkable_initiatives
from community.territory.services import neighbourhood_choices


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


def _form_data(form: EventForm, given: frozenset[str]) -> services.EventData:
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


ALL = frozenset({
    "title", "description", "starts_at", "ends_at", "place", "neighbourhood_id", "capacity",
    "initiative_id", "accepts_guests",
})  # fmt: skip


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
            _("The rencontre is planned. Members of the community can now see it and sign up.")
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
    event = readable_event(event_id)
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
        event = readable_event(event_id)

        def save() -> None:
            data = _form_data(form, ALL)
            if data.starts_at == event.starts_at and data.ends_at == event.ends_at:
                # Unchanged: no "must be to come" check (a new set: `ALL` is every form's).
                data.given = data.given - {"starts_at", "ends_at"}
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
    event = readable_event(event_id)
    require(permissions.can_manage_event(member, event), member)
    assert member is not None
    form = CancelForm()
    if form.validate_on_submit():
        begin_write()
        event = readable_event(event_id)
        _cancelled, refusal = attempt(
            lambda: services.cancel_event(member, event, form.reason.data), (Invalid, Conflict)
        )
        if refusal is not None:
            apply_errors(form, refusal)
        else:
            flash(_("The rencontre is cancelled; those registered are told."), "success")
            return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/cancel.html", form=form, event=event)
