"""The demo seeder works with and without the communities of the communities seeder."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.demo import DemoContext
from community.extensions import db
from community.initiatives import answers
from community.initiatives.demo import seed
from community.initiatives.models import STATUSES, Initiative, InitiativeUpdate
from community.members import demo as members_demo
from community.territory import demo as territory_demo
from tests.factories import make_community


@pytest.mark.parametrize("with_communities", [False, True])
def test_demo_covers_every_case(with_communities):
    ctx = DemoContext()
    territory_demo.seed(ctx)
    members_demo.seed(ctx)
    db.session.flush()
    if with_communities:
        food = make_community(
            "Alimentation", theme=ctx.themes["alimentation"], technician=ctx.members["agent"],
            citizen=ctx.members["jardinier"],
        )  # fmt: skip
        waste = make_community(
            "Zéro déchet", theme=ctx.themes["dechets-et-reemploi"], technician=ctx.members["agent"],
            citizen=ctx.members["jardinier"],
        )  # fmt: skip
        ctx.extra["communities"] = {food.slug: food, waste.slug: waste, "biodiv": make_community()}
    seed(ctx)
    initiatives = db.session.execute(select(Initiative)).scalars().all()
    assert {i.status for i in initiatives} == set(STATUSES)
    assert any(i.informal for i in initiatives)
    assert any(answers.is_overdue(i) for i in initiatives)
    assert all(i.thread_id for i in initiatives)
    assert db.session.execute(select(InitiativeUpdate)).first() is not None
    assert len({i.neighbourhood_id for i in initiatives}) > 4
    assert len(ctx.extra["initiatives"]) == len(initiatives)
    if with_communities:
        assert any(i.community_id is not None for i in initiatives)
        assert answers.awaiting_answer(ctx.members["jardinier"])
    else:
        assert all(i.spontaneous for i in initiatives)
