"""The demo data shows what DESIGN.md's "Running it" promises for communities and ambassadors."""

from __future__ import annotations

from sqlalchemy import select

from community.ambassadors import invitations
from community.ambassadors import services as ambassadors
from community.ambassadors.models import Ambassador, OutreachLog
from community.communities import gardener_queries, memberships, services
from community.communities.models import Community
from community.demo import seed_demo
from community.extensions import db


def test_demo_communities_and_ambassadors() -> None:
    ctx = seed_demo()
    communities = list(db.session.execute(select(Community)).scalars())
    cards = services.cards_for(communities)
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
