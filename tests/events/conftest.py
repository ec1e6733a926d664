from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.ambassadors.factories import make_ambassador
from tests.conftest import built_once, load_rows
from tests.factories import make_community, make_member, make_membership


@pytest.fixture
def world(_world_rows):
    """The world of `build_world`, built once per module (`built_once`); each test starts
    from it, in a savepoint rolled back after it."""
    return load_rows(_world_rows)


def build_world():
    """An open and an on-request community, each person of the permission matrix."""
    agent, gardener = make_member("staff"), make_member()
    community = make_community(technician=agent, citizen=gardener)
    closed_gardener = make_member()
    closed = make_community(visibility="on_request", citizen=closed_gardener)
    other_gardener = make_member()
    make_community(citizen=other_gardener)
    member = make_member()
    make_membership(community, member)
    make_membership(closed, member)
    ambassador, other_ambassador = make_member(), make_member()
    for person in (ambassador, other_ambassador):
        make_membership(community, person)
        make_ambassador(person, community)
    return SimpleNamespace(
        community=community,
        closed=closed,
        agent=agent,
        gardener=gardener,
        closed_gardener=closed_gardener,
        other_gardener=other_gardener,
        member=member,
        ambassador=ambassador,
        other_ambassador=other_ambassador,
        citizen=make_member(),
        staff=make_member("staff"),
        admin=make_member("admin"),
    )


_world_rows = built_once(build_world)


@pytest.fixture(autouse=True)
def _request(app):
    """Services speak French through Flask-Babel, which reads the request's locale."""
    with app.test_request_context():
        yield
