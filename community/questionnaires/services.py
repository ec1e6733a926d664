"""Writing, opening, closing and following up questionnaires.

Services take the acting member, authorise first, validate, flush, and never commit. The
questions are written in `questions.py`; what a member may read is in `queries.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import raiseload

from community.communities.models import Community
from community.core.content import render_markdown
from community.core.errors import Conflict, Invalid, NotFound
from community.core.models import utcnow
from community.core.permissions import require
from community.extensions import db
from community.members.models import Member
from community.questionnaires import permissions, signals
from community.questionnaires.models import AUDIENCES, Questionnaire
from community.questionnaires.queries import (
    has_responses,
    readable_clause,
    results_released,
    valid_id,
)
from community.questionnaires.questions import clean_line, write_questions

MAX_TITLE = 200
MAX_INTRO = 4000
MAX_FOLLOW_UP = 6000


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
    released, closed_at = results_released(questionnaire, utcnow()), questionnaire.closes_at
    _apply_details(questionnaire, details)
    if released and questionnaire.closes_at != closed_at:
        raise _released_once()
    if questions is not None:
        write_questions(questionnaire, questions)
    db.session.flush()
    return questionnaire


# --- life cycle -----------------------------------------------------------------------------


def _released_once() -> Conflict:
    """Opening again what has published its results (`queries.results_released`)."""
    return Conflict(
        _(
            "Its results are public: this questionnaire does not open again. "
            "To ask again, write a new questionnaire."
        ),
        {"closes_at": [_("The closing date of a questionnaire whose results are public stays.")]},
    )


def open_questionnaire(member: Member, questionnaire: Questionnaire) -> Questionnaire:
    """Open to answers (from its opening date, if one is set)."""
    require(permissions.can_edit(member, questionnaire), member)
    if not questionnaire.questions:
        raise Invalid(_("Add at least one question first."))
    now = utcnow()
    if results_released(questionnaire, now):
        raise _released_once()
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
