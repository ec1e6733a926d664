"""`built_once`: rows built once for a module, the same at every test's start."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.members.models import Member
from tests.conftest import built_once
from tests.factories import make_member

_member_id = built_once(lambda: make_member(display_name="Construit une fois").id)


@pytest.mark.parametrize("run", range(3))
def test_what_a_test_changes_never_reaches_the_next(_member_id: int, run: int) -> None:
    member = db.session.get(Member, _member_id)
    assert member is not None and member.display_name == "Construit une fois"
    assert db.session.scalar(select(func.count()).select_from(Member)) == 1
    member.display_name = f"Changé {run}"
    make_member()
    db.session.commit()  # even committed, it stays inside the test's savepoint
    assert db.session.scalar(select(func.count()).select_from(Member)) == 2


def test_a_test_without_the_rows_sees_them_too(_member_id: int) -> None:
    assert db.session.get(Member, _member_id) is not None
