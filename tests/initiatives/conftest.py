from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.conftest import built_once, load_rows
from tests.factories import make_community, make_member


@pytest.fixture
def world(_world_rows):
    """The world of `build_world`, built once per module (`built_once`); each test starts
    from it, in a savepoint rolled back after it."""
    return load_rows(_world_rows)


def build_world():
    """Two communities with their gardener pairs, staff, an author and a bystander."""
    agent, maryse = make_member("staff"), make_member()
    other_technician, other_citizen = make_member("staff"), make_member()
    community = make_community(technician=agent, citizen=maryse)
    other = make_community(technician=other_technician, citizen=other_citizen)
    member_of_it = make_member()
    from tests.factories import make_membership

    make_membership(community, member_of_it)
    return SimpleNamespace(
        agent=agent,
        gardener=maryse,
        other_gardener=other_citizen,
        community=community,
        other=other,
        author=make_member(),
        citizen=make_member(),
        member_of_it=member_of_it,
        staff=make_member("staff"),
        admin=make_member("admin"),
    )


_world_rows = built_once(build_world)


@pytest.fixture(autouse=True)
def _request(app):
    """Services speak French through Flask-Babel, which reads the request's locale."""
    with app.test_request_context():
        yield


@pytest.fixture
def as_member():
    """Forget who the previous request was: the tests' app context keeps `g` between requests."""

    def forget() -> None:
        from flask import g

        g.pop("_login_user", None)

    return forget
