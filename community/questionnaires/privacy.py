"""A response is personal data only when it carries a member (answered on the web while
logged in): it is in that member's export, and on erasure the answers stay, unlinked."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from community.extensions import db
from community.members.signals import erasing, exporting
from community.questionnaires.models import Questionnaire, Response


@exporting.connect
def _export(member: Any, **_kw: Any) -> dict[str, list[dict[str, Any]]]:
    responses = list(
        db.session.execute(
            select(Response)
            .where(Response.member_id == member.id)
            .options(selectinload(Response.answers))
            .order_by(Response.id)
        ).scalars()
    )
    # One query for the questionnaires (their questions and options load with them).
    questionnaires = {
        q.id: q
        for q in db.session.execute(
            select(Questionnaire).where(
                Questionnaire.id.in_({r.questionnaire_id for r in responses})
            )
        ).scalars()
    }
    rows = []
    for response in responses:
        questionnaire = questionnaires.get(response.questionnaire_id)
        labels = (
            {o.id: o.label for q in questionnaire.questions for o in q.options}
            if questionnaire
            else {}
        )
        questions = {q.id: q.label for q in questionnaire.questions} if questionnaire else {}
        rows.append(
            {
                "questionnaire_id": response.questionnaire_id,
                "questionnaire": questionnaire.title if questionnaire else None,
                "channel": response.channel,
                "neighbourhood_id": response.neighbourhood_id,
                "created_at": response.created_at.isoformat(),
                "answers": [
                    {
                        "question": questions.get(a.question_id),
                        "option": labels.get(a.option_id) if a.option_id else None,
                        "value": a.value,
                        "text": a.text,
                    }
                    for a in response.answers
                ],
            }
        )
    return {"questionnaire_responses": rows}


@erasing.connect
def _unlink(member: Any, **_kw: Any) -> None:
    # The answers count in the results and stay; nothing ties them to the person any more.
    # (The foreign key would set it to null too; doing it here also drops the typist's id.)
    db.session.execute(
        update(Response).where(Response.member_id == member.id).values(member_id=None)
    )
    db.session.execute(
        update(Response).where(Response.recorded_by_id == member.id).values(recorded_by_id=None)
    )
