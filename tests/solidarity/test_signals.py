"""Solidarity signals: no personal data, retention, who sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.core.errors import Unauthenticated
from community.core.models import utcnow
from community.extensions import db
from community.solidarity.models import SolidaritySignal
from community.solidarity.services import Place, archive_signals, months_ago, record_signal
from tests.factories import make_community, make_member, make_neighbourhood, make_theme
from tests.solidarity.factories import make_signal


def payload(theme, place, **overrides):  # type: ignore[no-untyped-def]
    return {
        "theme_id": theme.id,
        "neighbourhood_id": place.id,
        "kind": "neighbour_help",
        "people": 4,
        "contact": "via_ambassador",
        "text": "Des voisins font les courses pour une personne âgée, résidence des Lilas.",
        **overrides,
    }


def test_api_records_a_signal(client, api_token) -> None:  # type: ignore[no-untyped-def]
    member, theme, place = make_member(), make_theme(), make_neighbourhood()
    response = client.post(
        "/api/v1/solidarity-signals", json=payload(theme, place), headers=api_token(member)
    )
    assert response.status_code == 201
    data = response.get_json()
    assert (
        data["kind"] == "neighbour_help"
        and data["people"] == 4
        and data["contact"] == "via_ambassador"
    )
    assert "recorded_by" not in data
    assert client.post("/api/v1/solidarity-signals", json=payload(theme, place)).status_code == 401


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Mme Durand, joignable au 06 12 34 56 78", "téléphone"),
        ("Contact : jean.dupont@orange.fr", "e-mail"),
        ("Appeler le 01.23.45.67.89 après 18 h", "téléphone"),
    ],
)
def test_personal_data_is_refused_with_a_clear_message(client, api_token, text, kind) -> None:  # type: ignore[no-untyped-def]
    member, theme, place = make_member(), make_theme(), make_neighbourhood()
    response = client.post(
        "/api/v1/solidarity-signals",
        json=payload(theme, place, text=text),
        headers=api_token(member),
    )
    assert response.status_code == 422
    message = response.get_json()["errors"]["text"][0]
    assert "e-mail" in message.lower() or "phone" in message.lower() or kind in message
    assert SolidaritySignal.query.count() == 0
    # The HTML form says it too, in French.
    client.login_as(member)
    form = {**payload(theme, place, text=text)}
    response = client.post_form("/solidarity/signals/new", form, headers={"Accept-Language": "fr"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "aria-invalid" in html and "téléphone" in html
    assert SolidaritySignal.query.count() == 0


@pytest.mark.parametrize(
    "field, value",
    [
        ("kind", "gossip"),
        ("contact", "phone"),
        ("people", 0),
        ("people", "beaucoup"),
        ("theme_id", 99999),
    ],
)
def test_bad_input_is_refused(client, api_token, field, value) -> None:  # type: ignore[no-untyped-def]
    member, theme, place = make_member(), make_theme(), make_neighbourhood()
    response = client.post(
        "/api/v1/solidarity-signals",
        json=payload(theme, place, **{field: value}),
        headers=api_token(member),
    )
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_archive_after_retention(app) -> None:  # type: ignore[no-untyped-def]
    old, recent = make_signal(), make_signal()
    now = utcnow()
    old.created_at = months_ago(now, app.config["SIGNAL_RETENTION_MONTHS"]) - timedelta(days=1)
    recent.created_at = months_ago(now, app.config["SIGNAL_RETENTION_MONTHS"]) + timedelta(days=1)
    db.session.flush()
    assert archive_signals(now) == 1
    db.session.refresh(old)
    assert old.archived_at is not None and old.text == "" and old.text_html == ""
    assert old.kind and old.people  # the counts stay for the observatory
    assert recent.archived_at is None and recent.text
    assert archive_signals(now) == 0


def test_archive_cli(app) -> None:  # type: ignore[no-untyped-def]
    signal = make_signal()
    signal.created_at = utcnow() - timedelta(days=800)
    db.session.flush()
    result = app.test_cli_runner().invoke(args=["archive-signals"])
    assert result.exit_code == 0, result.output
    assert "1 signal" in result.output
    db.session.refresh(signal)
    assert signal.archived_at is not None


def test_months_ago_clamps_the_day() -> None:
    from datetime import UTC, datetime

    assert months_ago(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_ago(datetime(2026, 1, 15, tzinfo=UTC), 12) == datetime(2025, 1, 15, tzinfo=UTC)


def test_who_sees_signals(client) -> None:  # type: ignore[no-untyped-def]
    theme, place = make_theme(), make_neighbourhood()
    recorder, gardener, citizen, staff = (
        make_member(),
        make_member(),
        make_member(),
        make_member("staff"),
    )
    make_community(theme=theme, citizen=gardener)
    make_signal(recorder, theme, place, text="Un collectif de voisins répare des vélos")
    for member, sees in ((recorder, True), (gardener, True), (citizen, False), (staff, False)):
        client.login_as(member)
        html = client.get("/solidarity/signals").get_data(as_text=True)
        assert ("répare des vélos" in html) is sees
    assert client.get("/solidarity/signals").status_code in (200,)  # still logged in as staff


def test_signal_form_works_without_js(client) -> None:  # type: ignore[no-untyped-def]
    member, theme, place = make_member(), make_theme(), make_neighbourhood()
    client.login_as(member)
    assert client.get("/solidarity/signals/new").status_code == 200
    response = client.post_form("/solidarity/signals/new", payload(theme, place))
    assert response.status_code == 302
    assert SolidaritySignal.query.one().recorded_by_id == member.id


def test_the_service_itself_wants_a_member(app) -> None:  # type: ignore[no-untyped-def]
    """`record_signal` authorises its actor (any member), not only the doors calling it."""
    place = Place(make_theme().id, make_neighbourhood().id)
    with pytest.raises(Unauthenticated):
        record_signal(None, place, "neighbour_help", 3, "no", "Des voisins aident.")  # type: ignore[arg-type]
    assert db.session.query(SolidaritySignal).count() == 0
