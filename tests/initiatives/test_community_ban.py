"""A member suspended from a community (banned) reads it but takes no part in it: she proposes
no initiative there, supports none, lends no hand, edits and tells no news of her own there —
at every door (page, API) and the pages offer her none of it. What she gave before she may
still take back. Elsewhere she takes part as before."""

from __future__ import annotations

from typing import Any

import pytest

from community.core.errors import Forbidden, Invalid
from community.extensions import db
from community.initiatives import backing, services
from community.moderation.suspensions import suspend_from_community
from tests.conftest import page_text
from tests.factories import make_community, make_member
from tests.initiatives.factories import initiative_data, make_initiative


@pytest.fixture
def scene() -> Any:
    technician, banned, author = make_member("staff"), make_member(), make_member()
    community = make_community(technician=technician, members=(banned, author))
    elsewhere = make_community(members=(banned,))
    theirs = make_initiative(author, community=community, title="Des bacs à la Tilleuls")
    own = make_initiative(banned, community=community, title="Mon idée d'avant")
    supported = make_initiative(author, community=community, title="Déjà soutenue")
    backing.support(banned, supported)
    suspend_from_community(technician, banned, community, None, "Insultes", notify_member=False)
    db.session.flush()
    return {
        "community": community, "elsewhere": elsewhere, "banned": banned, "theirs": theirs,
        "own": own, "supported": supported,
    }  # fmt: skip


def test_the_services_refuse_her_in_that_community_only(scene: Any) -> None:
    banned, theirs, own = scene["banned"], scene["theirs"], scene["own"]
    with pytest.raises(Invalid) as refused:
        services.propose(banned, initiative_data(community=scene["community"]))
    assert "community" in refused.value.errors
    with pytest.raises(Forbidden):
        backing.support(banned, theirs)
    with pytest.raises(Forbidden):
        backing.volunteer(banned, theirs, "Je peux aider")
    with pytest.raises(Forbidden):
        services.edit(banned, own, initiative_data(title="Changée"))
    # What she gave before, she takes back.
    backing.withdraw_support(banned, scene["supported"])
    # Elsewhere, as before.
    assert services.propose(banned, initiative_data(community=scene["elsewhere"])).id


def test_the_pages_offer_her_nothing_there_and_refuse_her(scene: Any, client: Any) -> None:
    banned, community, theirs = scene["banned"], scene["community"], scene["theirs"]
    client.login_as(banned)
    page = page_text(client.get(f"/communities/{community.slug}"))
    assert "Proposer une initiative" not in page
    page = page_text(client.get(f"/initiatives/{theirs.id}"))
    assert "Je soutiens" not in page and "Je donne un coup de main" not in page
    assert "Votre participation est suspendue dans cette communauté" in page  # told why
    page = page_text(client.get(f"/initiatives/{scene['own'].id}"))
    assert "Modifier l'initiative" not in page
    assert client.post_form(f"/initiatives/{theirs.id}/support", {}).status_code == 403
    answer = client.post_form(
        f"/initiatives/{theirs.id}/participation", {"message": "Je peux aider"}
    )
    assert answer.status_code == 403
    form = client.post_form(
        "/initiatives/new",
        {"title": "Un nouveau bac", "summary": "Un bac de plus.", "community": community.slug},
    )
    assert form.status_code == 422 and "suspendu" in page_text(form)


def test_the_api_refuses_her_too(scene: Any, client: Any, api_token: Any) -> None:
    headers = api_token(scene["banned"])
    theirs = scene["theirs"]
    assert (
        client.post(f"/api/v1/initiatives/{theirs.id}/support", headers=headers).status_code == 403
    )
    answer = client.post(
        f"/api/v1/initiatives/{theirs.id}/participation", json={"message": "x"}, headers=headers
    )
    assert answer.status_code == 403
