"""Who may be chosen: the lists of candidates (a new gardener, a successor, an ambassador) and
the services that name them agree. A member suspended from the platform is in none of them
(she could not accept); an ambassador of the community, or one already asked, is not offered
again as its ambassador."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from community.ambassadors import services as ambassadors
from community.communities import pairs
from community.core.errors import Conflict, Invalid
from community.core.models import utcnow
from community.extensions import db
from community.moderation.suspensions import suspend_from_platform
from tests.ambassadors.factories import make_ambassador
from tests.factories import make_community, make_member


@pytest.fixture
def world(app: Flask) -> Any:
    with app.test_request_context():
        staff, gardener = make_member("staff"), make_member(display_name="Jardinière")
        free = make_member(display_name="Libre")
        suspended = make_member(display_name="Suspendue")
        ambassador = make_member(display_name="Déjà porte-voix")
        asked = make_member(display_name="Déjà sollicitée")
        community = make_community(
            technician=staff,
            citizen=gardener,
            members=(free, suspended, ambassador, asked),
        )
        make_ambassador(ambassador, community)
        make_ambassador(asked, community, status="proposed")
        until = utcnow() + timedelta(days=10)
        suspend_from_platform(staff, suspended, until, "Menaces", notify_member=False)
        db.session.flush()
        return {
            "staff": staff,
            "gardener": gardener,
            "free": free,
            "suspended": suspended,
            "ambassador": ambassador,
            "asked": asked,
            "community": community,
        }


def _options(html: str, name: str) -> set[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return set(re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1)))


def test_the_pair_page_offers_no_suspended_member(client: Any, world: Any) -> None:
    client.login_as(world["staff"])
    html = client.get(f"/communities/{world['community'].slug}/gardeners").get_data(as_text=True)
    citizens = _options(html, "citizen_id")
    assert {"Libre", "Jardinière"} <= citizens and "Suspendue" not in citizens


def test_the_successor_list_offers_no_suspended_member(client: Any, world: Any) -> None:
    client.login_as(world["gardener"])
    html = client.get("/communities/dashboard").get_data(as_text=True)
    [name] = set(re.findall(r'name="(h\d+-candidate_id)"', html))
    successors = _options(html, name)
    assert "Libre" in successors and "Suspendue" not in successors


def test_the_ambassador_list_offers_neither_the_suspended_nor_the_ambassadors(
    client: Any, world: Any
) -> None:
    client.login_as(world["gardener"])
    html = client.get(f"/communities/{world['community'].slug}/ambassadors/name").get_data(
        as_text=True
    )
    offered = _options(html, "member_id")
    assert "Libre" in offered
    assert not {"Suspendue", "Déjà porte-voix", "Déjà sollicitée"} & offered


def test_the_services_refuse_a_suspended_candidate(app: Flask, world: Any) -> None:
    with app.test_request_context():
        community = world["community"]
        with pytest.raises(Invalid):
            pairs.propose(world["staff"], community, "citizen", world["suspended"])
        with pytest.raises(Invalid):
            ambassadors.name_ambassador(
                world["gardener"], world["suspended"], "Aller au marché le samedi.", community
            )
        with pytest.raises(Conflict):
            ambassadors.name_ambassador(
                world["gardener"], world["ambassador"], "Aller au marché le samedi.", community
            )
        # A free member is named as before.
        ambassadors.name_ambassador(
            world["gardener"], world["free"], "Aller au marché le samedi.", community
        )
