"""Questionnaire pages: answer (no JavaScript needed), type in a copy, print, results, edit."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import segno
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from community.ambassadors.invitations import share_url, usable_invitation
from community.ambassadors.models import Ambassador, Invitation
from community.communities.services import community_by_slug
from community.core.errors import DomainError, Invalid
from community.core.forms import apply_errors
from community.core.handlers import refusal_undone
from community.core.models import utcnow
from community.core.permissions import current_member, require
from community.core.urls import external
from community.extensions import db, limiter
from community.questionnaires import answering, browser, permissions, results, services
from community.questionnaires.answering import Given
from community.questionnaires.forms import (
    AUDIENCE_LABELS,
    CHANNEL_LABELS,
    KIND_LABELS,
    DetailsForm,
    FollowUpForm,
    QuestionForm,
    RecordForm,
    SimpleForm,
)
from community.questionnaires.models import Questionnaire
from community.territory.services import neighbourhood_choices

bp = Blueprint("questionnaires", __name__)


def _limit() -> str:
    return str(current_app.config["QUESTIONNAIRE_RATE_LIMIT"])


@bp.after_request
def _remember_browser(response: WerkzeugResponse) -> WerkzeugResponse:
    return browser.remember(response)


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {
        "questionnaire_kind_labels": KIND_LABELS,
        "questionnaire_audience_labels": AUDIENCE_LABELS,
        "questionnaire_channel_labels": CHANNEL_LABELS,
    }


# --- reading and answering -------------------------------------------------------------------


@bp.get("/questionnaires")
def index() -> str:
    member = current_member()
    items = list(db.session.execute(services.visible_stmt(member).limit(100)).scalars())
    return render_template("questionnaires/index.html", items=items, now=utcnow())


def given_from_form(questionnaire: Questionnaire) -> tuple[dict[int, Given], dict[str, list[str]]]:
    """The posted answers by question, and the fields that could not even be read."""
    given: dict[int, Given] = {}
    errors: dict[str, list[str]] = {}
    form = request.form
    for question in questionnaire.questions:
        name = f"q-{question.id}"
        try:
            if question.kind == "multiple":
                given[question.id] = Given([int(v) for v in form.getlist(name) if v][:50])
            elif question.kind == "single":
                raw = form.get(name, "")
                given[question.id] = Given([int(raw)] if raw else [])
            elif question.kind in ("scale", "number"):
                raw = form.get(name, "").strip()
                given[question.id] = Given(value=int(raw) if raw else None)
            else:
                given[question.id] = Given(text=form.get(name, ""))
        except ValueError:
            errors[f"question-{question.id}"] = [_("A whole number is expected.")]
    return given, errors


def _drop_unasked(questionnaire: Questionnaire, given: dict[int, Given]) -> list[str]:
    """Without JavaScript every question shows: answers to those not asked (their condition is
    not met) are left out, and the person is told which."""
    chosen = {qid: set(g.option_ids or []) for qid, g in given.items()}
    asked = {q.id for q in answering.visible_questions(questionnaire, chosen)}
    dropped = []
    for question in questionnaire.questions:
        entry = given.get(question.id)
        if question.id not in asked and entry is not None and not entry.empty:
            dropped.append(question.label)
            given[question.id] = Given()
    return dropped


def _page(
    questionnaire: Questionnaire,
    *,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
    **extra: Any,
) -> tuple[str, int]:
    member = current_member()
    now = utcnow()
    # Reading sets no cookie: a browser gets its token when it answers.
    token = browser.browser_token()
    return (
        render_template(
            "questionnaires/show.html",
            questionnaire=questionnaire,
            state=questionnaire.state(now),
            answered=answering.answered_already(member, questionnaire, token),
            in_audience=permissions.in_audience(member, questionnaire),
            can_edit=permissions.can_edit(member, questionnaire),
            can_record=permissions.can_record(member, questionnaire),
            can_see_results=permissions.can_see_results(member, questionnaire, now),
            neighbourhoods=neighbourhood_choices(),
            errors=errors or {},
            posted=request.form if request.method == "POST" else {},
            form=SimpleForm(),
            follow_up_form=FollowUpForm(),
            **extra,
        ),
        status,
    )


@bp.get("/questionnaires/<int:questionnaire_id>")
def show(questionnaire_id: int) -> tuple[str, int]:
    questionnaire = services.readable_or_404(current_member(), questionnaire_id)
    return _page(questionnaire)


def _neighbourhood_from_form() -> int | None:
    raw = request.form.get("neighbourhood_id", "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@bp.post("/questionnaires/<int:questionnaire_id>")
@limiter.limit(_limit)
def answer(questionnaire_id: int) -> tuple[str, int] | WerkzeugResponse:
    member = current_member()
    questionnaire = services.readable_or_404(member, questionnaire_id)
    if not SimpleForm().validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
        return redirect(url_for(".show", questionnaire_id=questionnaire.id))
    given, errors = given_from_form(questionnaire)
    if errors:
        return _page(questionnaire, errors=errors, status=422)
    dropped = _drop_unasked(questionnaire, given)
    try:
        answering.submit_response(
            member,
            questionnaire,
            given,
            neighbourhood_id=_neighbourhood_from_form(),
            browser_token=browser.browser_token(create=True),
        )
    except Invalid as error:
        return _page(questionnaire, errors=error.errors or {"answers": [error.message]}, status=422)
    except DomainError as error:
        flash(error.message, "error")
        return _page(questionnaire, status=error.status)
    for label in dropped:
        flash(
            _(
                "Your answer to “%(label)s” was not kept: given your other answers, "
                "this question is not asked.",
                label=label,
            ),
            "info",
        )
    flash(_("Thank you! Your answers are saved."), "success")
    return redirect(url_for(".show", questionnaire_id=questionnaire.id))


# --- paper copies and answers given in person ------------------------------------------------


@bp.route("/questionnaires/<int:questionnaire_id>/record", methods=["GET", "POST"])
def record(questionnaire_id: int) -> tuple[str, int] | WerkzeugResponse:
    member = current_member()
    questionnaire = services.readable_or_404(member, questionnaire_id)
    require(permissions.can_record(member, questionnaire), member)
    form = RecordForm()
    if request.method == "GET" and request.args.get("channel") in ("paper", "ambassador"):
        form.channel.data = request.args["channel"]
    errors: dict[str, list[str]] = {}
    status = 200
    if form.validate_on_submit():
        given, errors = given_from_form(questionnaire)
        if not errors:
            _drop_unasked(questionnaire, given)
            try:
                with refusal_undone():
                    answering.submit_response(
                        member,
                        questionnaire,
                        given,
                        channel=form.channel.data or "paper",
                        neighbourhood_id=_neighbourhood_from_form(),
                        consent=bool(form.consent.data),
                    )
            except Invalid as error:
                errors = dict(error.errors or {"answers": [error.message]})
                if "consent" in errors:
                    form.consent.errors = list(errors.pop("consent"))
            except DomainError as error:
                flash(error.message, "error")
            else:
                flash(_("The answers are saved. You may type in the next copy."), "success")
                return redirect(
                    url_for(".record", questionnaire_id=questionnaire.id, channel=form.channel.data)
                )
        status = 422
    return (
        render_template(
            "questionnaires/record.html",
            questionnaire=questionnaire,
            form=form,
            errors=errors,
            posted=request.form if request.method == "POST" else {},
            neighbourhoods=neighbourhood_choices(),
        ),
        status,
    )


def _qr(url: str, title: str) -> Markup:
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, title=title)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    return Markup(svg)  # noqa: S704 - segno's own SVG of a URL we built, no user markup


def _ambassador_link(member: Any, questionnaire: Questionnaire) -> str | None:
    """The printing ambassador's newest working invitation link, for the copy's second code."""
    if member is None or questionnaire.community_id is None:
        return None
    tokens = db.session.execute(
        select(Invitation.token)
        .join(Ambassador, Ambassador.id == Invitation.ambassador_id)
        .where(
            Ambassador.member_id == member.id,
            Ambassador.community_id == questionnaire.community_id,
            Ambassador.status == "active",
            Invitation.revoked_at.is_(None),
        )
        .order_by(Invitation.created_at.desc())
    ).scalars()
    for token in tokens:
        invitation = usable_invitation(token)
        if invitation is not None:
            return share_url(invitation)
    return None


@bp.get("/questionnaires/<int:questionnaire_id>/print")
def printable(questionnaire_id: int) -> str:
    member = current_member()
    questionnaire = services.readable_or_404(member, questionnaire_id)
    web = external("questionnaires.show", questionnaire_id=questionnaire.id)
    link = _ambassador_link(member, questionnaire)
    is_ambassador = permissions.is_community_ambassador(member, questionnaire.community)
    return render_template(
        "questionnaires/print.html",
        questionnaire=questionnaire,
        web_url=web,
        web_qr=_qr(web, _("Answer on the web")),
        invitation_url=link,
        invitation_qr=_qr(link, _("Join Terreau")) if link else None,
        is_ambassador=is_ambassador,
        neighbourhoods=neighbourhood_choices(),
    )


# --- results ---------------------------------------------------------------------------------


@bp.get("/questionnaires/<int:questionnaire_id>/results")
def results_page(questionnaire_id: int) -> str:
    member = current_member()
    questionnaire = services.readable_or_404(member, questionnaire_id)
    require(permissions.can_see_results(member, questionnaire), member)
    publication = results.publication_of(questionnaire)
    raw = request.args.get("neighbourhood", "")
    row = int(raw) if raw.isdigit() and len(raw) < 12 else None
    if row not in publication.rows:
        row = None
    view = publication.view(row, filtered=row is not None)
    by_id = {q.id: q for q in questionnaire.questions}
    free = (
        results.free_answers(questionnaire)
        if permissions.can_read_free_text(member, questionnaire)
        else None
    )
    return render_template(
        "questionnaires/results.html",
        questionnaire=questionnaire,
        view=view,
        by_id=by_id,
        row=row,
        free=free,
        neighbourhoods=neighbourhood_choices(),
    )


# --- writing ---------------------------------------------------------------------------------


def _date(value: Any, end: bool = False) -> datetime | None:
    if value is None:
        return None
    return datetime.combine(value, time(23, 59) if end else time(0, 0), tzinfo=UTC)


def _details(form: DetailsForm) -> services.Details:
    return services.Details(
        title=form.title.data or "",
        intro=form.intro.data or "",
        audience=form.audience.data,
        opens_at=_date(form.opens_at.data),
        closes_at=_date(form.closes_at.data, end=True),
        dates_given={"opens_at", "closes_at"},
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
                services.update_questionnaire(member, questionnaire, _details(details))
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
        answered=services.response_count(questionnaire),
        state=questionnaire.state(utcnow()),
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
