"""Questionnaire pages: the list, one questionnaire, answering it, typing in a copy, results.

The printable copy and the writing pages are in `print_views.py` and `writing_views.py`, on the
same blueprint (`blueprints.py`).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from community.core.errors import DomainError, Invalid
from community.core.handlers import refusal_undone
from community.core.home import home_section
from community.core.models import utcnow
from community.core.permissions import current_member, require
from community.extensions import db, limiter
from community.questionnaires import (
    answering,
    browser,
    permissions,
    print_views,  # noqa: F401  (its routes are on `bp`)
    queries,
    results,
    services,
    writing_views,  # noqa: F401  (its routes are on `bp`)
)
from community.questionnaires.answering import Given
from community.questionnaires.blueprints import bp
from community.questionnaires.forms import (
    AUDIENCE_LABELS,
    CHANNEL_LABELS,
    KIND_LABELS,
    FollowUpForm,
    RecordForm,
    SimpleForm,
)
from community.questionnaires.models import Questionnaire
from community.territory.services import neighbourhood_choices


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


@home_section
def _home(member: Any) -> dict[str, Any]:
    return {"typed_in": queries.typed_in_by(member, utcnow())}


# --- reading and answering -------------------------------------------------------------------


@bp.get("/questionnaires")
def index() -> str:
    member = current_member()
    items = list(db.session.execute(queries.visible_stmt(member).limit(100)).scalars())
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
