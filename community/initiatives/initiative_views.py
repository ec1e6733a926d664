"""An initiative's page and what is done from it: its answer (a status change), support, a
hand lent, its news and their photos. A refused form shows the page again with its errors.
Routes on the initiatives' `bp` (`blueprints.py`)."""

from __future__ import annotations

import re
from typing import Any

from flask import abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from community.core.errors import Conflict, Invalid
from community.core.forms import apply_errors
from community.core.handlers import refusal_undone
from community.core.permissions import current_member, require
from community.core.urls import back_or
from community.events import queries as rencontres
from community.initiatives import answers, backing, lifecycle, permissions, stories
from community.initiatives.blueprints import bp, load_initiative
from community.initiatives.forms import StatusForm, StoryForm, VolunteerForm, choices
from community.initiatives.labels import NEXT_STEPS, STATUS_LABELS
from community.initiatives.models import Initiative
from community.initiatives.timeline import timeline
from community.threads.doors import thread_door
from community.threads.queries import initiative_thread


def _status_form(member: Any, initiative: Initiative) -> StatusForm:
    form = StatusForm(prefix="status")
    form.status.choices = choices(
        (move, str(STATUS_LABELS[move])) for move in lifecycle.allowed_moves(member, initiative)
    )
    return form


def _show(
    initiative: Initiative,
    status_form: StatusForm | None = None,
    story_form: StoryForm | None = None,
    volunteer_form: VolunteerForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    member = current_member()
    participation = backing.participation_of(member, initiative)
    if member is not None:
        volunteer_form = volunteer_form or VolunteerForm(
            prefix="help", data={"message": participation.message if participation else ""}
        )
        status_form = status_form or _status_form(member, initiative)
        story_form = story_form or StoryForm(prefix="story")
    # A visitor sees none of the forms: none is built (each would make a CSRF token, so a
    # session cookie, and the page could not be kept by the visitor page cache).
    page = render_template(
        "initiatives/show.html",
        initiative=initiative,
        # A link to its discussion only if she may open it; else who takes part, and how.
        discussion=thread_door(member, initiative_thread(initiative)),
        events=timeline(initiative),
        past_rencontres=rencontres.of_initiative(member, initiative),
        due_at=answers.answer_due_at(initiative),
        public_answer=answers.latest_answer(initiative),
        next_steps=NEXT_STEPS,
        is_author=permissions.is_author(member, initiative),
        moves=lifecycle.allowed_moves(member, initiative),
        can_support=permissions.can_support(member, initiative),
        can_lend_a_hand=permissions.can_lend_a_hand(member, initiative),
        banned_here=member is not None
        and not permissions.takes_part_in(member, initiative.community),
        overdue=answers.is_overdue(initiative),
        supported=backing.is_supporting(member, initiative),
        participation=participation,
        volunteers=initiative.participations
        if permissions.can_see_volunteers(member, initiative)
        else None,
        volunteer_count=len(initiative.participations),
        credits=stories.credits(initiative),
        status_form=status_form,
        story_form=story_form,
        volunteer_form=volunteer_form,
        can_post_update=permissions.can_post_update(member, initiative),
        can_answer=permissions.can_answer(member, initiative),
        can_edit=permissions.can_edit(member, initiative)
        and initiative.status not in ("done", "declined", "withdrawn"),
        can_ask=permissions.is_author(member, initiative)
        and lifecycle.can_ask_for_support(initiative),
    )
    return page, status


@bp.get("/<int:initiative_id>")
def show(initiative_id: int) -> tuple[str, int]:
    return _show(load_initiative(initiative_id))


@bp.post("/<int:initiative_id>/status")
@login_required
def change_status(initiative_id: int) -> Response | tuple[str, int]:
    initiative = load_initiative(initiative_id)
    member = current_member()
    require(permissions.can_change_status(member, initiative), member)
    assert member is not None
    form = _status_form(member, initiative)
    form.status.validate_choice = False  # the service says why a move is refused
    if form.validate_on_submit():
        try:
            with refusal_undone():
                lifecycle.change_status(
                    member,
                    initiative,
                    form.status.data or "",
                    form.answer.data or "",
                    form.reason.data,
                )
        except Invalid as error:
            apply_errors(form, error)
        else:
            flash(
                _("Done: the new status and your words are on the initiative's page."),
                "success",
            )
            return redirect(back_or("initiatives.show", initiative_id=initiative_id))
    return _show(load_initiative(initiative_id), status_form=form, status=422)


@bp.post("/<int:initiative_id>/support")
@login_required
def support(initiative_id: int) -> Response:
    initiative = load_initiative(initiative_id)
    member = current_member()
    withdrawing = request.form.get("action") == "withdraw"
    allowed = permissions.can_withdraw_support if withdrawing else permissions.can_support
    require(allowed(member, initiative), member, backing.support_refusal(member, initiative))
    assert member is not None
    try:
        with refusal_undone():
            if withdrawing:
                backing.withdraw_support(member, initiative)
                message = _("Your support is withdrawn.")
            else:
                backing.support(member, initiative)
                message = _("Thank you for your support!")
    except Conflict as error:
        flash(error.message, "error")
    else:
        flash(message, "success")
    return redirect(url_for("initiatives.show", initiative_id=initiative_id))


@bp.post("/<int:initiative_id>/participation")
@login_required
def participation(initiative_id: int) -> Response | tuple[str, int]:
    initiative = load_initiative(initiative_id)
    member = current_member()
    withdrawing = request.form.get("action") == "withdraw"
    allowed = permissions.can_stop_helping if withdrawing else permissions.can_lend_a_hand
    require(allowed(member, initiative), member, backing.help_refusal(member, initiative))
    assert member is not None
    if withdrawing:
        backing.stop_volunteering(member, initiative)
        flash(_("Your offer of help is withdrawn."), "success")
        return redirect(url_for("initiatives.show", initiative_id=initiative_id))
    form = VolunteerForm(prefix="help")
    if form.validate_on_submit():
        try:
            with refusal_undone():
                backing.volunteer(member, initiative, form.message.data or "")
        except (Invalid, Conflict) as error:
            apply_errors(form, error)
        else:
            flash(_("Thank you! The author and the gardeners know you can lend a hand."), "success")
            return redirect(url_for("initiatives.show", initiative_id=initiative_id))
    return _show(load_initiative(initiative_id), volunteer_form=form, status=422)


@bp.post("/<int:initiative_id>/updates")
@login_required
def post_update(initiative_id: int) -> Response | tuple[str, int]:
    initiative = load_initiative(initiative_id)
    member = current_member()
    require(permissions.can_post_update(member, initiative), member)
    assert member is not None
    form = StoryForm(prefix="story")
    if form.validate_on_submit():
        upload = form.photo.data
        photo = (
            stories.Photo(upload.stream, upload.filename) if upload and upload.filename else None
        )
        try:
            with refusal_undone():
                stories.post_update(member, initiative, form.body.data or "", photo)
        except (Invalid, Conflict) as error:
            apply_errors(form, error)
        else:
            flash(_("Your news is published."), "success")
            return redirect(url_for("initiatives.show", initiative_id=initiative_id))
    return _show(load_initiative(initiative_id), story_form=form, status=422)


@bp.get("/photos/<name>")
def photo(name: str) -> Response:
    if not re.fullmatch(stories.PHOTO_NAME, name):
        abort(404)
    response = send_from_directory(stories.photo_folder(), name, max_age=86400)
    return response
