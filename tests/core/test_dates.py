"""Dates typed by people are bounded at every door (core/dates.py), and a date stored out of
any sane range never breaks a page (attacker walk: a questionnaire closing at
9999-12-31T23:30Z made `/questionnaires` a 500 for everyone — Paris time is in the year 10000)."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask_wtf import FlaskForm
from marshmallow import Schema, fields
from sqlalchemy import select
from wtforms.fields import datetime as wtf_datetime

import community
from community.core.dates import (
    FORM_FIELDS,
    MARSHMALLOW_FIELDS,
    BoundedAwareDateTime,
    latest,
    within,
)
from community.core.jinja import day, moment
from community.core.models import UTCDateTime, utcnow
from community.extensions import db
from community.moderation import suspensions
from community.moderation.models import ModerationAction
from community.questionnaires.models import Questionnaire
from tests.factories import make_community, make_member, make_membership, make_thread
from tests.questionnaires.factories import QUESTIONS, make_questionnaire

EXTREMES = (
    "9999-12-31T23:30:00+00:00",
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "1999-12-31T12:00:00+00:00",
)


def _every_module() -> None:
    for module in pkgutil.walk_packages(community.__path__, "community."):
        if ".translations" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def _date_fields(field: Any) -> list[Any]:
    """The date fields in `field`, looking into lists, tuples and dicts of fields."""
    inner = [getattr(field, "inner", None), getattr(field, "value_field", None)]
    inner += list(getattr(field, "tuple_fields", None) or [])
    found = [field] if isinstance(field, (fields.Date, fields.DateTime, fields.Time)) else []
    return found + [f for i in inner if i is not None for f in _date_fields(i)]


def test_every_schema_loads_dates_through_the_bounded_field() -> None:
    _every_module()
    schemas = [s for s in _subclasses(Schema) if s.__module__.startswith("community.")]
    assert len(schemas) > 50
    loose = [
        f"{schema.__module__}.{schema.__name__}.{name}"
        for schema in schemas
        for name, field in schema._declared_fields.items()
        for found in _date_fields(field)
        if not found.dump_only and not isinstance(found, MARSHMALLOW_FIELDS)
    ]
    assert loose == []


def test_every_form_takes_dates_through_the_bounded_field() -> None:
    _every_module()
    forms = [f for f in _subclasses(FlaskForm) if f.__module__.startswith("community.")]
    assert len(forms) > 30
    date_kinds = tuple(
        cls
        for cls in vars(wtf_datetime).values()
        if isinstance(cls, type) and cls.__module__ == wtf_datetime.__name__
    )
    loose = []
    for form in forms:
        for name in dir(form):
            unbound = getattr(form, name, None)
            field_class = getattr(unbound, "field_class", None)
            inner = [a for a in getattr(unbound, "args", ()) if isinstance(a, type)]  # FieldList
            for cls in (field_class, *inner):
                dated = isinstance(cls, type) and issubclass(cls, date_kinds)
                if dated and not issubclass(cls, FORM_FIELDS):  # type: ignore[arg-type]
                    loose.append(f"{form.__module__}.{form.__name__}.{name}")
    assert loose == []


@pytest.mark.parametrize("value", EXTREMES)
def test_the_bounded_field_refuses_the_extremes_in_plain_words(app, value) -> None:
    class Input(Schema):
        at = BoundedAwareDateTime()

    with app.test_request_context(headers={"Accept-Language": "fr"}):
        errors = Input().validate({"at": value})
    assert errors["at"][0].startswith("Choisissez une date entre le 1 janvier 2000 et le ")


def test_the_bounds() -> None:
    today = date(2026, 2, 28)
    assert latest(10, today) == date(2036, 2, 28)
    assert latest(10, date(2028, 2, 29)) == date(2038, 2, 28)
    assert within(utcnow()) and within(date(2000, 1, 1))
    assert not within(date(1999, 12, 31)) and not within(date.today() + timedelta(days=3700))
    assert not within(datetime(9999, 12, 31, 23, 59, tzinfo=UTC))


def test_api_questionnaire_dates_out_of_bounds_are_a_422(client, api_token) -> None:
    gardener = make_member()
    community = make_community(citizen=gardener)
    headers = api_token(gardener)
    for field, value in (("closes_at", EXTREMES[0]), ("opens_at", EXTREMES[1])):
        response = client.post(
            f"/api/v1/communities/{community.slug}/questionnaires",
            json={"title": "Nos jardins", "questions": QUESTIONS, field: value},
            headers={**headers, "Accept-Language": "fr"},
        )
        assert response.status_code == 422, response.get_json()
        assert "Choisissez une date entre" in response.get_json()["errors"][field][0]
    created = make_questionnaire(community, gardener=gardener, status="draft")
    patched = client.patch(
        f"/api/v1/questionnaires/{created.id}", json={"closes_at": EXTREMES[0]}, headers=headers
    )
    assert patched.status_code == 422 and "closes_at" in patched.get_json()["errors"]


def test_page_questionnaire_dates_out_of_bounds_are_a_form_message(client) -> None:
    gardener = make_member()
    community = make_community(citizen=gardener)
    client.login_as(gardener)
    response = client.post_form(
        f"/communities/{community.slug}/questionnaires/new",
        {"title": "Nos jardins", "audience": "anyone", "closes_at": "9999-12-31"},
    )
    assert response.status_code in (200, 422)
    assert "Choisissez une date entre" in response.get_data(as_text=True)
    assert db.session.execute(select(Questionnaire)).first() is None
    form = client.get(f"/communities/{community.slug}/questionnaires/new").get_data(as_text=True)
    assert 'min="2000-01-01"' in form and f'max="{latest().isoformat()}"' in form


def test_api_suspension_until_out_of_bounds_is_a_422(client, api_token) -> None:
    from tests.moderation.factories import make_report

    author = make_member()
    report = make_report(author)
    response = client.post(
        f"/api/v1/moderation/reports/{report.id}/resolve",
        json={"action": "suspend", "reason": "Spam", "until": EXTREMES[0]},
        headers=api_token(make_member("staff")),
    )
    assert response.status_code == 422 and "until" in response.get_json()["errors"]
    assert db.session.execute(select(ModerationAction)).first() is None


def test_a_date_past_year_9999_in_paris_never_breaks_a_page(client) -> None:
    """Stored before the bound (or by hand): the lists and pages show it in UTC."""
    gardener = make_member()
    community = make_community(citizen=gardener)
    questionnaire = make_questionnaire(community, gardener=gardener)
    questionnaire.closes_at = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
    db.session.flush()
    assert client.get("/questionnaires").status_code == 200
    assert client.get(f"/questionnaires/{questionnaire.id}").status_code == 200
    with client.application.test_request_context():
        assert "9999" in day(questionnaire.closes_at) and "9999" in moment(questionnaire.closes_at)


def test_a_suspension_until_year_9999_never_breaks_a_page(client) -> None:
    staff = make_member("staff")
    member = make_member()
    community = make_community()
    make_membership(community, member)
    thread = make_thread(community)
    far = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
    suspensions.suspend_from_platform(staff, member, far, "Spam", notify_member=False)
    db.session.flush()
    client.login_as(staff)
    assert client.get("/moderation/suspensions").status_code == 200
    assert client.get("/moderation/journal").status_code == 200
    client.login_as(member)
    assert client.get(f"/threads/{thread.id}").status_code == 200
    assert client.get("/me/delete").status_code == 200
    posted = client.post_form(f"/threads/{thread.id}", {"body": "Bonjour"})
    assert posted.status_code < 500


def test_storing_an_extreme_moment_never_raises(app) -> None:
    column = UTCDateTime()
    dialect = db.engine.dialect
    minus_twelve = datetime.fromisoformat("9999-12-31T23:59:59-12:00")
    stored = column.process_bind_param(minus_twelve, dialect)
    assert stored is not None and stored.year == 9999
    early = column.process_bind_param(datetime.fromisoformat(EXTREMES[2]), dialect)
    assert early is not None and early.year == 1
