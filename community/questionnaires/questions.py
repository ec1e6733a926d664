"""Writing a questionnaire's questions, their options and conditions, kept true to the
answers already given."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from community.core.errors import Conflict, Invalid
from community.extensions import db
from community.questionnaires.models import (
    CHOICE_KINDS,
    KINDS,
    Answer,
    Question,
    Questionnaire,
    QuestionOption,
    Response,
)
from community.questionnaires.queries import has_responses, valid_id

MAX_LABEL = 300
MAX_OPTION = 200
MAX_NOTE = 300
MAX_QUESTIONS = 60
MAX_OPTIONS = 20


def clean_line(text: Any) -> str:
    """One line of text, spaces collapsed; NUL bytes refused."""
    if not isinstance(text, str):
        raise Invalid(_("A text is expected."))
    if "\x00" in text:
        raise Invalid(_("This text holds a character that is not allowed."))
    return " ".join(text.split())


def _spec_error(index: int, message: str) -> Invalid:
    return Invalid(message, {"questions": {str(index): [message]}})


def _answered_ids(questionnaire: Questionnaire) -> tuple[set[int], set[int]]:
    """Questions and options that hold at least one answer."""
    rows = db.session.execute(
        select(Answer.question_id, Answer.option_id)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.questionnaire_id == questionnaire.id)
        .distinct()
    ).all()
    return {q for q, _o in rows}, {o for _q, o in rows if o is not None}


def write_questions(questionnaire: Questionnaire, specs: list[dict[str, Any]]) -> None:
    """Replace the list of questions. Once someone answered, only changes that keep earlier
    answers valid pass: add questions or options, reword with a note; never remove an
    answered question or option, change a kind, a condition, or make a question required."""
    if not isinstance(specs, list) or len(specs) > MAX_QUESTIONS:
        raise Invalid(_("At most %(num)d questions.", num=MAX_QUESTIONS))
    answered = has_responses(questionnaire)
    answered_questions, answered_options = (
        _answered_ids(questionnaire) if answered else (set(), set())
    )
    existing = {q.id: q for q in questionnaire.questions}
    before_ids = set(existing)
    kept: list[Question] = []
    option_labels: list[list[str]] = []
    for index, spec in enumerate(specs):
        if not isinstance(spec, dict):
            raise _spec_error(index, _("A question is expected."))
        kind = spec.get("kind")
        if kind not in KINDS:
            raise _spec_error(index, _("Unknown kind of question."))
        try:
            label = clean_line(spec.get("label", ""))
            note = clean_line(spec.get("note", "") or "")
            options = [clean_line(o) for o in spec.get("options") or []]
        except Invalid as error:
            raise _spec_error(index, error.message) from None
        if not label:
            raise _spec_error(index, _("Each question needs a wording."))
        if len(label) > MAX_LABEL or len(note) > MAX_NOTE:
            raise _spec_error(index, _("At most %(num)d characters.", num=MAX_LABEL))
        if kind in CHOICE_KINDS:
            if not 2 <= len(options) <= MAX_OPTIONS:
                raise _spec_error(index, _("A choice needs 2 to %(num)d options.", num=MAX_OPTIONS))
            if any(not o or len(o) > MAX_OPTION for o in options):
                raise _spec_error(
                    index, _("Each option needs a wording of at most 200 characters.")
                )
            if len({o.casefold() for o in options}) != len(options):
                raise _spec_error(index, _("Two options have the same wording."))
        elif options:
            raise _spec_error(index, _("Only choice questions have options."))
        required = spec.get("required", False)
        if not isinstance(required, bool):
            raise _spec_error(index, _("Say whether an answer is required."))
        ident = spec.get("id")
        if ident is not None:
            question = existing.pop(valid_id(ident) or 0, None)
            if question is None:
                raise _spec_error(index, _("This question is not part of the questionnaire."))
            if answered:
                if question.kind != kind:
                    raise Conflict(_("People have answered: a question's kind no longer changes."))
                if required and not question.required:
                    raise Conflict(
                        _("People have answered: a question can no longer become required.")
                    )
                reworded = question.label != label or any(
                    o.label != new for o, new in zip(question.options, options, strict=False)
                )
                if reworded and not note:
                    raise _spec_error(
                        index, _("People have answered: say in a note why the wording changes.")
                    )
                removed = question.options[len(options) :]
                if any(o.id in answered_options for o in removed):
                    raise Conflict(_("People have answered: an option they chose stays."))
        else:
            question = Question(questionnaire=questionnaire, kind=kind, label=label, position=index)
            db.session.add(question)
        question.kind, question.label, question.note, question.required = (
            kind,
            label,
            note,
            required,
        )
        question.position = index
        kept.append(question)
        option_labels.append(options)
    for question in existing.values():
        if answered and question.id in answered_questions:
            raise Conflict(_("People have answered: an answered question stays."))
    for question, labels in zip(kept, option_labels, strict=True):
        for position, label in enumerate(labels):
            if position < len(question.options):
                question.options[position].label = label
            else:
                question.options.append(QuestionOption(label=label, position=position))
        for option in list(question.options[len(labels) :]):
            if option.id in answered_options:
                raise Conflict(_("People have answered: an option they chose stays."))
            question.options.remove(option)
    for question in existing.values():
        questionnaire.questions.remove(question)
    db.session.flush()
    _write_conditions(kept, specs, before_ids if answered else set())
    questionnaire.questions.sort(key=lambda q: q.position)
    db.session.flush()


def _write_conditions(kept: list[Question], specs: list[dict[str, Any]], frozen: set[int]) -> None:
    """Set each question's condition; those of `frozen` questions (which existed when people
    answered) may not change: who was asked what would no longer be known."""
    for index, (question, spec) in enumerate(zip(kept, specs, strict=True)):
        condition = spec.get("condition")
        target: tuple[int | None, int | None] = (None, None)
        if condition is not None:
            if not isinstance(condition, dict):
                raise _spec_error(
                    index, _("A condition names an earlier question and one of its options.")
                )
            ref, opt = condition.get("question"), condition.get("option")
            if (
                isinstance(ref, bool)
                or not isinstance(ref, int)
                or not 0 <= ref < index
                or isinstance(opt, bool)
                or not isinstance(opt, int)
            ):
                raise _spec_error(
                    index, _("A condition names an earlier question and one of its options.")
                )
            earlier = kept[ref]
            if earlier.kind != "single":
                raise _spec_error(index, _("A condition depends on a single-choice question."))
            if not 0 <= opt < len(earlier.options):
                raise _spec_error(index, _("This option does not exist."))
            target = (earlier.id, earlier.options[opt].id)
        before = (question.condition_question_id, question.condition_option_id)
        if question.id in frozen and before != target:
            raise Conflict(_("People have answered: a question's condition no longer changes."))
        question.condition_question_id, question.condition_option_id = target
