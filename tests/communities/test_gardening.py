"""Who gardens what right now: ONE definition of a mandate in office
(`GardenerMandate.in_office`, on a row and in SQL) and the queries every domain builds on it
(`communities.gardening`). `tests/core/test_seams.py` fails on a copy of the criterion."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from community.communities.gardening import gardened_ids, gardeners_of
from community.communities.models import GardenerMandate
from community.core.models import utcnow
from community.extensions import db
from tests.factories import make_community, make_member


def _mandate(member_id: int, community_id: int) -> GardenerMandate:
    return db.session.execute(
        select(GardenerMandate).where(
            GardenerMandate.member_id == member_id, GardenerMandate.community_id == community_id
        )
    ).scalar_one()


def _in_office(entity: type[GardenerMandate], mandate_id: int) -> bool:
    found = db.session.execute(
        select(entity.id).where(entity.id == mandate_id, entity.in_office)
    ).scalar_one_or_none()
    return found is not None


def test_a_mandate_is_in_office_until_it_ends_on_a_row_and_in_sql(app):
    gardener = make_member()
    community = make_community(citizen=gardener)
    mandate = _mandate(gardener.id, community.id)
    readable_mandate = aliased(GardenerMandate)  # the rules that correlate use an alias
    assert mandate.in_office
    assert _in_office(GardenerMandate, mandate.id)
    assert _in_office(readable_mandate, mandate.id)  # type: ignore[arg-type]
    mandate.ended_at = utcnow()
    db.session.flush()
    assert not mandate.in_office
    assert not _in_office(GardenerMandate, mandate.id)
    assert not _in_office(readable_mandate, mandate.id)  # type: ignore[arg-type]


def test_gardened_ids_are_the_communities_she_gardens_now(app):
    she = make_member("staff")
    technician_of = make_community(technician=she)
    citizen_of = make_community(citizen=she)
    handed_over = make_community(technician=she)
    _mandate(she.id, handed_over.id).ended_at = utcnow()
    make_community(members=(she,))  # a member, not a gardener
    make_community(technician=make_member("staff"))  # someone else's
    db.session.flush()
    expected = {technician_of.id, citizen_of.id}
    assert set(db.session.execute(gardened_ids(she)).scalars()) == expected
    assert set(db.session.execute(gardened_ids(she.id)).scalars()) == expected
    assert set(db.session.execute(gardened_ids(make_member())).scalars()) == set()


def test_gardeners_of_a_community_are_those_in_office(app):
    technician, citizen, before = make_member("staff"), make_member(), make_member()
    community = make_community(technician=technician, citizen=before)
    _mandate(before.id, community.id).ended_at = utcnow()
    db.session.flush()
    db.session.add(GardenerMandate(community=community, member=citizen, side="citizen"))
    make_community(technician=make_member("staff"))  # another community's gardener
    db.session.flush()
    found = set(db.session.execute(gardeners_of(community.id)).scalars())
    assert found == {technician, citizen}
