"""Writing a questionnaire: a new draft, its details and questions, opening, closing, follow-up."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from community.communities.services import community_by_slug
from community.core.errors import DomainError, Invalid
from community.core.forms import apply_errors
from community.core.handlers import refusal_undone
from community.core.models import utcnow
from community.core.permissions import current_member, require
from community.questionnaires import permissions, queries, services
from community.questionnaires.blueprints import bp
from community.questionnaires.forms import DetailsForm, FollowUpForm, QuestionForm, SimpleForm
from community.questionnaires.models import Questionnaire


def _date(value: Any, end: bool = False) -> datetime | None:
    if value is None:
        return None
    return datetime.combine(value, time(23, 59) if end else time(0, 0), tzinfo=UTC)


def _details(form: DetailsForm, shown: Questionnaire | None = None) -> services.Details:
    """The form's details; editing `shown`, only the dates changed from the days the page
    showed (sent back as they were, they would move to the start or the end of that day)."""
    dates_given = {"opens_at", "closes_at"}
    if shown is not None:
        dates_given = {
            name
            for name, was in (("opens_at", shown.opens_at), ("closes_at", shown.closes_at))
            if getattr(form, name).data != (was.date() if was is not None else None)
        }
    return services.Details(
        title=form.title.data or "",
        intro=form.intro.data or "",
        audience=form.audience.data,
        opens_at=_date(form.opens_at.data),
        closes_at=_date(form.closes_at.data, end=True),
        dates_given=dates_given,
    )


@bp.route("/communities/<slug>/questionnaires/new", methods=["GET", "POST"])
def new(slug: str) -> str | WerkzeugResponse:
    member = current_member()
    community = community_by_slug(slug)
    require(permissions.can_create(member, community), member)
    assert member is not None
    form = DetailsForm()
    if form.validate_on_submit():
        try:
            with refusal_undone():
                questionnaire = services.create_questionnaire(member, community, _details(form))
        except Invalid as error:
            apply_errors(form, error)
        else:
            flash(_("The draft is saved. Now add the questions."), "success")
            return redirect(url_for(".edit", questionnaire_id=questionnaire.id))
    return render_template("questionnaires/new.html", community=community, form=form)


def _specs(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """The questions as the service writes them (ids kept, conditions as positions)."""
    ids = [q.id for q in questionnaire.questions]
    out = []
    for question in questionnaire.questions:
        condition = None
        if question.condition_question_id in ids:
            target = questionnaire.questions[ids.index(question.condition_question_id)]
            option_ids = [o.id for o in target.options]
            if question.condition_option_id in option_ids:
                condition = {
                    "question": ids.index(target.id),
                    "option": option_ids.index(question.condition_option_id),
                }
        out.append(
            {
                "id": question.id,
                "kind": question.kind,
                "label": question.label,
                "note": question.note,
                "required": question.required,
                "options": [o.label for o in question.options],
                "condition": condition,
            }
        )
    return out


def _condition_choices(questionnaire: Questionnaire) -> list[tuple[str, str]]:
    choices = [("", _("Always ask it"))]
    for i, question in enumerate(questionnaire.questions):
        if question.kind == "single":
            for j, option in enumerate(question.options):
                choices.append(
                    (
                        f"{i}:{j}",
                        _(
                            "the answer to %(num)d. “%(label)s” is “%(option)s”",
                            num=i + 1,
                            label=question.label,
                            option=option.label,
                        ),
                    )
                )
    return choices


@bp.route("/questionnaires/<int:questionnaire_id>/edit", methods=["GET", "POST"])
def edit(questionnaire_id: int) -> str | WerkzeugResponse:
    member = current_member()
    questionnaire = services.readable_or_404(member, questionnaire_id)
    require(permissions.can_edit(member, questionnaire), member)
    assert member is not None
    details = DetailsForm(obj=None if request.method == "POST" else questionnaire)
    if request.method == "GET":
        details.opens_at.data = questionnaire.opens_at.date() if questionnaire.opens_at else None
        details.closes_at.data = questionnaire.closes_at.date() if questionnaire.closes_at else None
    question_form = QuestionForm(conditions=_condition_choices(questionnaire))
    action = request.form.get("action")
    if request.method == "POST" and action == "details" and details.validate_on_submit():
        try:
            with refusal_undone():
                services.update_questionnaire(
                    member, questionnaire, _details(details, questionnaire)
                )
        except Invalid as error:
            apply_errors(details, error)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".edit", questionnaire_id=questionnaire.id))
    elif request.method == "POST" and action == "add" and question_form.validate_on_submit():
        spec: dict[str, Any] = {
            "kind": question_form.kind.data,
            "label": question_form.label.data or "",
            "required": bool(question_form.required.data),
            "options": [
                line for line in (question_form.options.data or "").splitlines() if line.strip()
            ],
            "condition": None,
        }
        parts = (question_form.condition.data or "").split(":")
        if len(parts) == 2 and all(p.isdigit() and len(p) < 4 for p in parts):
            spec["condition"] = {"question": int(parts[0]), "option": int(parts[1])}
        try:
            with refusal_undone():
                services.update_questionnaire(
                    member, questionnaire, services.Details(), [*_specs(questionnaire), spec]
                )
        except Invalid as error:
            question_form.form_errors.append(error.message)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("The question is added."), "success")
            return redirect(url_for(".edit", questionnaire_id=questionnaire.id) + "#questions")
    elif request.method == "POST" and action == "reword" and SimpleForm().validate_on_submit():
        position = request.form.get("position", "")
        specs = _specs(questionnaire)
        if position.isdigit() and int(position) < len(specs):
            specs[int(position)]["label"] = request.form.get("label", "")
            specs[int(position)]["note"] = request.form.get("note", "")
            try:
                with refusal_undone():
                    services.update_questionnaire(member, questionnaire, services.Details(), specs)
            except DomainError as error:
                flash(error.message, "error")
            else:
                flash(_("The question is reworded."), "success")
        return redirect(url_for(".edit", questionnaire_id=questionnaire.id) + "#questions")
    elif request.method == "POST" and action == "remove" and SimpleForm().validate_on_submit():
        position = request.form.get("position", "")
        specs = _specs(questionnaire)
        if position.isdigit() and int(position) < len(specs):
            index = int(position)
            del specs[index]
            for spec in specs:
                condition = spec["condition"]
                if condition and condition["question"] == index:
                    spec["condition"] = None
                elif condition and condition["question"] > index:
                    condition["question"] -= 1
            try:
                with refusal_undone():
                    services.update_questionnaire(member, questionnaire, services.Details(), specs)
            except DomainError as error:
                flash(error.message, "error")
            else:
                flash(_("The question is removed."), "success")
        return redirect(url_for(".edit", questionnaire_id=questionnaire.id) + "#questions")
    return render_template(
        "questionnaires/edit.html",
        questionnaire=questionnaire,
        details=details,
        question_form=question_form,
        form=SimpleForm(),
        follow_up_form=FollowUpForm(),
        answered=queries.response_count(questionnaire),
        state=questionnaire.state(utcnow()),
        released=queries.results_released(questionnaire, utcnow()),
    )


@bp.post("/questionnaires/<int:questionnaire_id>/<any(open, close):act>")
def life_cycle(questionnaire_id: int, act: str) -> WerkzeugResponse:
    member = current_member()
    questionnaire = services.readable_or_404(member, questionnaire_id)
    require(permissions.can_edit(member, questionnaire), member)
    assert member is not None
    if SimpleForm().validate_on_submit():
        try:
            with refusal_undone():
                if act == "open":
                    services.open_questionnaire(member, questionnaire)
                else:
                    services.close_questionnaire(member, questionnaire)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(
                _("The questionnaire is open.")
                if act == "open"
                else _("The questionnaire is closed."),
                "success",
            )
    return redirect(url_for(".edit", questionnaire_id=questionnaire.id))


@bp.post("/questionnaires/<int:questionnaire_id>/follow-up")
def follow_up(questionnaire_id: int) -> WerkzeugResponse:
    member = current_member()
    questionnaire = services.readable_or_404(member, questionnaire_id)
    require(permissions.can_edit(member, questionnaire), member)
    assert member is not None
    form = FollowUpForm()
    if form.validate_on_submit():
        try:
            with refusal_undone():
                services.publish_follow_up(member, questionnaire, form.body.data or "")
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("The follow-up is published; those who answered are told."), "success")
            return redirect(url_for(".show", questionnaire_id=questionnaire.id) + "#follow-up")
    else:
        flash(_("Write what was done with the answers."), "error")
    return redirect(url_for(".edit", questionnaire_id=questionnaire.id))
