"""core/handlers.py: one transaction per handler, the typed acting member, the form dance."""

from __future__ import annotations

import pytest

from community.core.errors import Invalid, Unauthenticated
from community.core.handlers import require_member, transaction, transactional
from community.core.signals import on_commit, on_rollback
from community.extensions import db
from community.members.models import Member
from tests.factories import make_member


def test_transactional_commits_once_when_the_handler_returns(app) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    @transactional
    def handler() -> int:
        on_commit(lambda: seen.append("committed"))
        return make_member().id

    member_id = handler()
    assert seen == ["committed"]
    assert db.session.get(Member, member_id) is not None


def test_transaction_rolls_back_on_any_exception(app) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    with pytest.raises(Invalid), transaction():
        member = make_member()  # flushed
        member_id = member.id
        on_commit(lambda: seen.append("committed"))
        on_rollback(lambda: seen.append("rolled back"))
        raise Invalid("non")
    assert seen == ["rolled back"]
    assert db.session.get(Member, member_id) is None


def test_require_member_is_the_member_or_401(app, client) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    db.session.commit()
    with app.test_request_context(), pytest.raises(Unauthenticated):
        require_member()
    client.login_as(member)
    with client:
        client.get("/")
        assert require_member().id == member.id
