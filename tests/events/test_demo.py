"""The demo shows every case: past rencontres with a compte rendu, one full with a waiting
list, a weekly permanence, one cancelled."""

from __future__ import annotations

from sqlalchemy import func, select

from community.core.models import utcnow
from community.demo import seed_demo
from community.events.models import Event
from community.extensions import db
from tests.conftest import page_text


def test_the_demo_rencontres(client):
    seed_demo()
    db.session.flush()
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
