"""The questionnaires API over the permission matrix, and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from community.extensions import db
from community.questionnaires.models import Response
from tests.ambassadors.factories import make_ambassador
from tests.conftest import built_once, load_rows
from tests.factories import make_community, make_member, make_membership, make_neighbourhood
from tests.questionnaires.factories import QUESTIONS, make_questionnaire, opt, q

ROLES = ("visitor", "citizen", "member", "ambassador", "gardener", "staff", "admin")


def _build() -> dict[str, Any]:
    gardener = make_member()
    community = make_community(citizen=gardener)
    member = make_member()
    make_membership(community, member)
    ambassador = make_member()
    make_membership(community, ambassador)
    make_ambassador(ambassador, community)
    people = {
        "visitor": None,
        "citizen": make_member(),
        "member": member,
        "ambassador": ambassador,
        "gardener": gardener,
        "staff": make_member("staff"),
        "admin": make_member("admin"),
    }
    return {"community": community, "people": people, "gardener": gardener}


# Built once for the module; each test starts from it, in a savepoint.
_world_rows = built_once(_build)


@pytest.fixture
def world(_world_rows: Any) -> dict[str, Any]:
    return load_rows(_world_rows)  # type: ignore[no-any-return]


def _as(client: Any, api_token: Any, person: Any) -> dict[str, str]:
    return api_token(person) if person is not None else {}


def _answers(questionnaire: Any) -> list[dict[str, Any]]:
    return [{"question_id": q(questionnaire, 0).id, "option_ids": [opt(questionnaire, 0, 1)]}]


# --- the matrix ------------------------------------------------------------------------------

WRITERS = {"gardener", "staff", "admin"}
RECORDERS = {"gardener", "ambassador", "staff", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_create_over_the_matrix(client, api_token, world, role) -> None:
    person = world["people"][role]
    response = client.post(
        f"/api/v1/communities/{world['community'].slug}/questionnaires",
        json={"title": "Nos jardins", "questions": QUESTIONS},
        headers=_as(client, api_token, person),
    )
    expected = 201 if role in WRITERS else (401 if person is None else 403)
    assert response.status_code == expected, response.get_json()
    if expected == 201:
        body = response.get_json()
        assert body["status"] == "draft" and body["community"] == world["community"].slug
        assert [x["kind"] for x in body["questions"]] == [x["kind"] for x in QUESTIONS]
        second, first = body["questions"][1], body["questions"][0]
        assert second["condition"] == {
            "question_id": first["id"],
            "option_id": first["options"][0]["id"],
        }


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_read_only_by_its_writers(client, api_token, world, role) -> None:
    draft = make_questionnaire(world["community"], gardener=world["gardener"], status="draft")
    headers = _as(client, api_token, world["people"][role])
    one = client.get(f"/api/v1/questionnaires/{draft.id}", headers=headers)
    listed = client.get("/api/v1/questionnaires", headers=headers).get_json()
    if role in WRITERS:
        assert one.status_code == 200 and draft.id in [x["id"] for x in listed]
    else:
        assert one.status_code == 404 and draft.id not in [x["id"] for x in listed]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("act", ["open", "close", "patch", "csv"])
def test_writing_acts_over_the_matrix(client, api_token, world, role, act) -> None:
    status = "draft" if act == "open" else "open"
    questionnaire = make_questionnaire(
        world["community"], gardener=world["gardener"], status=status
    )
    person = world["people"][role]
    headers = _as(client, api_token, person)
    url = f"/api/v1/questionnaires/{questionnaire.id}"
    if act == "patch":
        response = client.patch(url, json={"title": "Nouveau titre"}, headers=headers)
    elif act == "csv":
        response = client.get(f"{url}/responses.csv", headers=headers)
    else:
        response = client.post(f"{url}/{act}", headers=headers)
    if role in WRITERS:
        assert response.status_code == 200, response.get_data(as_text=True)
    elif act == "open":
        assert response.status_code in (401, 404)  # a draft does not exist for them
    else:
        assert response.status_code == (401 if person is None else 403)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("channel", ["web", "paper", "ambassador"])
def test_answering_over_the_matrix(client, api_token, world, role, channel) -> None:
    questionnaire = make_questionnaire(world["community"], gardener=world["gardener"])
    person = world["people"][role]
    response = client.post(
        f"/api/v1/questionnaires/{questionnaire.id}/responses",
        json={"answers": _answers(questionnaire), "channel": channel, "consent": True},
        headers=_as(client, api_token, person),
    )
    expected = 201 if channel == "web" or role in RECORDERS else 401 if person is None else 403
    assert response.status_code == expected, response.get_json()
    if expected == 201:
        stored = db.session.get(Response, response.get_json()["id"])
        assert stored is not None and stored.channel == channel
        if channel == "web":
            assert stored.member_id == (person.id if person else None)
        else:
            assert stored.member_id is None and stored.recorded_by_id == person.id


@pytest.mark.parametrize("role", ROLES)
def test_members_audience(client, api_token, world, role) -> None:
    questionnaire = make_questionnaire(
        world["community"], gardener=world["gardener"], audience="members"
    )
    person = world["people"][role]
    response = client.post(
        f"/api/v1/questionnaires/{questionnaire.id}/responses",
        json={"answers": _answers(questionnaire)},
        headers=_as(client, api_token, person),
    )
    allowed = {"member", "ambassador", "gardener", "staff", "admin"}
    expected = 201 if role in allowed else (401 if person is None else 403)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", ["open", "closed"])
def test_results_over_the_matrix(client, api_token, world, role, status) -> None:
    questionnaire = make_questionnaire(
        world["community"], gardener=world["gardener"], status=status
    )
    person = world["people"][role]
    response = client.get(
        f"/api/v1/questionnaires/{questionnaire.id}/results",
        headers=_as(client, api_token, person),
    )
    if status == "closed" or role in WRITERS:
        assert response.status_code == 200
        body = response.get_json()
        assert set(body) == {"total", "min_cell", "channels", "questions"}
    else:
        assert response.status_code == (401 if person is None else 403)


@pytest.mark.parametrize("role", ROLES)
def test_follow_up_over_the_matrix(client, api_token, world, role) -> None:
    questionnaire = make_questionnaire(
        world["community"], gardener=world["gardener"], status="closed"
    )
    person = world["people"][role]
    response = client.post(
        f"/api/v1/questionnaires/{questionnaire.id}/follow-up",
        json={"body": "Nous installons deux composteurs."},
        headers=_as(client, api_token, person),
    )
    expected = 200 if role in WRITERS else (401 if person is None else 403)
    assert response.status_code == expected
    if expected == 200:
        assert "deux composteurs" in response.get_json()["follow_up_html"]


def test_a_platform_questionnaire_is_for_staff(client, api_token, request_context) -> None:
    from community.core.errors import Forbidden
    from community.questionnaires import services

    staff, citizen = make_member("staff"), make_member()
    questionnaire = services.create_questionnaire(
        staff, None, services.Details(title="Toute la ville"), QUESTIONS[:1]
    )
    assert questionnaire.community_id is None
    with pytest.raises(Forbidden):
        services.create_questionnaire(citizen, None, services.Details(title="Non"), [])


# --- bad input --------------------------------------------------------------------------------


def _post(client: Any, questionnaire: Any, answers: Any, **extra: Any) -> Any:
    return client.post(
        f"/api/v1/questionnaires/{questionnaire.id}/responses",
        json={"answers": answers, **extra},
    )


def test_unknown_question(client, world) -> None:
    questionnaire = make_questionnaire(world["community"], gardener=world["gardener"])
    response = _post(client, questionnaire, [*_answers(questionnaire), {"question_id": 999999}])
    assert response.status_code == 422
    assert "answers" in response.get_json()["errors"]


@pytest.mark.parametrize(
    ("index", "payload"),
    [
        (0, {"text": "oui"}),  # a choice answered with a text
        (0, {"value": 1}),
        (4, {"option_ids": [1]}),  # a scale answered with an option
        (4, {"value": 6}),
        (4, {"value": 0}),
        (5, {"text": "deux"}),
        (6, {"value": 3}),
    ],
)
def test_wrong_kind(client, world, index, payload) -> None:
    questionnaire = make_questionnaire(world["community"], gardener=world["gardener"])
    answers = _answers(questionnaire) if index != 0 else []
    answers.append({"question_id": q(questionnaire, index).id, **payload})
    response = _post(client, questionnaire, answers)
    assert response.status_code == 422, response.get_json()
    assert f"question-{q(questionnaire, index).id}" in response.get_json()["errors"]
    assert db.session.query(Response).count() == 0


def test_an_option_of_another_question(client, world) -> None:
    questionnaire = make_questionnaire(world["community"], gardener=world["gardener"])
    answers = [{"question_id": q(questionnaire, 0).id, "option_ids": [opt(questionnaire, 3, 0)]}]
    assert _post(client, questionnaire, answers).status_code == 422


def test_two_options_for_a_single_choice(client, world) -> None:
    questionnaire = make_questionnaire(world["community"], gardener=world["gardener"])
    answers = [
        {
            "question_id": q(questionnaire, 0).id,
            "option_ids": [opt(questionnaire, 0, 0), opt(questionnaire, 0, 1)],
        }
    ]
    assert _post(client, questionnaire, answers).status_code == 422


def test_a_hidden_question_answered_anyway(client, world) -> None:
    questionnaire = make_questionnaire(world["community"], gardener=world["gardener"])
    # "No garden": the compost question (shown only with a garden) must stay empty.
    answers = [
        {"question_id": q(questionnaire, 0).id, "option_ids": [opt(questionnaire, 0, 1)]},
        {"question_id": q(questionnaire, 1).id, "option_ids": [opt(questionnaire, 1, 0)]},
    ]
    response = _post(client, questionnaire, answers)
    assert response.status_code == 422
    assert f"question-{q(questionnaire, 1).id}" in response.get_json()["errors"]


def test_a_required_question_left_empty(client, world) -> None:
    questionnaire = make_questionnaire(world["community"], gardener=world["gardener"])
    response = _post(client, questionnaire, [])
    assert response.status_code == 422
    assert f"question-{q(questionnaire, 0).id}" in response.get_json()["errors"]


@pytest.mark.parametrize(
    "text",
    [
        "x" * 201,  # short text: at most 200
        "écrivez-moi à lea@example.org",
        "appelez le 06 12 34 56 78",
        "nul\x00byte",
    ],
)
def test_bad_text(client, world, text) -> None:
    questionnaire = make_questionnaire(world["community"], gardener=world["gardener"])
    answers = [*_answers(questionnaire), {"question_id": q(questionnaire, 6).id, "text": text}]
    response = _post(client, questionnaire, answers)
    assert response.status_code in (400, 422), response.get_json()
    assert db.session.query(Response).count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"answers": [{"question_id": 2**70}]},
        {"answers": [{"question_id": 1, "option_ids": [2**70]}]},
        {"answers": [{"question_id": 1, "value": 2**70}]},
        {"answers": [], "neighbourhood_id": 2**70},
        {"answers": [], "neighbourhood_id": -1},
        {"answers": "nope"},
        {"answers": [{"question_id": "1"}]},
        {"answers": [], "channel": "pigeon"},
        [],
        "\x00",
    ],
)
def test_nonsense_is_answered_4xx(client, world, body) -> None:
    questionnaire = make_questionnaire(world["community"], gardener=world["gardener"])
    response = client.post(f"/api/v1/questionnaires/{questionnaire.id}/responses", json=body)
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)


def test_huge_ids_in_the_path(client, world) -> None:
    for url in (f"/api/v1/questionnaires/{2**70}", f"/api/v1/questionnaires/{2**70}/results"):
        assert client.get(url).status_code == 404
    assert (
        client.post(f"/api/v1/questionnaires/{2**70}/responses", json={"answers": []}).status_code
        == 404
    )


def test_a_huge_number_answer(client, world) -> None:
    questionnaire = make_questionnaire(world["community"], gardener=world["gardener"])
    answers = [*_answers(questionnaire), {"question_id": q(questionnaire, 5).id, "value": 10**12}]
    assert _post(client, questionnaire, answers).status_code == 422


def test_a_closed_or_draft_questionnaire_takes_no_answer(client, world) -> None:
    closed = make_questionnaire(world["community"], gardener=world["gardener"], status="closed")
    assert _post(client, closed, _answers(closed)).status_code == 409


def test_ambassador_channel_needs_consent(client, api_token, world) -> None:
    questionnaire = make_questionnaire(world["community"], gardener=world["gardener"])
    response = client.post(
        f"/api/v1/questionnaires/{questionnaire.id}/responses",
        json={"answers": _answers(questionnaire), "channel": "ambassador"},
        headers=api_token(world["people"]["ambassador"]),
    )
    assert response.status_code == 422 and "consent" in response.get_json()["errors"]


def test_unknown_neighbourhood_filter(client, api_token, world) -> None:
    questionnaire = make_questionnaire(
        world["community"], gardener=world["gardener"], status="closed"
    )
    response = client.get(f"/api/v1/questionnaires/{questionnaire.id}/results?neighbourhood=999999")
    assert response.status_code == 404
    place = make_neighbourhood()
    response = client.get(
        f"/api/v1/questionnaires/{questionnaire.id}/results?neighbourhood={place.id}"
    )
    assert response.status_code == 200 and response.get_json()["total"] == 0


@pytest.mark.parametrize(
    "body",
    [
        {"title": "nul\x00"},
        {"intro": "nul\x00"},
        {"questions": [{"id": 2**70, "kind": "single", "label": "A", "options": ["x", "y"]}]},
        {"questions": [{"id": 999999, "kind": "short_text", "label": "A"}]},
        {"questions": [{"kind": "single", "label": "A", "options": ["x\x00", "y"]}]},
        {
            "questions": [
                {"kind": "short_text", "label": "A", "condition": {"question": 2**70, "option": 0}}
            ]
        },
        {"questions": [{"kind": "short_text", "label": "x" * 301}]},
        {"questions": "nope"},
        {"opens_at": "2030-01-02T00:00:00+00:00", "closes_at": "2030-01-01T00:00:00+00:00"},
        {"opens_at": "demain"},
        {"audience": "martians"},
    ],
)
def test_bad_edits_are_answered_4xx(client, api_token, world, body) -> None:
    questionnaire = make_questionnaire(
        world["community"], gardener=world["gardener"], status="draft"
    )
    response = client.patch(
        f"/api/v1/questionnaires/{questionnaire.id}",
        json=body,
        headers=api_token(world["gardener"]),
    )
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    db.session.expire_all()
    assert len(questionnaire.questions) == len(QUESTIONS)  # nothing half-written


@pytest.mark.parametrize("closed_by", ["its writers", "its closing date"])
def test_results_once_public_are_never_released_again(client, api_token, world, closed_by) -> None:
    """Closing, opening again for one late answer and closing once more gave two public
    releases whose difference was that one person's answers. Once its results are public (it
    closed with answers), a questionnaire takes no answer again, whichever door asks."""
    from datetime import timedelta

    from community.core.models import utcnow

    questionnaire = make_questionnaire(world["community"], gardener=world["gardener"])
    base = f"/api/v1/questionnaires/{questionnaire.id}"
    writer = api_token(world["gardener"])
    assert _post(client, questionnaire, _answers(questionnaire)).status_code == 201
    if closed_by == "its writers":
        assert client.post(f"{base}/close", headers=writer).status_code == 200
    else:
        questionnaire.closes_at = utcnow() - timedelta(minutes=1)
        db.session.flush()
    released = client.get(f"{base}/results").get_json()
    later = (utcnow() + timedelta(days=7)).isoformat()

    reopened = client.post(f"{base}/open", headers=writer)
    assert reopened.status_code == 409, reopened.get_json()
    moved = client.patch(base, json={"closes_at": later}, headers=writer)
    assert moved.status_code == 409, moved.get_json()
    undated = client.patch(base, json={"closes_at": None}, headers=writer)
    assert undated.status_code == 409, undated.get_json()

    db.session.expire_all()
    assert client.get(base).get_json()["closes_at"] != later  # nothing half-written
    assert client.get(f"{base}/results").get_json() == released
    retitled = client.patch(base, json={"title": "Le compost, bilan"}, headers=writer)
    assert retitled.status_code == 200


def test_a_questionnaire_closed_without_answers_opens_again(client, api_token, world) -> None:
    """Nothing was released: opening it again (with a later closing date) is still allowed."""
    from datetime import timedelta

    from community.core.models import utcnow

    questionnaire = make_questionnaire(
        world["community"], gardener=world["gardener"], status="closed"
    )
    base, writer = f"/api/v1/questionnaires/{questionnaire.id}", api_token(world["gardener"])
    later = (utcnow() + timedelta(days=7)).isoformat()
    assert client.patch(base, json={"closes_at": later}, headers=writer).status_code == 200
    reopened = client.post(f"{base}/open", headers=writer)
    assert reopened.status_code == 200 and reopened.get_json()["status"] == "open"
