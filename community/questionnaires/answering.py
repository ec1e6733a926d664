"""Answering a questionnaire: on the web, from a paper copy, or in person through an ambassador.

Display conditions are evaluated here, on the server, whatever the page showed: a question
whose condition is not met is not asked, and an answer to it is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select

from community.core.errors import Conflict, Forbidden, Invalid, Unauthenticated
from community.core.models import utcnow
from community.core.permissions import is_authenticated
from community.core.privacy import contact_details_in
from community.extensions import db
from community.members.models import Member
from community.questionnaires import permissions, signals
from community.questionnaires.models import (
    CHANNELS,
    SCALE,
    Answer,
    Question,
    Questionnaire,
    Response,
)
from community.questionnaires.queries import valid_id
from community.territory.models import Neighbourhood

MAX_SHORT_TEXT = 200
MAX_LONG_TEXT = 2000
MAX_NUMBER = 10**9


@dataclass
class Given:
    """One answer as sent: options chosen, a number, or a text."""

    option_ids: list[int] | None = None
    value: int | None = None
    text: str | None = None

    @property
    def empty(self) -> bool:
        return not self.option_ids and self.value is None and not (self.text or "").strip()


def browser_hash(questionnaire: Questionnaire, token: str) -> str:
    """What is stored of a browser: a hash of its random token, different per questionnaire
    (so that two answers of one browser to two questionnaires cannot be linked)."""
    return hashlib.sha256(f"{questionnaire.id}:{token}".encode()).hexdigest()


def visible_questions(questionnaire: Questionnaire, chosen: dict[int, set[int]]) -> list[Question]:
    """The questions asked, given the single-choice answers `chosen` (question id → options).

    A question with a condition is asked only if its condition's question is itself asked
    and was answered with the condition's option, so chains of conditions hold.
    """
    shown: set[int] = set()
    out = []
    for question in questionnaire.questions:
        if question.condition_question_id is not None:
            if question.condition_question_id not in shown:
                continue
            if question.condition_option_id not in chosen.get(
                question.condition_question_id, set()
            ):
                continue
        shown.add(question.id)
        out.append(question)
    return out


def answered_already(
    member: Member | None, questionnaire: Questionnaire, token: str | None
) -> bool:
    """This member, or this browser, has answered on the web already."""
    clauses = []
    if is_authenticated(member):
        assert member is not None
        clauses.append(Response.member_id == member.id)
    if token:
        clauses.append(Response.browser_hash == browser_hash(questionnaire, token))
    if not clauses:
        return False
    return (
        db.session.execute(
            select(Response.id).where(Response.questionnaire_id == questionnaire.id, or_(*clauses))
        ).first()
        is not None
    )


def _check_one(question: Question, given: Given) -> tuple[str | None, list[Answer]]:
    """(error, answers to store) for one question."""
    kind = question.kind
    option_ids = {o.id for o in question.options}
    if kind in ("single", "multiple"):
        if given.value is not None or given.text:
            return _("This question is answered by choosing options."), []
        chosen = given.option_ids or []
        if any(valid_id(o) is None or o not in option_ids for o in chosen):
            return _("This option is not one of this question's."), []
        if len(set(chosen)) != len(chosen):
            return _("An option is chosen twice."), []
        if kind == "single" and len(chosen) > 1:
            return _("Choose only one answer."), []
        return None, [Answer(question_id=question.id, option_id=o) for o in chosen]
    if given.option_ids:
        return _("This question has no options to choose."), []
    if kind in ("scale", "number"):
        if given.text:
            return _("This question is answered with a number."), []
        value = given.value
        if value is None:
            return None, []
        if isinstance(value, bool) or not isinstance(value, int):
            return _("A whole number is expected."), []
        if kind == "scale" and value not in SCALE:
            return _("Choose a value from 1 to 5."), []
        if kind == "number" and not -MAX_NUMBER <= value <= MAX_NUMBER:
            return _("This number is too large."), []
        return None, [Answer(question_id=question.id, value=value)]
    # short_text, long_text
    if given.value is not None:
        return _("This question is answered with a text."), []
    text = given.text or ""
    if not isinstance(text, str):
        return _("A text is expected."), []
    if "\x00" in text:
        return _("This text holds a character that is not allowed."), []
    text = text.strip()
    limit = MAX_SHORT_TEXT if kind == "short_text" else MAX_LONG_TEXT
    if len(text) > limit:
        return _("At most %(num)d characters.", num=limit), []
    if text and contact_details_in(text):
        return _(
            "Please write no e-mail address or phone number: answers are read by the team, "
            "and your answer stays anonymous."
        ), []
    if not text:
        return None, []
    return None, [Answer(question_id=question.id, text=text)]


def check_answers(
    questionnaire: Questionnaire, given: dict[int, Given]
) -> tuple[dict[str, list[str]], list[Answer]]:
    """Validate answers against the questions and their conditions: (errors, answers).

    Errors are keyed `question-<id>`, or `answers` for an unknown question.
    """
    errors: dict[str, list[str]] = {}
    by_id = {q.id: q for q in questionnaire.questions}
    for question_id in given:
        if question_id not in by_id:
            errors.setdefault("answers", []).append(
                _("This question is not part of the questionnaire.")
            )
    chosen = {
        qid: set(g.option_ids or [])
        for qid, g in given.items()
        if qid in by_id and by_id[qid].kind == "single"
    }
    visible = visible_questions(questionnaire, chosen)
    visible_ids = {q.id for q in visible}
    answers: list[Answer] = []
    for question in questionnaire.questions:
        entry = given.get(question.id)
        key = f"question-{question.id}"
        if question.id not in visible_ids:
            if entry is not None and not entry.empty:
                errors[key] = [
                    _("Given your earlier answers, this question is not asked: leave it empty.")
                ]
            continue
        if entry is None or entry.empty:
            if question.required:
                errors[key] = [_("Please answer this question.")]
            continue
        error, rows = _check_one(question, entry)
        if error:
            errors[key] = [error]
        elif question.required and not rows:
            errors[key] = [_("Please answer this question.")]
        else:
            answers.extend(rows)
    return errors, answers


def submit_response(
    actor: Member | None,
    questionnaire: Questionnaire,
    given: dict[int, Given],
    *,
    channel: str = "web",
    neighbourhood_id: int | None = None,
    consent: bool = False,
    browser_token: str | None = None,
) -> Response:
    """Store one response. On the web: one per member and one per browser. On paper or in
    person: typed in by a gardener or an ambassador, tied to nobody (in person: with the
    inhabitant's oral consent, recorded as a date and nothing else)."""
    if channel not in CHANNELS:
        raise Invalid(_("Unknown channel."), {"channel": [_("Unknown channel.")]})
    if channel == "web":
        if not permissions.in_audience(actor, questionnaire):
            if not is_authenticated(actor):
                raise Unauthenticated(_("This questionnaire is for members: please log in."))
            raise Forbidden(_("This questionnaire is for the members of the community."))
    elif not permissions.can_record(actor, questionnaire):
        if not is_authenticated(actor):
            raise Unauthenticated(_("Please log in first."))
        raise Forbidden(
            _("Only its gardeners and the community's ambassadors type in paper or spoken answers.")
        )
    if questionnaire.state(utcnow()) != "open":
        raise Conflict(_("This questionnaire is not taking answers."))
    if channel == "ambassador" and not consent:
        raise Invalid(
            _("Tick the box once the person has agreed out loud."),
            {"consent": [_("The person's oral consent is needed.")]},
        )
    neighbourhood = None
    if neighbourhood_id is not None:
        ident = valid_id(neighbourhood_id)
        neighbourhood = db.session.get(Neighbourhood, ident) if ident else None
        if neighbourhood is None:
            raise Invalid(
                _("This neighbourhood does not exist."),
                {"neighbourhood_id": [_("This neighbourhood does not exist.")]},
            )
    if channel == "web" and answered_already(actor, questionnaire, browser_token):
        raise Conflict(
            _("You have already answered this questionnaire from this browser. Thank you!")
        )
    errors, answers = check_answers(questionnaire, given)
    if errors:
        raise Invalid(_("Some answers need a look."), errors)
    response = Response(
        questionnaire_id=questionnaire.id,
        channel=channel,
        neighbourhood_id=neighbourhood.id if neighbourhood else None,
        recorded_by_id=actor.id if channel != "web" and actor is not None else None,
        consent_at=utcnow() if channel == "ambassador" else None,
    )
    if channel == "web":
        if is_authenticated(actor):
            assert actor is not None
            response.member_id = actor.id
        if browser_token:
            response.browser_hash = browser_hash(questionnaire, browser_token)
    response.answers = answers
    db.session.add(response)
    db.session.flush()
    signals.response_recorded.send(response, actor=actor)
    return response


def given_from_json(items: Any) -> dict[int, Given]:
    """The API's `answers` list → answers by question id (shape checked by the schema)."""
    out: dict[int, Given] = {}
    for item in items:
        qid = item["question_id"]
        if qid in out:
            raise Invalid(
                _("A question is answered twice."),
                {"answers": [_("A question is answered twice.")]},
            )
        out[qid] = Given(item.get("option_ids"), item.get("value"), item.get("text"))
    return out
