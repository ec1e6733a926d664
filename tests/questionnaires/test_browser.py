"""Answering at 360 × 740, with JavaScript (conditions shown live, chains of three) and
without (every question shows; the server leaves out what was not asked); axe clean."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from community.extensions import db
from community.questionnaires.models import Response
from tests.conftest import (
    assert_accessible,
    assert_no_broken_headers,
    assert_no_horizontal_scroll,
    browser_log_in,
)
from tests.factories import make_community, make_member, make_neighbourhood
from tests.questionnaires.factories import make_questionnaire

pytestmark = [pytest.mark.browser, pytest.mark.live]

QUESTIONS = [
    {
        "kind": "single",
        "label": "Avez-vous un jardin ?",
        "required": True,
        "options": ["Oui", "Non"],
    },
    {
        "kind": "single",
        "label": "Compostez-vous ?",
        "options": ["Oui", "Non"],
        "condition": {"question": 0, "option": 0},
    },
    {
        "kind": "single",
        "label": "Dans un bac ?",
        "options": ["Oui", "Non"],
        "condition": {"question": 1, "option": 0},
    },
    {"kind": "long_text", "label": "Où, alors ?", "condition": {"question": 2, "option": 1}},
    {"kind": "scale", "label": "Votre intérêt, de 1 à 5"},
]


@pytest.fixture
def scene(live_server: str) -> dict[str, Any]:
    gardener = make_member()
    make_neighbourhood("Les Tilleuls")
    questionnaire = make_questionnaire(
        make_community(citizen=gardener), gardener=gardener, questions=QUESTIONS
    )
    db.session.commit()
    return {
        "questionnaire": questionnaire,
        "ids": [q.id for q in questionnaire.questions],
        "gardener": gardener,
    }


def _item(page: Any, question_id: int) -> Any:
    return page.locator(f"#question-{question_id}")


def test_conditions_live_with_javascript(
    browser: Any, browser_context_args: dict[str, Any], live_server: str, scene: dict[str, Any]
) -> None:
    ids = scene["ids"]
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(15000)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/questionnaires/{scene['questionnaire'].id}")
        page.locator("form[data-conditions-live]").wait_for(state="attached")
        for hidden in ids[1:4]:
            expect(_item(page, hidden)).to_be_hidden()
        _item(page, ids[0]).get_by_label("Oui").check()
        expect(_item(page, ids[1])).to_be_visible()
        expect(_item(page, ids[2])).to_be_hidden()
        _item(page, ids[1]).get_by_label("Oui").check()
        expect(_item(page, ids[2])).to_be_visible()
        _item(page, ids[2]).get_by_label("Non").check()
        expect(_item(page, ids[3])).to_be_visible()
        # Breaking the chain at its start hides the three below it.
        _item(page, ids[0]).get_by_label("Non").check()
        for hidden in ids[1:4]:
            expect(_item(page, hidden)).to_be_hidden()
        _item(page, ids[0]).get_by_label("Oui").check()
        expect(_item(page, ids[3])).to_be_visible()  # the earlier answers were kept
        page.locator(f"#question-{ids[3]} textarea").fill("Au pied de l'immeuble")
        _item(page, ids[4]).get_by_label("4").check()
        page.select_option("#neighbourhood_id", label="Les Tilleuls")
        assert_no_horizontal_scroll(page)
        assert_accessible(page)
        page.get_by_role("button", name="Envoyer mes réponses").click()
        page.get_by_text("Merci\u00a0! Vos réponses sont enregistrées.").wait_for()
        page.get_by_text("Vous avez déjà répondu à ce questionnaire. Merci\u00a0!").wait_for()
        assert_accessible(page)
    finally:
        context.close()
    db.session.rollback()  # end the test's read transaction: see what the server stored
    response = db.session.query(Response).one()
    assert len(response.answers) == 5 and response.neighbourhood_id is not None


def test_answering_without_javascript(
    browser: Any, browser_context_args: dict[str, Any], live_server: str, scene: dict[str, Any]
) -> None:
    ids = scene["ids"]
    url = f"{live_server}/questionnaires/{scene['questionnaire'].id}"
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    context.set_default_timeout(15000)
    try:
        page = context.new_page()
        page.goto(url)
        for question_id in ids:
            expect(_item(page, question_id)).to_be_visible()
        expect(
            page.get_by_text("Seulement si vous avez répondu « Oui » à « Avez-vous un jardin ? »")
        ).to_be_visible()
        _item(page, ids[0]).get_by_label("Non").check()
        _item(page, ids[1]).get_by_label("Oui").check()  # not asked, given "Non" above
        page.get_by_role("button", name="Envoyer mes réponses").click()
        page.get_by_text("Votre réponse à « Compostez-vous ? » n'a pas été gardée").wait_for()
        page.get_by_text("Merci\u00a0! Vos réponses sont enregistrées.").wait_for()
        assert_no_horizontal_scroll(page)
        # The same browser again: refused, clearly.
        page.goto(url)
        page.get_by_text("Vous avez déjà répondu à ce questionnaire. Merci\u00a0!").wait_for()
    finally:
        context.close()
    db.session.rollback()  # end the test's read transaction: see what the server stored
    response = db.session.query(Response).one()
    assert [a.question_id for a in response.answers] == [ids[0]]
    # axe needs scripts: check the pages with their own scripts blocked instead.
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(15000)
    try:
        context.route(re.compile(r"\.js(\?|$)"), lambda route: route.abort())
        page = context.new_page()
        page.goto(url)
        assert page.locator("form[data-conditions-live]").count() == 0
        assert_accessible(page)
        page.goto(f"{url}/print")
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
    finally:
        context.close()


def test_results_and_follow_up_pages_are_accessible(
    browser: Any, browser_context_args: dict[str, Any], live_server: str
) -> None:
    from community.questionnaires import answering, services
    from community.questionnaires.answering import Given

    gardener = make_member()
    community = make_community(citizen=gardener)
    questionnaire = make_questionnaire(community, gardener=gardener, questions=QUESTIONS)
    first, scale = questionnaire.questions[0], questionnaire.questions[4]
    for i in range(12):
        answering.submit_response(
            None,
            questionnaire,
            {first.id: Given([first.options[i % 2].id]), scale.id: Given(value=1 + i % 5)},
            browser_token=f"browser-token-results-{i:04d}",
        )
    services.close_questionnaire(gardener, questionnaire)
    services.publish_follow_up(gardener, questionnaire, "Deux composteurs **installés**.")
    db.session.commit()
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(15000)
    try:
        page = context.new_page()
        for url in (
            f"/questionnaires/{questionnaire.id}/results",
            f"/questionnaires/{questionnaire.id}",
            f"/communities/{community.slug}",
            "/questionnaires",
        ):
            page.goto(f"{live_server}{url}")
            assert_no_horizontal_scroll(page)
            assert_accessible(page)
        page.goto(f"{live_server}/questionnaires/{questionnaire.id}/results")
        # At 360 px the headers wrapped inside words ("Répon/se", "Nombr/e").
        assert_no_broken_headers(page)
        expect(page.locator("svg.bar").first).to_be_visible()
        expect(page.get_by_role("table").first).to_be_visible()
    finally:
        context.close()


def test_typing_in_answers_asks_for_consent_only_for_answers_asked_in_person(
    page: Any, live_server: str, scene: dict[str, Any]
) -> None:
    browser_log_in(page, live_server, scene["gardener"])
    page.goto(f"{live_server}/questionnaires/{scene['questionnaire'].id}/record")
    consent = page.locator("input[name=consent]")
    page.select_option("select[name=channel]", "paper")
    expect(consent).to_be_hidden()
    page.select_option("select[name=channel]", "ambassador")
    expect(consent).to_be_visible()
    assert_accessible(page)


def test_the_gardeners_acts_fit_in_one_row_at_the_top(page: Any, live_server: str, scene) -> None:  # type: ignore[no-untyped-def]
    """At 360 × 740 the gardener reaches "Saisir des réponses" without scrolling, the row
    takes at most two lines of buttons, and the first question still starts in the first
    screen; the keyboard reaches the row before the questions."""
    browser_log_in(page, live_server, scene["gardener"])
    page.goto(f"{live_server}/questionnaires/{scene['questionnaire'].id}")
    row = page.locator(".runner-actions").bounding_box()
    record = page.get_by_role("link", name="Saisir des réponses").bounding_box()
    first = _item(page, scene["ids"][0]).bounding_box()
    assert row is not None and record is not None and first is not None
    assert record["y"] + record["height"] <= 740
    assert row["height"] <= 2 * 44 + 40  # two lines of small buttons and their gap
    assert first["y"] < 740
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.locator("h1").click()
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        if focused == "Saisir des réponses":
            break
        assert not page.evaluate("!!document.activeElement.closest('.questionnaire-form')")
    else:
        pytest.fail("the keyboard never reached “Saisir des réponses”")
