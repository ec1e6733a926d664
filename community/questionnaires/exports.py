"""The CSV of a questionnaire's responses (for its gardeners and staff): who answered is never
in it, only the channel, the neighbourhood given and the answers."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from community.core.csvfile import csv_text
from community.extensions import db
from community.questionnaires.models import Questionnaire, Response
from community.territory.models import Neighbourhood


def responses_csv(questionnaire: Questionnaire) -> str:
    """One line per response, one column per question (constant number of queries)."""
    questions = list(questionnaire.questions)
    labels = {o.id: o.label for q in questions for o in q.options}
    places = dict(db.session.execute(select(Neighbourhood.id, Neighbourhood.name)).all())
    responses = db.session.execute(
        select(Response)
        .where(Response.questionnaire_id == questionnaire.id)
        .options(selectinload(Response.answers))
        .order_by(Response.id)
    ).scalars()
    rows: list[list[object]] = [
        [_("response"), _("date"), _("channel"), _("neighbourhood")] + [q.label for q in questions]
    ]
    for response in responses:
        by_question: dict[int, list[str]] = {}
        for answer in response.answers:
            if answer.option_id is not None:
                text = labels.get(answer.option_id, "")
            elif answer.value is not None:
                text = str(answer.value)
            else:
                text = answer.text or ""
            by_question.setdefault(answer.question_id, []).append(text)
        rows.append(
            [
                response.id,
                response.created_at.date().isoformat(),
                response.channel,
                places.get(response.neighbourhood_id or 0, ""),
            ]
            + [" ; ".join(by_question.get(q.id, [])) for q in questions]
        )
    return csv_text(rows)
