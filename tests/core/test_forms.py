"""Numbers a form reads are bounded like every other door's (core/forms.py, core/edge.py):
attacker walk, `/report?target_type=message&target_id=1180591620717411303424` was a 500
(OverflowError), and so was the form's POST, for messages, initiatives and members."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm
from wtforms import IntegerField

import community
from community.core.forms import BoundedIntegerField
from tests.factories import make_member

HUGE = "1180591620717411303424"


def _forms() -> list[type]:
    for module in pkgutil.walk_packages(community.__path__, "community."):
        if ".translations" not in module.name:
            importlib.import_module(module.name)

    def below(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *below(sub))]

    return [f for f in below(FlaskForm) if f.__module__.startswith("community.")]


def test_every_form_reads_numbers_through_a_bounded_field() -> None:
    forms = _forms()
    assert len(forms) > 30
    loose = []
    for form in forms:
        for name in dir(form):
            unbound = getattr(form, name, None)
            field_class = getattr(unbound, "field_class", None)
            if not isinstance(field_class, type):
                continue
            where = f"{form.__module__}.{form.__name__}.{name}"
            if issubclass(field_class, IntegerField) and not issubclass(
                field_class, BoundedIntegerField
            ):
                loose.append(where)
            if getattr(unbound, "kwargs", {}).get("coerce") is int:  # bounded_int, optional_int
                loose.append(where)
    assert loose == []


@pytest.mark.parametrize("target_type", ["message", "initiative", "member"])
def test_a_report_of_an_id_no_column_holds_is_a_404(client, target_type) -> None:
    client.login_as(make_member())
    page = client.get(f"/report?target_type={target_type}&target_id={HUGE}")
    assert page.status_code == 404
    posted = client.post_form(
        "/report", {"target_type": target_type, "target_id": HUGE, "reason": "spam"}
    )
    assert posted.status_code == 404


def test_a_number_no_column_holds_is_a_form_message(client) -> None:
    member = make_member(display_name="Avant")
    client.login_as(member)
    response = client.post_form(
        "/me/edit",
        {"display_name": "Avant", "locale": "fr", "neighbourhood_id": HUGE, "theme_ids": HUGE},
    )
    assert response.status_code in (200, 422)
    assert member.neighbourhood_id is None


def test_a_form_field_named_after_a_list_column_is_a_lines_field() -> None:
    """An edit form is filled from its object (`Form(obj=…)`); a field the request leaves out
    keeps the object's value. A list column (a member's skills, an initiative's needs) read
    by a text field was a list where the view expected text: `/me/edit` and
    `/initiatives/<id>/edit` posted without that field were 500s. Such a field is a
    `LinesField`, which holds a list whichever way it is filled."""
    from sqlalchemy import JSON

    from community.core.forms import LinesField
    from community.extensions import db

    list_columns = {
        column.key
        for mapper in db.Model.registry.mappers
        for column in mapper.columns
        if isinstance(column.type, JSON)
        and "Mapped[list[" in str(mapper.class_.__annotations__.get(column.key, ""))
    }
    assert {"skills", "needs"} <= list_columns
    loose = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _forms()
        for name in list_columns
        if (field := getattr(form, name, None)) is not None
        and getattr(field, "field_class", None) is not LinesField
    ]
    assert not loose, loose


@pytest.mark.parametrize("form_page", ["profile", "initiative"])
def test_an_edit_form_posted_without_its_list_field_keeps_the_list(client, form_page) -> None:
    from community.extensions import db
    from tests.initiatives.factories import make_initiative

    member = make_member()
    member.skills = ["compostage", "vélo"]
    initiative = make_initiative(author=member, needs=["des bras", "une salle"])
    db.session.flush()
    client.login_as(member)
    url = "/me/edit" if form_page == "profile" else f"/initiatives/{initiative.id}/edit"
    answer = client.post_form(url, {})
    assert answer.status_code in (302, 422), answer.status_code
    db.session.expire_all()
    assert member.skills == ["compostage", "vélo"]
    assert initiative.needs == ["des bras", "une salle"]
