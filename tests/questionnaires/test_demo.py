"""The demo commune: one open questionnaire answered on every channel across neighbourhoods,
one closed with its results and its follow-up."""

from __future__ import annotations

from sqlalchemy import func, select

from community.demo import seed_demo
from community.extensions import db
from community.notifications.models import Notification
from community.questionnaires.models import Questionnaire, Response
from community.questionnaires.results import publication_of


def test_demo_questionnaires(request_context) -> None:
    seed_demo()
    closed, opened = db.session.execute(select(Questionnaire).order_by(Questionnaire.id)).scalars()
    assert opened.status == "open" and closed.status == "closed" and closed.follow_up_html
    for questionnaire in (opened, closed):
        channels = dict(
            db.session.execute(
                select(Response.channel, func.count())
                .where(Response.questionnaire_id == questionnaire.id)
                .group_by(Response.channel)
            ).all()
        )
        assert set(channels) == {"web", "paper", "ambassador"}
        places = db.session.execute(
            select(func.count(func.distinct(Response.neighbourhood_id))).where(
                Response.questionnaire_id == questionnaire.id
            )
        ).scalar_one()
        assert places >= 3
    view = publication_of(closed).view()
    assert view["total"] == 26 and view["channels"]["web"] == 18
    told = db.session.query(Notification).filter_by(kind="questionnaire_follow_up").count()
    assert told == 10
