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
