"""Display conditions, edits once answered, one answer per browser, privacy, the follow-up."""

from __future__ import annotations

from typing import Any

import pytest

from community.core.errors import Conflict, Invalid
from community.extensions import db
from community.questionnaires import answering, services
from community.questionnaires.answering import Given
from community.questionnaires.models import Response
from tests.factories import make_community, make_member
from tests.questionnaires.factories import QUESTIONS, make_questionnaire, opt, q

CHAIN3 = [
    {"kind": "single", "label": "A ?", "options": ["oui", "non"]},
    {
        "kind": "single",
        "label": "B ?",
        "options": ["oui", "non"],
        "condition": {"question": 0, "option": 0},
    },
    {
        "kind": "single",
        "label": "C ?",
        "options": ["oui", "non"],
        "condition": {"question": 1, "option": 0},
    },
    {"kind": "short_text", "label": "D ?", "condition": {"question": 2, "option": 1}},
]


@pytest.fixture
def chain(request_context: None) -> Any:
    return make_questionnaire(questions=CHAIN3)


def _visible(questionnaire: Any, picks: dict[int, int]) -> list[str]:
    chosen = {q(questionnaire, i).id: {opt(questionnaire, i, o)} for i, o in picks.items()}
    return [x.label for x in answering.visible_questions(questionnaire, chosen)]


def test_chains_of_two_and_three_conditions(chain) -> None:
    assert _visible(chain, {}) == ["A ?"]
    assert _visible(chain, {0: 1}) == ["A ?"]
    assert _visible(chain, {0: 0}) == ["A ?", "B ?"]
    assert _visible(chain, {0: 0, 1: 0}) == ["A ?", "B ?", "C ?"]
    assert _visible(chain, {0: 0, 1: 0, 2: 1}) == ["A ?", "B ?", "C ?", "D ?"]
    # A later answer does not bring back a question whose own condition failed upstream.
    assert _visible(chain, {0: 1, 1: 0, 2: 1}) == ["A ?"]
    assert _visible(chain, {0: 0, 1: 1, 2: 1}) == ["A ?", "B ?"]


def test_an_answer_below_a_broken_chain_is_refused(chain) -> None:
    given = {
        q(chain, 0).id: Given([opt(chain, 0, 1)]),  # A = non: B, C, D are not asked
        q(chain, 3).id: Given(text="réponse"),
    }
    with pytest.raises(Invalid) as error:
        answering.submit_response(None, chain, given, browser_token="t" * 30)
    assert set(error.value.errors or {}) == {f"question-{q(chain, 3).id}"}
    given = {
        q(chain, 0).id: Given([opt(chain, 0, 0)]),
        q(chain, 1).id: Given([opt(chain, 1, 0)]),
        q(chain, 2).id: Given([opt(chain, 2, 1)]),
        q(chain, 3).id: Given(text="réponse"),
    }
    response = answering.submit_response(None, chain, given, browser_token="t" * 30)
    assert len(response.answers) == 4


def test_a_condition_must_point_earlier_at_a_single_choice(request_context) -> None:
    bad = [
        [
            {
                "kind": "single",
                "label": "A",
                "options": ["x", "y"],
                "condition": {"question": 0, "option": 0},
            }
        ],
        [
            {"kind": "multiple", "label": "A", "options": ["x", "y"]},
            {"kind": "short_text", "label": "B", "condition": {"question": 0, "option": 0}},
        ],
        [
            {"kind": "single", "label": "A", "options": ["x", "y"]},
            {"kind": "short_text", "label": "B", "condition": {"question": 0, "option": 5}},
        ],
        [{"kind": "single", "label": "A", "options": ["seul"]}],
        [{"kind": "scale", "label": "A", "options": ["x"]}],
        [{"kind": "dance", "label": "A"}],
    ]
    for specs in bad:
        with pytest.raises(Invalid):
            make_questionnaire(questions=specs)


# --- edits once someone answered ---------------------------------------------------------------


def _specs(questionnaire: Any) -> list[dict[str, Any]]:
    out = []
    for question in questionnaire.questions:
        spec: dict[str, Any] = {
            "id": question.id,
            "kind": question.kind,
            "label": question.label,
            "required": question.required,
            "options": [o.label for o in question.options],
            "condition": None,
        }
        if question.condition_question_id:
            ids = [x.id for x in questionnaire.questions]
            target = questionnaire.questions[ids.index(question.condition_question_id)]
            spec["condition"] = {
                "question": ids.index(target.id),
                "option": [o.id for o in target.options].index(question.condition_option_id),
            }
        out.append(spec)
    return out


@pytest.fixture
def answered(request_context: None) -> Any:
    gardener = make_member()
    questionnaire = make_questionnaire(make_community(citizen=gardener), gardener=gardener)
    answering.submit_response(
        None,
        questionnaire,
        {
            q(questionnaire, 0).id: Given([opt(questionnaire, 0, 0)]),
            q(questionnaire, 3).id: Given([opt(questionnaire, 3, 2)]),
        },
        browser_token="b" * 30,
    )
    return gardener, questionnaire


def test_before_any_answer_anything_changes(request_context) -> None:
    gardener = make_member()
    questionnaire = make_questionnaire(make_community(citizen=gardener), gardener=gardener)
    services.update_questionnaire(
        gardener, questionnaire, services.Details(), [{"kind": "number", "label": "Combien ?"}]
    )
    assert [x.kind for x in questionnaire.questions] == ["number"]


def test_adding_questions_and_options_is_fine(answered) -> None:
    gardener, questionnaire = answered
    specs = _specs(questionnaire)
    specs[3]["options"].append("Dimanche")
    specs.append({"kind": "short_text", "label": "Autre chose ?"})
    services.update_questionnaire(gardener, questionnaire, services.Details(), specs)
    assert len(questionnaire.questions) == len(QUESTIONS) + 1
    assert [o.label for o in questionnaire.questions[3].options][-1] == "Dimanche"


def test_rewording_needs_a_note(answered) -> None:
    gardener, questionnaire = answered
    specs = _specs(questionnaire)
    specs[0]["label"] = "Avez-vous un jardin ou un balcon ?"
    with pytest.raises(Invalid):
        services.update_questionnaire(gardener, questionnaire, services.Details(), specs)
    specs[0]["note"] = "Balcons ajoutés le 3 mars."
    services.update_questionnaire(gardener, questionnaire, services.Details(), specs)
    assert questionnaire.questions[0].note == "Balcons ajoutés le 3 mars."


@pytest.mark.parametrize(
    "change",
    [
        "remove_answered_option",
        "remove_answered_question",
        "change_kind",
        "make_required",
        "change_condition",
    ],
)
def test_changes_that_break_answers_are_refused(answered, change) -> None:
    gardener, questionnaire = answered
    specs = _specs(questionnaire)
    if change == "remove_answered_option":
        specs[3]["options"] = specs[3]["options"][:2]  # "Samedi" was chosen
    elif change == "remove_answered_question":
        del specs[3]
        for spec in specs[3:]:
            spec["condition"] = None
    elif change == "change_kind":
        specs[3]["kind"] = "single"
    elif change == "make_required":
        specs[4]["required"] = True
    else:
        specs[1]["condition"] = {"question": 0, "option": 1}
    with pytest.raises(Conflict):
        services.update_questionnaire(gardener, questionnaire, services.Details(), specs)


def test_removing_an_unanswered_option_is_fine(answered) -> None:
    gardener, questionnaire = answered
    specs = _specs(questionnaire)
    specs[3]["options"] = ["Lundi", "Mercredi", "Samedi"]
    specs[1]["options"] = ["Oui", "Non"]
    services.update_questionnaire(gardener, questionnaire, services.Details(), specs)
    specs = _specs(questionnaire)
    specs[6:] = []  # the last question was never answered
    services.update_questionnaire(gardener, questionnaire, services.Details(), specs)
    assert len(questionnaire.questions) == 6


# --- one answer per browser, per member ----------------------------------------------------------


def _answer(client: Any, questionnaire: Any, **headers: Any) -> Any:
    return client.post(
        f"/api/v1/questionnaires/{questionnaire.id}/responses",
        json={
            "answers": [
                {"question_id": q(questionnaire, 0).id, "option_ids": [opt(questionnaire, 0, 1)]}
            ]
        },
        headers=headers,
    )


def test_a_browser_answers_once_without_an_account(client, request_context) -> None:
    questionnaire = make_questionnaire()
    first = _answer(client, questionnaire)
    assert first.status_code == 201
    cookie = client.get_cookie("terreau_qb")
    assert cookie is not None
    second = _answer(client, questionnaire)
    assert second.status_code == 409
    assert "déjà répondu" in second.get_json()["message"]
    stored = db.session.query(Response).one()
    assert stored.member_id is None and stored.browser_hash and len(stored.browser_hash) == 64
    # No address is stored anywhere in the row.
    assert "127.0.0.1" not in repr(vars(stored))
    # Another browser (no cookie) may answer.
    client.delete_cookie("terreau_qb")
    assert _answer(client, questionnaire).status_code == 201


def test_a_forged_cookie_is_a_new_browser(client, request_context) -> None:
    questionnaire = make_questionnaire()
    client.set_cookie("terreau_qb", "forged.value")
    assert _answer(client, questionnaire).status_code == 201
    assert client.get_cookie("terreau_qb").value != "forged.value"


def test_a_member_answers_once(client, api_token, request_context) -> None:
    questionnaire = make_questionnaire()
    member = make_member()
    assert _answer(client, questionnaire, **api_token(member)).status_code == 201
    client.delete_cookie("terreau_qb")
    assert _answer(client, questionnaire, **api_token(member)).status_code == 409


def test_answers_are_rate_limited(app, client, request_context) -> None:
    questionnaire = make_questionnaire()
    app.config["QUESTIONNAIRE_RATE_LIMIT"] = "2 per minute"
    try:
        codes = []
        for _ in range(3):
            client.delete_cookie("terreau_qb")
            codes.append(_answer(client, questionnaire).status_code)
    finally:
        app.config["QUESTIONNAIRE_RATE_LIMIT"] = "1000 per minute"
    assert codes == [201, 201, 429]


def test_a_session_answer_needs_the_csrf_token(client, request_context) -> None:
    questionnaire = make_questionnaire()
    member = make_member()
    client.login_as(member)
    assert _answer(client, questionnaire).status_code == 400
    assert _answer(client, questionnaire, **{"X-CSRFToken": client.csrf_token()}).status_code == 201


# --- privacy and follow-up ----------------------------------------------------------------------


def test_export_and_erasure(client, request_context) -> None:
    from community.members.erasure import erase_account
    from community.members.export import export_data
    from tests.factories import PASSWORD

    questionnaire = make_questionnaire()
    member = make_member()
    response = answering.submit_response(
        member,
        questionnaire,
        {
            q(questionnaire, 0).id: Given([opt(questionnaire, 0, 0)]),
            q(questionnaire, 6).id: Given(text="Merci"),
        },
    )
    data = export_data(member)
    rows = data["questionnaire_responses"]
    assert rows[0]["questionnaire"] == "Le compost du quartier"
    assert {
        "question": "Un mot pour finir",
        "option": None,
        "value": None,
        "text": "Merci",
    } in rows[0]["answers"]
    erase_account(member, PASSWORD)
    db.session.flush()
    db.session.expire_all()
    kept = db.session.get(Response, response.id)
    assert kept is not None and kept.member_id is None and len(kept.answers) == 2


def test_the_follow_up_tells_the_members_who_answered(request_context) -> None:
    from community.notifications.models import Notification

    gardener = make_member()
    questionnaire = make_questionnaire(make_community(citizen=gardener), gardener=gardener)
    one, two = make_member(), make_member()
    for member in (one, two):
        answering.submit_response(
            member, questionnaire, {q(questionnaire, 0).id: Given([opt(questionnaire, 0, 1)])}
        )
    answering.submit_response(
        gardener,
        questionnaire,
        {q(questionnaire, 0).id: Given([opt(questionnaire, 0, 1)])},
        channel="paper",
    )
    with pytest.raises(Conflict):  # not before it closes
        services.publish_follow_up(gardener, questionnaire, "Trop tôt.")
    services.close_questionnaire(gardener, questionnaire)
    services.publish_follow_up(gardener, questionnaire, "Deux composteurs **installés**.")
    notified = db.session.query(Notification).filter_by(kind="questionnaire_follow_up").all()
    assert sorted(n.member_id for n in notified) == sorted([one.id, two.id])
    assert "<strong>installés</strong>" in questionnaire.follow_up_html


def test_dates_open_and_close_it(client, request_context) -> None:
    from datetime import timedelta

    from community.core.models import utcnow

    gardener = make_member()
    questionnaire = make_questionnaire(make_community(citizen=gardener), gardener=gardener)
    questionnaire.opens_at = utcnow() + timedelta(days=2)
    assert questionnaire.state(utcnow()) == "scheduled"
    assert _answer(client, questionnaire).status_code == 409
    questionnaire.opens_at = utcnow() - timedelta(days=2)
    questionnaire.closes_at = utcnow() - timedelta(minutes=1)
    assert questionnaire.state(utcnow()) == "closed"
    assert _answer(client, questionnaire).status_code == 409
    # Past its closing date, the results are public.
    assert client.get(f"/api/v1/questionnaires/{questionnaire.id}/results").status_code == 200
    with pytest.raises(Invalid):  # reopening needs a later closing date
        services.open_questionnaire(gardener, questionnaire)
