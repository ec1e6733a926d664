"""Errors are answered, whatever broke (issue 12, finding 13): the JSON and HTML error
handlers roll back first and query nothing, so a broken session (an aborted PostgreSQL
transaction, a failed flush) still gets the one JSON shape or the French page."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import text

from community.extensions import db
from community.members.models import Member
from tests.factories import make_member


def _failed_flush() -> None:
    """A flush that fails: the session refuses every query until it is rolled back."""
    taken = db.session.execute(text("SELECT email FROM members LIMIT 1")).scalar_one()
    db.session.add(Member(email=taken, display_name="Doublon", display_name_key="doublon"))
    db.session.flush()


def _failed_statement() -> None:
    """A statement that fails: on PostgreSQL, the transaction is aborted."""
    db.session.execute(text("SELECT * FROM no_such_table"))


@pytest.fixture
def broken(app, monkeypatch):  # type: ignore[no-untyped-def]
    """`broken(endpoint, failure)`: that endpoint fails the way `failure` does."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def install(endpoint: str, failure) -> None:  # type: ignore[no-untyped-def]
        def view(*_args: object, **_kwargs: object) -> None:
            failure()

        monkeypatch.setitem(app.view_functions, endpoint, view)

    return install


@pytest.mark.parametrize("failure", [_failed_flush, _failed_statement])
def test_the_api_answers_the_json_shape_after_a_database_error(
    client, api_token, broken, caplog, failure
):
    header = api_token(make_member())
    broken("territory-api.list_themes", failure)
    with caplog.at_level(logging.ERROR):
        answer = client.get("/api/v1/themes", headers=header)
    assert answer.status_code == 500
    body = answer.get_json()
    assert body["code"] == "server_error" and body["status"] == 500
    reference = re.search(r"référence ([0-9a-f]{8})", body["message"])
    assert reference, body["message"]
    assert any(reference.group(1) in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("failure", [_failed_flush, _failed_statement])
def test_the_pages_answer_the_french_page_after_a_database_error(client, broken, failure):
    member = make_member()
    client.login_as(member)  # the member is not loaded yet when the view breaks
    broken("core.home", failure)
    answer = client.get("/")
    assert answer.status_code == 500
    page = answer.get_data(as_text=True)
    assert "Un problème est survenu" in page and "référence" in page


def test_a_refusal_keeps_nothing_the_request_had_flushed(app, client, api_token, monkeypatch):
    from community.core.errors import Invalid

    member = make_member()
    header = api_token(member)

    def half_done() -> None:
        db.session.get(Member, member.id).bio = "à moitié écrit"
        db.session.flush()
        raise Invalid("Refusé.")

    monkeypatch.setitem(app.view_functions, "territory-api.list_themes", half_done)
    assert client.get("/api/v1/themes", headers=header).status_code == 422
    db.session.expire_all()
    assert db.session.get(Member, member.id).bio == ""
