"""Issue 13: the town's answer where people look, truthfully signed; authors get their own
words and acts; a gardener never answers her own initiative, an author never supports it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.core.errors import Forbidden
from community.core.models import utcnow
from community.core.todo import items_for
from community.extensions import db
from community.initiatives import backing, lifecycle, permissions
from tests.conftest import page_text
from tests.initiatives.factories import make_initiative


def test_the_answer_box_shows_the_town_through_its_agent(client, world):
    initiative = make_initiative(world.author, community=world.community)
    lifecycle.change_status(world.agent, initiative, "accepted", "On s'en occupe en mars.")
    html = page_text(client.get(f"/initiatives/{initiative.id}"))
    box = html[html.index("Réponse de la collectivité") : html.index("Participer")]
    assert "On s'en occupe en mars." in box
    assert f"par son agent {world.agent.display_name}" in box
    assert "Et ensuite" in box and "la réaliser" in box
    # Under the title, before the summary.
    assert html.index("Réponse de la collectivité") < html.index('class="lead"')


def test_a_citizen_gardener_speaks_for_the_community_not_the_town(client, world):
    initiative = make_initiative(world.author, community=world.community)
    lifecycle.change_status(world.gardener, initiative, "under_review", "On regarde ça.")
    html = page_text(client.get(f"/initiatives/{initiative.id}"))
    assert "Réponse de la communauté" in html and "Réponse de la collectivité" not in html
    assert "répond pour la communauté (pas pour la collectivité)" in html


def test_no_answer_yet_says_when_it_is_due(client, world):
    initiative = make_initiative(
        world.author, community=world.community, awaiting_since=utcnow() - timedelta(days=1)
    )
    html = page_text(client.get(f"/initiatives/{initiative.id}"))
    assert "Pas encore de réponse." in html and "La collectivité répond avant le" in html


def test_the_author_gets_her_own_words_never_the_staff_form(client, world):
    initiative = make_initiative(world.author, community=world.community)
    client.login_as(world.author)
    html = page_text(client.get(f"/initiatives/{initiative.id}"))
    assert "Retirer ma proposition" in html
    assert "Nouveau statut" not in html and "Répondre publiquement" not in html
    assert "Je soutiens" not in html  # her own idea
    client.post_form(f"/initiatives/{initiative.id}/status", {"status-status": "withdrawn"})
    db.session.expire_all()
    assert initiative.status == "withdrawn"


def test_an_informal_initiative_asks_the_town_for_help(client, world):
    initiative = make_initiative(world.author, informal=True)
    client.login_as(world.author)
    html = page_text(client.get(f"/initiatives/{initiative.id}"))
    assert "Demander l'aide de la collectivité" in html
    client.post_form(
        f"/initiatives/{initiative.id}/status",
        {"status-status": "under_review", "status-answer": "Il nous faut un local."},
    )
    db.session.expire_all()
    assert initiative.status == "under_review" and initiative.awaiting_since is not None


def test_a_gardener_never_answers_her_own_initiative(client, world):
    own = make_initiative(world.gardener, community=world.community)
    assert not permissions.can_answer(world.gardener, own)
    assert permissions.can_answer(world.agent, own)  # the other side of the pair
    with pytest.raises(Forbidden):
        lifecycle.change_status(world.gardener, own, "accepted", "Oui !")
    client.login_as(world.gardener)
    assert (
        client.post_form(f"/initiatives/{own.id}/status", {"status-status": "accepted"}).status_code
        == 403
    )


def test_the_inbox_leaves_her_own_initiative_to_the_other_side(world):
    since = utcnow() - timedelta(days=40)
    own = make_initiative(world.gardener, community=world.community, awaiting_since=since)
    theirs = make_initiative(world.author, community=world.community, awaiting_since=since)
    titles = [i.title for i in items_for(world.gardener)]
    assert titles.count(own.title) == 0 or own.title == theirs.title
    assert any(i.url == f"/initiatives/{theirs.id}#answer" for i in items_for(world.gardener))
    assert all(i.url != f"/initiatives/{own.id}#answer" for i in items_for(world.gardener))
    assert any(i.url == f"/initiatives/{own.id}#answer" for i in items_for(world.agent))
    [first, *_] = items_for(world.agent)
    assert first.overdue(utcnow())


def test_an_author_cannot_support_her_own_idea(world):
    initiative = make_initiative(world.author, community=world.community)
    with pytest.raises(Forbidden):
        backing.support(world.author, initiative)
    assert backing.support(world.citizen, initiative)
