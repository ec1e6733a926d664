"""Where a member belongs is read once per request (`communities.belonging`), and read again
as soon as the request writes."""

from __future__ import annotations

from sqlalchemy import select

from community.communities import permissions
from community.communities.models import GardenerMandate
from community.core.models import utcnow
from community.extensions import db
from tests.factories import make_community, make_member, make_membership


def test_a_page_reads_her_mandates_and_memberships_once(app, queries) -> None:
    gardener = make_member()
    gardened = [make_community(citizen=gardener) for _ in range(2)]
    other = make_community()
    make_membership(other, gardener, status="banned")
    db.session.flush()
    with app.test_request_context(), queries() as log:
        for _ in range(3):  # a header, a menu and a list ask again and again
            assert [permissions.is_gardener(gardener, c) for c in gardened] == [True, True]
            assert not permissions.is_gardener(gardener, other)
            assert permissions.holds_citizen_side(gardener, gardened[0])
            assert permissions.gardens_any(gardener)
            assert permissions.moderated_community_ids(gardener) == sorted(c.id for c in gardened)
            assert permissions.membership_of(gardener, other).status == "banned"  # type: ignore[union-attr]
            assert not permissions.offered_to_join(gardener, other)
    mandates = [s for s in log.statements if "FROM gardener_mandates" in s]
    memberships = [s for s in log.statements if "FROM memberships" in s]
    assert len(mandates) == 1, mandates
    # Her membership of `other`, and the list of her bans (asked once she gardens somewhere).
    assert len(memberships) == 2, memberships


def test_what_the_request_writes_is_read_again(app) -> None:
    gardener = make_member()
    community = make_community(citizen=gardener)
    with app.test_request_context():
        assert permissions.is_gardener(gardener, community)
        mandate = db.session.execute(
            select(GardenerMandate).where(GardenerMandate.member_id == gardener.id)
        ).scalar_one()
        mandate.ended_at = utcnow()
        # Not flushed yet: the memo is not read while the session holds a change.
        assert not permissions.is_gardener(gardener, community)
        db.session.flush()
        assert not permissions.is_gardener(gardener, community)
        assert permissions.moderated_community_ids(gardener) == []
        assert permissions.membership_of(gardener, community).status == "active"  # type: ignore[union-attr]
        permissions.membership_of(gardener, community).status = "left"  # type: ignore[union-attr]
        db.session.flush()
        assert permissions.membership_of(gardener, community).status == "left"  # type: ignore[union-attr]


def test_a_statement_that_writes_is_read_again(app) -> None:
    """A write that is no flush (an UPDATE or DELETE the session executes, a cascade of the
    database) drops the memo too: the mandate ended here is not read as held."""
    from sqlalchemy import update

    gardener = make_member()
    community = make_community(citizen=gardener)
    with app.test_request_context():
        assert permissions.is_gardener(gardener, community)
        db.session.execute(
            update(GardenerMandate)
            .where(GardenerMandate.member_id == gardener.id)
            .values(ended_at=utcnow())
        )
        assert not permissions.is_gardener(gardener, community)
        assert not permissions.gardens_any(gardener)
