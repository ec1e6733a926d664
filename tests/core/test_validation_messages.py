"""Every message marshmallow gives reaches API clients in French (core/validation.py):
"Not a valid aware datetime." and "Must be greater than or equal to 1 and less than or equal
to 200." came out in English (security review). The field's message is translated before
its values are put in, so that formatted messages are French too."""

from __future__ import annotations

from datetime import UTC

import pytest
from flask_babel import force_locale, gettext
from marshmallow import Schema, fields, validate

from community.core import validation
from community.core.errors import Invalid
from community.core.inputs import load_input
from tests.factories import make_member

FR = {"Accept-Language": "fr"}


def _errors(response) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == "invalid"
    return body["errors"]


@pytest.mark.parametrize(
    "query,said",
    [
        ("limit=0", "Doit être supérieur ou égal à 1 et inférieur ou égal à 200."),
        ("limit=abc", "Ce n'est pas un nombre entier valide."),
        ("after_seq=-1", "Doit être supérieur ou égal à 0."),
    ],
)
def test_query_arguments_are_refused_in_french(client, query, said) -> None:
    errors = _errors(client.get(f"/api/v1/threads/1/messages?{query}", headers=FR))
    assert list(errors.values()) == [[said]]


def test_a_body_is_refused_in_french_field_by_field(client, api_token) -> None:
    headers = {**api_token(make_member("staff")), **FR}
    errors = _errors(
        client.post(
            "/api/v1/solidarity-signals",
            json={"kind": "isolement", "people": 0, "surprise": 1, "neighbourhood_id": "x"},
            headers=headers,
        )
    )
    assert errors["people"][0].startswith("Doit être supérieur ou égal à 1 et inférieur")
    assert errors["surprise"] == ["Champ inconnu."]
    assert errors["contact"] == ["Ce champ est obligatoire."]
    assert errors["neighbourhood_id"] == ["Ce n'est pas un nombre entier valide."]
    assert "Doit être l'une de ces valeurs" in errors["kind"][0]
    strict = _errors(
        client.post(
            "/api/v1/solidarity-signals",
            json={"kind": "isolement", "people": 2.5, "contact": "x"},
            headers=headers,
        )
    )
    assert strict["people"] == ["Ce n'est pas un nombre entier valide."]


def test_a_string_too_long_is_refused_in_french(client, api_token) -> None:
    headers = {**api_token(make_member()), **FR}
    body = {"target_type": "member", "target_id": 1, "reason": "spam", "text": "x" * 1001}
    errors = _errors(client.post("/api/v1/reports", json=body, headers=headers))
    assert errors == {"text": ["Plus long que la longueur maximale (1000)."]}


class _Times(Schema):
    aware = fields.AwareDateTime(required=True)
    naive = fields.NaiveDateTime(required=True)
    day = fields.Date(required=True)
    count = fields.Integer(required=True, validate=validate.Range(min=1))
    name = fields.String(required=True, validate=validate.Length(max=3))
    kind = fields.String(validate=validate.OneOf(["a", "b"]))


def test_each_kind_of_field_is_refused_in_french(app) -> None:
    with app.test_request_context(headers=FR), pytest.raises(Invalid) as refused:
        load_input(
            _Times(),
            {
                "aware": "2024-05-01T10:00",
                "naive": "2024-05-01T10:00+02:00",
                "day": "hier",
                "count": "0",
                "name": "Léonie",
                "kind": "c",
                "other": 1,
            },
        )
    assert refused.value.errors == {
        "aware": ["Ce n'est pas une date et heure avec fuseau horaire valide."],
        "naive": ["Ce n'est pas une date et heure sans fuseau horaire valide."],
        "day": ["Ce n'est pas une date valide."],
        "count": ["Doit être supérieur ou égal à 1."],
        "name": ["Plus long que la longueur maximale (3)."],
        "kind": ["Doit être l'une de ces valeurs\u00a0: a, b."],
        "other": ["Champ inconnu."],
    }
    with app.test_request_context(), force_locale("en"), pytest.raises(Invalid) as en:
        load_input(_Times(), {"aware": "2024-05-01T10:00"}, partial=True)
    assert en.value.errors == {"aware": ["Not a valid aware datetime."]}


def test_a_bounded_aware_datetime_says_so_in_french(app) -> None:
    from community.core.dates import BoundedAwareDateTime

    class Until(Schema):
        until = BoundedAwareDateTime(default_timezone=UTC)

    with app.test_request_context(headers=FR), pytest.raises(Invalid) as refused:
        load_input(Until(), {"until": "bientôt"})
    assert refused.value.errors == {"until": ["Ce n'est pas une date et heure valide."]}


def test_every_message_marshmallow_can_give_has_a_french_translation(app) -> None:
    messages = validation.english_messages()
    assert "Not a valid aware datetime." in messages
    assert "Must be greater than or equal to {min} and less than or equal to {max}." in messages
    with app.test_request_context(), force_locale("fr"):
        untranslated = [m for m in messages if gettext(m) == m]
    assert untranslated == []
    assert set(messages) <= set(validation.MESSAGES)  # so that the extractor finds them
