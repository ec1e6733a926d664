"""The demo commune shows what DESIGN.md's "Running it" promises, domain by domain.

Seeded once for the module (it takes seconds); each test reads it in a savepoint rolled back
after it. Seeding an empty database from the command line is tests/core/test_cli.py's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from community.ambassadors import invitations
from community.ambassadors import services as ambassadors
from community.ambassadors.models import Ambassador, OutreachLog
from community.communities import gardener_queries, memberships
from community.communities import services as communities
from community.communities.models import Community
from community.core.models import utcnow
from community.demo import seed_demo
from community.events.models import Event
from community.extensions import db
from community.notifications.models import Notification
from community.observatory import services as observatory
from community.questionnaires.models import Questionnaire, Response
from community.questionnaires.results import publication_of
from community.solidarity.models import HelpOffer, HelpProposal, HelpRequest, SolidaritySignal
from tests.conftest import built_once, load_rows, page_text

demo = built_once(seed_demo)


def test_communities_and_ambassadors(demo: Any) -> None:
    ctx = load_rows(demo)
    cards = communities.cards_for(list(db.session.execute(select(Community)).scalars()))
    assert len(cards) >= 5
    assert {c.community.visibility for c in cards} == {"open", "on_request"}
    assert any(c.pair_complete for c in cards) and any(not c.pair_complete for c in cards)
    agent, jardinier = ctx.members["agent"], ctx.members["jardinier"]
    assert sum(1 for c in cards if c.technician is agent) >= 2
    assert any(c.citizen is jardinier and c.community.visibility == "open" for c in cards)
    assert memberships.pending_requests_for(ctx.members["admin"])
    assert gardener_queries.handovers_for(jardinier)
    yanis = db.session.execute(
        select(Ambassador).where(
            Ambassador.member_id == ctx.members["porte-voix"].id, Ambassador.status == "active"
        )
    ).scalar_one()
    reach = invitations.reach_of(yanis)
    assert (
        len(reach) >= 2 and sum(r.joined for r in reach) > 0 and sum(r.engaged for r in reach) > 0
    )
    entries = db.session.execute(
        select(OutreachLog).where(OutreachLog.ambassador_id == yanis.id)
    ).all()
    assert len(entries) >= 3
    assert ambassadors.public_ambassadors(yanis.community)  # type: ignore[arg-type]


def test_rencontres(demo: Any, client: Any) -> None:
    """Past rencontres with a compte rendu, one full with a waiting list, a weekly permanence,
    one cancelled."""
    events = db.session.execute(select(Event)).scalars().all()
    now = utcnow()
    assert any(e.report_html for e in events)
    assert any(e.is_full() and e.waitlist_count > 0 and e.starts_at > now for e in events)
    assert any(e.status == "cancelled" for e in events)
    series = db.session.execute(
        select(Event.series_id, func.count())
        .where(Event.series_id.is_not(None))
        .group_by(Event.series_id)
    ).all()
    assert [count for _series, count in series] == [3]
    assert all(e.thread_id for e in events)
    page = page_text(client.get("/communities/compost-tilleuls"))
    assert "12 personnes sont venues aux 3 dernières rencontres." in page
    assert "Atelier : fabriquer son lombricomposteur" in page


def test_questionnaires(demo: Any, request_context: Any) -> None:
    """One open questionnaire answered on every channel across neighbourhoods, one closed with
    its results and its follow-up."""
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


def test_the_observatory_has_published_and_hidden_cells(demo: Any) -> None:
    ctx = load_rows(demo)
    assert HelpOffer.query.count() > 20 and HelpRequest.query.count() > 20
    assert SolidaritySignal.query.count() > 10
    assert HelpProposal.query.filter_by(status="accepted").count() >= 1
    assert HelpProposal.query.filter_by(status="done").count() >= 1
    assert HelpRequest.query.filter_by(on_behalf=True).count() == 1
    assert HelpRequest.query.filter_by(author_id=ctx.members["habitant"].id).count() == 1
    summary = observatory.summary(observatory.parse_period(None, None))
    for key in ("help_offers", "help_requests", "solidarity_signals"):
        cells = [v for row in summary.table(key).published.cells for v in row]
        assert any(v is None for v in cells), key
        assert any(v is not None and v >= 5 for v in cells), key
