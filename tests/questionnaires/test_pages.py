"""The pages: answering without JavaScript, typing in copies, printing, results, editing."""

from __future__ import annotations

from typing import Any

import pytest

from community.extensions import db
from community.questionnaires import answering
from community.questionnaires.answering import Given
from community.questionnaires.models import Questionnaire, Response
from tests.ambassadors.factories import make_ambassador, make_invitation
from tests.conftest import page_text
from tests.core.test_error_summary import summary_of
from tests.factories import make_community, make_member, make_membership, make_neighbourhood
from tests.questionnaires.factories import make_questionnaire, opt, q


@pytest.fixture
def scene(request_context: None) -> dict[str, Any]:
    gardener = make_member()
    community = make_community(citizen=gardener)
    questionnaire = make_questionnaire(community, gardener=gardener)
    return {"gardener": gardener, "community": community, "questionnaire": questionnaire}


def _form(questionnaire: Questionnaire, **answers: Any) -> dict[str, Any]:
    return {f"q-{q(questionnaire, int(k[1:])).id}": v for k, v in answers.items()}


def test_answering_without_an_account_or_javascript(client, scene) -> None:
    questionnaire = scene["questionnaire"]
    page = client.get(f"/questionnaires/{questionnaire.id}")
    assert page.status_code == 200
    assert client.get_cookie("terreau_qb") is None  # reading sets no cookie
    text = page_text(page)
    assert "Pas besoin de compte" in text and "Avez-vous un jardin ?" in text
    # Every question shows without JavaScript; a conditional one says when it applies.
    when = "Seulement si vous avez répondu «\u00a0Oui\u00a0» à «\u00a0Avez-vous un jardin ?\u00a0»"
    assert when in text
    assert 'src="/static/js/questionnaire.js?v=' in text and "<script>" not in text
    place = make_neighbourhood()
    data = _form(
        questionnaire,
        q0=opt(questionnaire, 0, 0),
        q1=opt(questionnaire, 1, 1),
        q2="Un bac partagé",
        q4="4",
    )
    data[f"q-{q(questionnaire, 3).id}"] = [opt(questionnaire, 3, 0), opt(questionnaire, 3, 2)]
    data["neighbourhood_id"] = str(place.id)
    response = client.post_form(f"/questionnaires/{questionnaire.id}", data, follow_redirects=True)
    assert response.status_code == 200
    assert "Merci\u00a0! Vos réponses sont enregistrées." in page_text(response)
    # The next step is shown: what will become of the answers, and the way back.
    assert "Ce qui sera fait de vos réponses sera écrit sur cette page." in page_text(response)
    assert "Retour à " in page_text(response)
    stored = db.session.query(Response).one()
    assert (
        stored.channel == "web" and stored.neighbourhood_id == place.id and stored.member_id is None
    )
    assert len(stored.answers) == 6
    # The same browser comes back: no form, a clear sentence; posting again is refused.
    again = client.get(f"/questionnaires/{questionnaire.id}")
    assert "Vous avez déjà répondu à ce questionnaire" in page_text(again)
    refused = client.post_form(f"/questionnaires/{questionnaire.id}", data)
    assert refused.status_code == 409
    assert "déjà répondu à ce questionnaire depuis ce navigateur" in page_text(refused)
    assert db.session.query(Response).count() == 1


def test_a_question_not_asked_is_left_out_and_said_so(client, scene) -> None:
    questionnaire = scene["questionnaire"]
    client.get(f"/questionnaires/{questionnaire.id}")
    # No garden, yet the compost question was ticked (no JavaScript hid it).
    data = _form(questionnaire, q0=opt(questionnaire, 0, 1), q1=opt(questionnaire, 1, 0))
    response = client.post_form(f"/questionnaires/{questionnaire.id}", data, follow_redirects=True)
    text = page_text(response)
    assert "Votre réponse à «\u00a0Compostez-vous ?\u00a0» n'a pas été gardée" in text
    stored = db.session.query(Response).one()
    assert {a.question_id for a in stored.answers} == {q(questionnaire, 0).id}


def test_errors_are_shown_beside_the_question(client, scene) -> None:
    questionnaire = scene["questionnaire"]
    client.get(f"/questionnaires/{questionnaire.id}")
    data = _form(questionnaire, q5="beaucoup", q6="lea@example.org")
    response = client.post_form(f"/questionnaires/{questionnaire.id}", data)
    assert response.status_code == 422
    data = _form(questionnaire, q6="lea@example.org")
    response = client.post_form(f"/questionnaires/{questionnaire.id}", data)
    text = page_text(response)
    assert response.status_code == 422
    assert "Merci de répondre à cette question." in text
    assert "Merci de n'écrire ni adresse e-mail ni numéro de téléphone" in text
    assert 'value="lea@example.org"' in text  # what was typed is kept
    assert db.session.query(Response).count() == 0


def test_a_refused_answer_names_and_links_each_question(client, scene) -> None:
    """The summary at the top, as every form's (tests/core/test_error_summary.py)."""
    questionnaire = scene["questionnaire"]
    client.get(f"/questionnaires/{questionnaire.id}")
    response = client.post_form(
        f"/questionnaires/{questionnaire.id}", _form(questionnaire, q6="lea@example.org")
    )
    assert response.status_code == 422
    first, last = q(questionnaire, 0), q(questionnaire, 6)
    links = summary_of(response).links
    assert [href for href, _text in links] == [f"#question-{first.id}", f"#question-{last.id}"]
    assert links[0][1] == f"{first.label} : Merci de répondre à cette question."


def test_a_members_questionnaire_asks_to_log_in(client, scene) -> None:
    questionnaire = make_questionnaire(
        scene["community"], gardener=scene["gardener"], audience="members"
    )
    text = page_text(client.get(f"/questionnaires/{questionnaire.id}"))
    assert "Ce questionnaire est pour les membres de la communauté." in text
    assert "Envoyer mes réponses" not in text


@pytest.mark.parametrize("channel", ["paper", "ambassador"])
def test_typing_in_a_copy(client, scene, channel) -> None:
    questionnaire = scene["questionnaire"]
    ambassador = make_member()
    make_membership(scene["community"], ambassador)
    make_ambassador(ambassador, scene["community"])
    client.login_as(ambassador)
    url = f"/questionnaires/{questionnaire.id}/record"
    assert client.get(url, query_string={"channel": channel}).status_code == 200
    data = {"channel": channel, **_form(questionnaire, q0=opt(questionnaire, 0, 1))}
    if channel == "ambassador":
        missing = client.post_form(url, data)
        assert missing.status_code == 422
        assert "L'accord à voix haute de la personne est nécessaire." in page_text(missing)
        data["consent"] = "y"
    response = client.post_form(url, data, follow_redirects=True)
    assert "Les réponses sont enregistrées." in page_text(response)
    stored = db.session.query(Response).one()
    assert stored.channel == channel and stored.member_id is None and stored.browser_hash is None
    assert (stored.consent_at is not None) == (channel == "ambassador")
    # Another copy right after: a paper copy is one per person, not one per typist.
    client.post_form(url, data)
    assert db.session.query(Response).count() == 2


@pytest.mark.parametrize("role", ["visitor", "citizen", "member"])
def test_typing_in_is_for_gardeners_and_ambassadors(client, scene, role) -> None:
    if role != "visitor":
        person = make_member()
        if role == "member":
            make_membership(scene["community"], person)
        client.login_as(person)
    response = client.get(f"/questionnaires/{scene['questionnaire'].id}/record")
    assert response.status_code in ((401, 302) if role == "visitor" else (403,))


def test_the_printable_copy_carries_its_codes(client, scene) -> None:
    questionnaire = scene["questionnaire"]
    text = page_text(client.get(f"/questionnaires/{questionnaire.id}/print"))
    assert text.count('class="segno"') == 1 and "Répondre sur votre téléphone" in text
    assert f"/questionnaires/{questionnaire.id}" in text
    assert "questionnaires-print.css" in text
    ambassador = make_member()
    mandate = make_ambassador(ambassador, scene["community"])
    invitation = make_invitation(mandate)
    client.login_as(ambassador)
    text = page_text(client.get(f"/questionnaires/{questionnaire.id}/print"))
    assert text.count('class="segno"') == 2
    assert f"/invitations/{invitation.token}" in text


def test_results_page_and_free_text(client, scene) -> None:
    questionnaire = scene["questionnaire"]
    for i in range(6):
        answering.submit_response(
            None,
            questionnaire,
            {
                q(questionnaire, 0).id: Given([opt(questionnaire, 0, i % 2)]),
                q(questionnaire, 6).id: Given(text=f"mot {i}"),
            },
            browser_token=f"browser-token-number-{i:04d}",
        )
    results = f"/questionnaires/{questionnaire.id}/results"
    assert client.get(results).status_code in (401, 302)  # open: not public yet
    client.login_as(scene["gardener"])
    text = page_text(client.get(results))
    assert "mot 3" in text and "Télécharger toutes les réponses (CSV)" in text
    csv = client.get(f"/api/v1/questionnaires/{questionnaire.id}/responses.csv").get_data(
        as_text=True
    )
    assert "mot 5" in csv and csv.count("\n") == 7
    db.session.expire_all()
    questionnaire = db.session.get(Questionnaire, questionnaire.id)
    from community.questionnaires import services

    services.close_questionnaire(scene["gardener"], questionnaire)
    db.session.flush()
    client.post_form("/auth/logout")
    text = page_text(client.get(results))
    assert "Réponses\u00a0:" in text and "mot 3" not in text  # free text is never public
    assert "<svg" in text and "<table>" in text


def test_writing_a_questionnaire_in_pages(client, scene) -> None:
    gardener, community = scene["gardener"], scene["community"]
    client.login_as(gardener)
    response = client.post_form(
        f"/communities/{community.slug}/questionnaires/new",
        {"title": "Les bacs du square", "intro": "Trois questions.", "audience": "anyone"},
    )
    assert response.status_code == 302
    questionnaire = db.session.query(Questionnaire).filter_by(title="Les bacs du square").one()
    edit = f"/questionnaires/{questionnaire.id}/edit"
    client.post_form(
        edit,
        {
            "action": "add",
            "label": "Un bac vous servirait ?",
            "kind": "single",
            "options": "Oui\nNon",
        },
    )
    client.post_form(
        edit, {"action": "add", "label": "Lequel ?", "kind": "short_text", "condition": "0:0"}
    )
    db.session.expire_all()
    questionnaire = db.session.get(Questionnaire, questionnaire.id)
    assert [x.label for x in questionnaire.questions] == ["Un bac vous servirait ?", "Lequel ?"]
    assert (
        questionnaire.questions[1].condition_option_id == questionnaire.questions[0].options[0].id
    )
    client.post_form(f"/questionnaires/{questionnaire.id}/open")
    db.session.expire_all()
    assert db.session.get(Questionnaire, questionnaire.id).status == "open"
    client.post_form(f"/questionnaires/{questionnaire.id}/close")
    client.post_form(f"/questionnaires/{questionnaire.id}/follow-up", {"body": "Deux bacs posés."})
    page = page_text(client.get(f"/communities/{community.slug}"))
    assert "Ce que nous avons fait de vos réponses" in page and "Deux bacs posés." in page


def test_a_citizen_cannot_write(client, scene) -> None:
    client.login_as(make_member())
    assert (
        client.get(f"/communities/{scene['community'].slug}/questionnaires/new").status_code == 403
    )
    assert client.get(f"/questionnaires/{scene['questionnaire'].id}/edit").status_code == 403


def test_the_list_does_not_grow_in_queries(client, scene, queries) -> None:
    client.get("/questionnaires")
    with queries() as few:
        client.get("/questionnaires")
    for _ in range(4):
        make_questionnaire(scene["community"], gardener=scene["gardener"])
    with queries() as many:
        client.get("/questionnaires")
    assert many.count == few.count


def test_rewording_in_pages_needs_a_note_once_answered(client, scene) -> None:
    questionnaire = scene["questionnaire"]
    answering.submit_response(
        None,
        questionnaire,
        {q(questionnaire, 0).id: Given([opt(questionnaire, 0, 0)])},
        browser_token="r" * 30,
    )
    client.login_as(scene["gardener"])
    edit = f"/questionnaires/{questionnaire.id}/edit"
    data = {"action": "reword", "position": "0", "label": "Avez-vous un jardin ou un balcon ?"}
    refused = client.post_form(edit, data, follow_redirects=True)
    assert "dites dans une remarque pourquoi le texte change" in page_text(refused)
    data["note"] = "Balcons ajoutés."
    client.post_form(edit, data)
    db.session.expire_all()
    question = db.session.get(Questionnaire, questionnaire.id).questions[0]
    assert (question.label, question.note) == (
        "Avez-vous un jardin ou un balcon ?",
        "Balcons ajoutés.",
    )


ROLES = ("visitor", "citizen", "member", "ambassador", "gardener", "staff", "admin")
PAGES = {  # page → roles that get it while the questionnaire is open
    "": set(ROLES),
    "/print": set(ROLES),
    "/results": {"gardener", "staff", "admin"},
    "/record": {"ambassador", "gardener", "staff", "admin"},
    "/edit": {"gardener", "staff", "admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", sorted(PAGES))
def test_pages_over_the_matrix(client, scene, role, path) -> None:
    person = {
        "visitor": None,
        "citizen": make_member(),
        "gardener": scene["gardener"],
        "staff": make_member("staff"),
        "admin": make_member("admin"),
    }.get(role)
    if role in ("member", "ambassador"):
        person = make_member()
        make_membership(scene["community"], person)
        if role == "ambassador":
            make_ambassador(person, scene["community"])
    if person is not None:
        client.login_as(person)
    response = client.get(f"/questionnaires/{scene['questionnaire'].id}{path}")
    if role in PAGES[path]:
        assert response.status_code == 200
    else:
        assert response.status_code in ((401, 302) if person is None else (403,))


def test_results_page_queries_do_not_grow(client, scene, queries) -> None:
    questionnaire = scene["questionnaire"]
    client.login_as(scene["gardener"])
    url = f"/questionnaires/{questionnaire.id}/results"
    client.get(url)
    with queries() as few:
        client.get(url)
    for i in range(8):
        answering.submit_response(
            None,
            questionnaire,
            {
                q(questionnaire, 0).id: Given([opt(questionnaire, 0, 0)]),
                q(questionnaire, 3).id: Given([opt(questionnaire, 3, 1)]),
                q(questionnaire, 6).id: Given(text=f"texte {i}"),
            },
            browser_token=f"browser-token-queries-{i:04d}",
            neighbourhood_id=make_neighbourhood().id,
        )
    with queries() as many:
        client.get(url)
    assert many.count == few.count


def test_the_answer_page_is_rate_limited(app, client, scene) -> None:
    questionnaire = scene["questionnaire"]
    data = _form(questionnaire, q0=opt(questionnaire, 0, 1))
    app.config["QUESTIONNAIRE_RATE_LIMIT"] = "2 per minute"
    try:
        codes = []
        for _ in range(3):
            client.delete_cookie("terreau_qb")  # a new browser each time: only the limit stops it
            codes.append(client.post_form(f"/questionnaires/{questionnaire.id}", data).status_code)
    finally:
        app.config["QUESTIONNAIRE_RATE_LIMIT"] = "1000 per minute"
    assert codes == [302, 302, 429]
    assert db.session.query(Response).count() == 2


@pytest.mark.parametrize("role", ["gardener", "ambassador", "member", "visitor"])
def test_the_acts_of_those_who_run_it_come_first_in_one_row(client, scene, role) -> None:
    """Typing in answers, printing, the results, editing: at the top for its gardeners and
    ambassadors, in one compact row before the questions; an inhabitant sees none of it and
    finds the questions first (the printable version still at the bottom)."""
    from tests.html_parts import element, hrefs

    questionnaire = scene["questionnaire"]
    if role == "gardener":
        client.login_as(scene["gardener"])
    elif role != "visitor":
        person = make_member()
        make_membership(scene["community"], person)
        if role == "ambassador":
            make_ambassador(person, scene["community"])
        client.login_as(person)
    page = page_text(client.get(f"/questionnaires/{questionnaire.id}"))
    row = element(page, 'class="runner-actions"')
    base = f"/questionnaires/{questionnaire.id}"
    if role == "gardener":
        assert hrefs(row) == [
            f"{base}/record?channel=paper", f"{base}/print", f"{base}/results", f"{base}/edit"
        ]  # fmt: skip
    elif role == "ambassador":
        assert hrefs(row) == [f"{base}/record?channel=ambassador", f"{base}/print"]
    else:
        assert row == "" and "/record" not in page
    if row:
        assert "Saisir des réponses" in row
        assert page.index(row) < page.index("questionnaire-form")
        assert "Version à imprimer" not in page  # said once, in the row
    else:
        assert f'href="{base}/print"' in page.split("questionnaire-form", 1)[1]


def test_a_questionnaire_whose_results_are_public_does_not_open_again(client, scene) -> None:
    """The page offers no "open to answers" once the results are public, says why, refuses
    the act if posted anyway, and a title edit sends back the dates it showed without moving
    them (rounded to the end of the day, they used to reopen what closed earlier that day)."""
    from datetime import timedelta

    from community.core.models import utcnow

    questionnaire = scene["questionnaire"]
    answering.submit_response(
        None,
        questionnaire,
        {q(questionnaire, 0).id: Given([opt(questionnaire, 0, 0)])},
        browser_token="r" * 30,
    )
    closed_at = utcnow() - timedelta(minutes=1)
    questionnaire.closes_at = closed_at
    db.session.flush()
    client.login_as(scene["gardener"])
    edit = f"/questionnaires/{questionnaire.id}/edit"
    page = page_text(client.get(edit))
    assert "Ouvrir aux réponses" not in page
    assert "ses résultats sont publics" in page

    refused = client.post_form(f"/questionnaires/{questionnaire.id}/open", follow_redirects=True)
    assert "ne rouvre pas" in page_text(refused)

    form = {
        "action": "details",
        "title": "Le compost du quartier, bilan",
        "intro": questionnaire.intro,
        "audience": questionnaire.audience,
        "closes_at": closed_at.date().isoformat(),
    }
    saved = client.post_form(edit, form, follow_redirects=True)
    assert "Enregistré" in page_text(saved)
    db.session.expire_all()
    again = db.session.get(Questionnaire, questionnaire.id)
    assert again.title == "Le compost du quartier, bilan"
    assert again.state(utcnow()) == "closed"
    assert again.closes_at is not None and abs(again.closes_at - closed_at) < timedelta(seconds=1)


def test_a_new_draft_leads_to_its_first_question(client, login_as) -> None:
    """Found walking: after saving a draft, "Ouvrir aux réponses" came first and the form to
    add a question was 1,500 px below, while opening without a question is refused."""
    gardener = make_member()
    community = make_community(citizen=gardener)
    login_as(gardener)
    created = client.post_form(
        f"/communities/{community.slug}/questionnaires/new",
        {"title": "Le jardin partagé", "intro": "Deux minutes.", "audience": "anyone"},
    )
    assert created.status_code == 302
    page = page_text(client.get(created.location))
    assert "Ajoutez au moins une question" in page
    assert 'href="#add-question"' in page and 'id="add-question"' in page
    assert "Ouvrir aux réponses" not in page
    draft = db.session.query(Questionnaire).filter_by(title="Le jardin partagé").one()
    with_question = make_questionnaire(community, gardener=gardener, status="draft")
    edit = page_text(client.get(f"/questionnaires/{with_question.id}/edit"))
    assert "Ouvrir aux réponses" in edit
    assert draft.questions == []
