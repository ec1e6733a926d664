"""Measures that read other domains: initiatives, memberships, ambassadors' outreach."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.ambassadors.models import Ambassador, OutreachLog
from community.ambassadors.services import OutreachData, log_outreach
from community.communities.models import Community
from community.core.errors import Invalid
from community.core.models import utcnow
from community.extensions import db
from community.initiatives.models import Initiative
from community.observatory import services
from community.observatory.radar import radar
from community.solidarity.permissions import is_go_between
from tests.factories import (
    make_community,
    make_member,
    make_membership,
    make_neighbourhood,
    make_theme,
)


def active_ambassador(member=None):  # type: ignore[no-untyped-def]
    ambassador = Ambassador(
        member=member or make_member(),
        neighbourhood=make_neighbourhood(),
        mission="Aller vers",
        status="active",
        started_at=utcnow(),
    )
    db.session.add(ambassador)
    db.session.flush()
    return ambassador


def outreach(ambassador, place, themes, people):  # type: ignore[no-untyped-def]
    log = OutreachLog(
        ambassador=ambassador,
        happened_on=utcnow().date() - timedelta(days=1),
        neighbourhood=place,
        place_kind="market",
        people_met=people,
        themes=list(themes),
    )
    db.session.add(log)
    return log


def initiative(place, themes, informal, community=None):  # type: ignore[no-untyped-def]
    item = Initiative(
        title="Une initiative",
        summary="Résumé",
        neighbourhood=place,
        community=community,
        informal=informal,
        status="in_progress" if informal else "proposed",
        themes=list(themes),
    )
    db.session.add(item)
    return item


def test_initiatives_outreach_and_memberships_are_counted() -> None:
    place, other = make_neighbourhood("Aa"), make_neighbourhood("Bb")
    theme, lonely = make_theme("Alpha"), make_theme("Omega")
    community = make_community(theme=theme)
    for _ in range(6):
        make_membership(community, make_member(neighbourhood_id=place.id))
    for _ in range(5):
        initiative(place, [theme], informal=True)
    for _ in range(7):
        initiative(place, [theme, lonely], informal=False)
    ambassador = active_ambassador()
    outreach(ambassador, place, [theme, lonely], 12)
    outreach(ambassador, other, [lonely], 3)
    db.session.flush()
    summary = services.summary(services.parse_period(None, None))
    cells = summary.as_json()["cells"]
    cell = {(c["neighbourhood"]["name"], c["theme"]["name"]): c for c in cells}
    assert cell[("Aa", "Alpha")]["memberships"] == 6
    assert cell[("Aa", "Alpha")]["informal_initiatives"] == 5
    assert cell[("Aa", "Omega")]["formal_initiatives"] == 7
    assert cell[("Aa", "Alpha")]["outreach_people"] == 12
    assert cell[("Bb", "Omega")]["outreach_people"] is None  # 3 people: hidden
    # Omega has no community: outreach on it shows under the radar (its 15 people published).
    found = radar(summary)
    assert [(t.name, n) for t, n in found.outreach_themes_without_community] == [("Omega", 15)]


def test_informal_initiatives_no_community_covers() -> None:
    place = make_neighbourhood("Cc")
    covered_theme, open_theme = make_theme("Couvert"), make_theme("Libre")
    make_community(theme=covered_theme)
    for _ in range(5):
        initiative(place, [open_theme], informal=True)
    for _ in range(4):
        initiative(place, [covered_theme], informal=True)
    db.session.flush()
    found = radar(services.summary(services.parse_period(None, None)))
    assert [(i.neighbourhood.name, i.count) for i in found.uncovered_informal] == [("Cc", 5)]


def test_a_community_covers_only_its_own_neighbourhood() -> None:
    """The radar's figure is the direct count (issue 17: the inner EXISTS was uncorrelated and
    took any initiative of a covered neighbourhood as covering them all)."""
    place, elsewhere = make_neighbourhood("Dd"), make_neighbourhood("Ee")
    theme = make_theme("Jardins")
    make_community(theme=theme, neighbourhood_id=elsewhere.id)
    for _ in range(6):
        initiative(place, [theme], informal=True)
    initiative(elsewhere, [theme], informal=True)  # covered where it is
    db.session.flush()
    direct = {}
    for item in db.session.query(Initiative).filter(Initiative.informal.is_(True)):
        covered = any(
            c.theme_id == t.id and c.neighbourhood_id in (None, item.neighbourhood_id)
            for t in item.themes
            for c in db.session.query(Community)
        )
        if not covered and item.community_id is None:
            direct[item.neighbourhood.name] = direct.get(item.neighbourhood.name, 0) + 1
    assert direct == {"Dd": 6}
    found = radar(services.summary(services.parse_period(None, None)))
    assert {i.neighbourhood.name: i.count for i in found.uncovered_informal} == direct


def test_active_ambassadors_record_requests_on_behalf() -> None:
    member = make_member()
    assert not is_go_between(member)
    ambassador = active_ambassador(member)
    assert is_go_between(member)
    ambassador.status = "ended"
    db.session.flush()
    assert not is_go_between(member)


@pytest.mark.parametrize("text", ["Mme Martin 06 12 34 56 78", "ecrire a martin@example.org"])
def test_personal_data_in_outreach_is_refused(text: str) -> None:
    ambassador = active_ambassador()
    with pytest.raises(Invalid) as error:
        log_outreach(
            ambassador.member,
            ambassador,
            OutreachData(
                happened_on=utcnow().date(), place_kind="market", people_met=4, topics=text
            ),
        )
    assert "topics" in (error.value.errors or {})
