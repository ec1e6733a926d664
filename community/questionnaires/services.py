"""Writing, opening, closing and following up questionnaires.

Services take the acting member, authorise first, validate, flush, and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, and_, exists, func, or_, select, true
from sqlalchemy.orm import raiseload
from sqlalchemy.sql.elements import ColumnElement

from community.communities.models import Community, GardenerMandate, Membership
from community.core.content import render_markdown
from community.core.errors import Conflict, Invalid, NotFound
from community.core.models import utcnow
from community.core.permissions import is_authenticated, is_staff, require
from community.extensions import db
from community.members.models import Member
from community.questionnaires import permissions, signals
from community.questionnaires.models import (
    AUDIENCES,
    CHOICE_KINDS,
    KINDS,
    Answer,
    Question,
    Questionnaire,
    QuestionOption,
    Response,
)

MAX_TITLE = 200
MAX_INTRO = 4000
MAX_LABEL = 300
MAX_OPTION = 200
MAX_NOTE = 300
MAX_QUESTIONS = 60
MAX_OPTIONS = 20
MAX_FOLLOW_UP = 6000
MAX_ID = 2**31 - 1


def clean_line(text: Any) -> str:
    """One line of text, spaces collapsed; NUL bytes refused."""
    if not isinstance(text, str):
        raise Invalid(_("A text is expected."))
    if "\x00" in text:
        raise Invalid(_("This text holds a character that is not allowed."))
    return " ".join(text.split())


def valid_id(value: Any) -> int | None:
    """An id as the database can hold it, or None (huge, negative or not an integer)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        return None
    return value


def questionnaire_or_404(questionnaire_id: int) -> Questionnaire:
    ident = valid_id(questionnaire_id)
    questionnaire = db.session.get(Questionnaire, ident) if ident else None
    if questionnaire is None:
        raise NotFound(_("This questionnaire does not exist."))
    return questionnaire


def readable_or_404(member: Member | None, questionnaire_id: int) -> Questionnaire:
    """A questionnaire the member may read; a draft they may not read does not exist for them."""
    questionnaire = questionnaire_or_404(questionnaire_id)
    if not permissions.can_read(member, questionnaire):
        raise NotFound(_("This questionnaire does not exist."))
    return questionnaire


def readable_clause(member: Member | None) -> ColumnElement[bool]:
    """The filter on `Questionnaire` of what `member` may read (`permissions.can_read` is this
    rule for one questionnaire): staff everything; its gardeners their drafts too; anyone else
    what left draft — of an on-request community, only its members unless it asks anyone."""
    if is_staff(member):
        return true()
    reaches = or_(
        Questionnaire.audience == "anyone",
        Questionnaire.community_id.is_(None),
        Questionnaire.community_id.in_(select(Community.id).where(Community.visibility == "open")),
    )
    if not is_authenticated(member):
        return and_(Questionnaire.status != "draft", reaches)
    assert member is not None
    joined = select(Membership.community_id).where(
        Membership.member_id == member.id, Membership.status == "active"
    )
    gardened = select(GardenerMandate.community_id).where(
        GardenerMandate.member_id == member.id, GardenerMandate.ended_at.is_(None)
    )
    return or_(
        and_(
            Questionnaire.status != "draft",
            or_(reaches, Questionnaire.community_id.in_(joined)),
        ),
        Questionnaire.community_id.in_(gardened),
    )


def visible_stmt(member: Member | None, community: Community | None = None) -> Select[Any]:
    """Questionnaires the member may read, newest first (drafts only to those who edit them)."""
    stmt = select(Questionnaire).where(readable_clause(member))
    if community is not None:
        stmt = stmt.where(Questionnaire.community_id == community.id)
    return stmt.order_by(Questionnaire.created_at.desc(), Questionnaire.id.desc())


def has_responses(questionnaire: Questionnaire) -> bool:
    return bool(
        db.session.execute(
            select(exists().where(Response.questionnaire_id == questionnaire.id))
        ).scalar()
    )


def response_count(questionnaire: Questionnaire) -> int:
    return int(
        db.session.execute(
            select(func.count(Response.id)).where(Response.questionnaire_id == questionnaire.id)
        ).scalar_one()
    )


@dataclass
class Details:
    """What a questionnaire says of itself (all optional on update)."""

    title: str | None = None
    intro: str | None = None
    audience: str | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    dates_given: set[str] = field(default_factory=set)


def _apply_details(questionnaire: Questionnaire, details: Details) -> None:
    errors: dict[str, list[str]] = {}
    if details.title is not None:
        try:
            title = clean_line(details.title)
        except Invalid as error:
            errors["title"] = [error.message]
        else:
            if not title:
                errors["title"] = [_("Give the questionnaire a title.")]
            elif len(title) > MAX_TITLE:
                errors["title"] = [_("At most %(num)d characters.", num=MAX_TITLE)]
            else:
                questionnaire.title = title
    if details.intro is not None:
        if "\x00" in details.intro:
            errors["intro"] = [_("This text holds a character that is not allowed.")]
        elif len(details.intro) > MAX_INTRO:
            errors["intro"] = [_("At most %(num)d characters.", num=MAX_INTRO)]
        else:
            questionnaire.intro = details.intro.strip()
            questionnaire.intro_html = render_markdown(questionnaire.intro)
    if details.audience is not None:
        if details.audience not in AUDIENCES:
            errors["audience"] = [_("Choose who may answer.")]
        else:
            questionnaire.audience = details.audience
    if "opens_at" in details.dates_given:
        questionnaire.opens_at = details.opens_at
    if "closes_at" in details.dates_given:
        questionnaire.closes_at = details.closes_at
    if (
        questionnaire.opens_at is not None
        and questionnaire.closes_at is not None
        and questionnaire.closes_at <= questionnaire.opens_at
    ):
        errors["closes_at"] = [_("The closing date comes after the opening date.")]
    if errors:
        raise Invalid(_("Some fields are not valid."), errors)


def create_questionnaire(
    member: Member,
    community: Community | None,
    details: Details,
    questions: list[dict[str, Any]] | None = None,
) -> Questionnaire:
    """A gardener (or staff) writes a new questionnaire, as a draft."""
    require(permissions.can_create(member, community), member)
    questionnaire = Questionnaire(
        community_id=community.id if community is not None else None,
        author_id=member.id,
        title="",
        intro="",
        intro_html="",
        audience="anyone",
        status="draft",
    )
    if details.title is None:
        details.title = ""
    _apply_details(questionnaire, details)
    db.session.add(questionnaire)
    db.session.flush()
    if questions:
        write_questions(questionnaire, questions)
    return questionnaire


def update_questionnaire(
    member: Member,
    questionnaire: Questionnaire,
    details: Details,
    questions: list[dict[str, Any]] | None = None,
) -> Questionnaire:
    """Change the text, dates, audience or questions (answers already given stay valid)."""
    require(permissions.can_edit(member, questionnaire), member)
    answered = has_responses(questionnaire)
    if answered and details.audience not in (None, questionnaire.audience):
        raise Conflict(_("People have answered: who may answer no longer changes."))
    _apply_details(questionnaire, details)
    if questions is not None:
        write_questions(questionnaire, questions)
    db.session.flush()
    return questionnaire


# --- questions ------------------------------------------------------------------------------


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


# --- life cycle -----------------------------------------------------------------------------


def open_questionnaire(member: Member, questionnaire: Questionnaire) -> Questionnaire:
    """Open to answers (from its opening date, if one is set)."""
    require(permissions.can_edit(member, questionnaire), member)
    if not questionnaire.questions:
        raise Invalid(_("Add at least one question first."))
    now = utcnow()
    if questionnaire.closes_at is not None and questionnaire.closes_at <= now:
        raise Invalid(
            _("The closing date has passed: set a later one first."),
            {"closes_at": [_("Choose a date to come.")]},
        )
    if questionnaire.status != "open":
        questionnaire.status = "open"
        db.session.flush()
        signals.questionnaire_opened.send(questionnaire, actor=member)
    return questionnaire


def close_questionnaire(member: Member, questionnaire: Questionnaire) -> Questionnaire:
    """Stop taking answers; the results become public."""
    require(permissions.can_edit(member, questionnaire), member)
    if questionnaire.status == "draft":
        raise Conflict(_("A draft is not open: there is nothing to close."))
    now = utcnow()
    if questionnaire.status != "closed":
        questionnaire.status = "closed"
        if questionnaire.closes_at is None or questionnaire.closes_at > now:
            questionnaire.closes_at = now
        db.session.flush()
        signals.questionnaire_closed.send(questionnaire, actor=member)
    return questionnaire


def publish_follow_up(member: Member, questionnaire: Questionnaire, body: str) -> Questionnaire:
    """Say what was done with the answers; those who answered as members are told."""
    require(permissions.can_edit(member, questionnaire), member)
    if questionnaire.state(utcnow()) != "closed":
        raise Conflict(_("Close the questionnaire before saying what was done with the answers."))
    if not isinstance(body, str) or "\x00" in body:
        raise Invalid(
            _("This text holds a character that is not allowed."), {"body": [_("Invalid text.")]}
        )
    body = body.strip()
    if not body:
        raise Invalid(_("Write what was done with the answers."), {"body": [_("Write something.")]})
    if len(body) > MAX_FOLLOW_UP:
        raise Invalid(
            _("At most %(num)d characters.", num=MAX_FOLLOW_UP),
            {"body": [_("At most %(num)d characters.", num=MAX_FOLLOW_UP)]},
        )
    questionnaire.follow_up = body
    questionnaire.follow_up_html = render_markdown(body)
    questionnaire.follow_up_at = utcnow()
    db.session.flush()
    signals.follow_up_published.send(questionnaire, actor=member)
    return questionnaire


def respondent_members(questionnaire: Questionnaire) -> list[Member]:
    """Members who answered on the web (one query)."""
    return list(
        db.session.execute(
            select(Member)
            .join(Response, Response.member_id == Member.id)
            .where(Response.questionnaire_id == questionnaire.id)
        ).scalars()
    )


def latest_follow_ups(
    member: Member | None, community: Community, limit: int = 3
) -> list[Questionnaire]:
    """The community's questionnaires with a published follow-up that `member` may read,
    newest first."""
    return list(
        db.session.execute(
            select(Questionnaire)
            .where(
                Questionnaire.community_id == community.id,
                Questionnaire.follow_up_at.is_not(None),
                readable_clause(member),
            )
            .order_by(Questionnaire.follow_up_at.desc())
            .limit(limit)
            .options(raiseload(Questionnaire.questions))
        ).scalars()
    )


def open_in(
    member: Member | None, community: Community, now: datetime | None = None
) -> list[Questionnaire]:
    """The community's questionnaires taking answers now that `member` may read."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Questionnaire)
        .where(
            Questionnaire.community_id == community.id,
            Questionnaire.status == "open",
            readable_clause(member),
        )
        .options(raiseload(Questionnaire.questions))
    ).scalars()
    return [q for q in rows if q.state(now) == "open"]
