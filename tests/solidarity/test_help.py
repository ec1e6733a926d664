"""Mutual help: the rules, the permission matrix, and the author's identity kept private."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.core.errors import Conflict, Forbidden, Invalid
from community.core.models import utcnow
from community.solidarity import services
from community.solidarity.models import HelpRequest
from community.solidarity.services import Place
from tests.conftest import page_text
from tests.factories import make_community, make_member, make_neighbourhood, make_theme
from tests.solidarity.factories import make_offer, make_request

AUTHOR_NAME = "Odette Zephyrine"


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    """A request and everyone around it, one per row of the permission matrix."""
    theme, place = make_theme(), make_neighbourhood()
    other_theme, other_place = make_theme(), make_neighbourhood()
    people = {
        "author": make_member(display_name=AUTHOR_NAME),
        "gardener": make_member(),
        "technician": make_member("staff"),
        "other_gardener": make_member(),
        "offerer": make_member(),
        "far_offerer": make_member(),
        "citizen": make_member(),
        "staff": make_member("staff"),
        "admin": make_member("admin"),
    }
    make_community(theme=theme, technician=people["technician"], citizen=people["gardener"])
    make_community(theme=other_theme, citizen=people["other_gardener"])
    make_offer(people["offerer"], theme, place)
    make_offer(people["far_offerer"], theme, other_place)
    request = make_request(people["author"], theme, place)
    return request, people


# who → (may see the request, may know who asked)
MATRIX = {
    "author": (True, True),
    "gardener": (True, True),
    "technician": (True, True),
    "other_gardener": (False, False),
    "offerer": (True, False),
    "far_offerer": (False, False),
    "citizen": (False, False),
    "staff": (False, False),
    "admin": (False, False),
    "visitor": (False, False),
}


@pytest.mark.parametrize("who", MATRIX)
def test_request_page_follows_the_matrix(client, world, who) -> None:  # type: ignore[no-untyped-def]
    request, people = world
    if who != "visitor":
        client.login_as(people[who])
    response = client.get(f"/solidarity/requests/{request.id}")
    may_see, may_know = MATRIX[who]
    if not may_see:
        # Answered as for an id that does not exist (the visibility layer).
        assert response.status_code == (401 if who == "visitor" else 404)
        assert AUTHOR_NAME not in response.get_data(as_text=True)
        return
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Besoin d&#39;aide pour porter mes courses." in html or "porter mes courses" in html
    assert (AUTHOR_NAME in html) is may_know


@pytest.mark.parametrize("who", MATRIX)
def test_request_api_follows_the_matrix(client, api_token, world, who) -> None:  # type: ignore[no-untyped-def]
    request, people = world
    headers = api_token(people[who]) if who != "visitor" else {}
    response = client.get(f"/api/v1/help-requests/{request.id}", headers=headers)
    may_see, may_know = MATRIX[who]
    if not may_see:
        # Answered as for an id that does not exist (the visibility layer).
        assert response.status_code == (401 if who == "visitor" else 404)
        assert AUTHOR_NAME not in response.get_data(as_text=True)
        return
    assert response.status_code == 200
    data = response.get_json()
    assert (data["author"] is not None) is may_know
    assert (AUTHOR_NAME in response.get_data(as_text=True)) is may_know


def test_lists_never_carry_the_author(client, api_token, world) -> None:  # type: ignore[no-untyped-def]
    request, people = world
    response = client.get("/api/v1/help-requests", headers=api_token(people["offerer"]))
    assert response.status_code == 200
    assert [r["id"] for r in response.get_json()] == [request.id]
    assert AUTHOR_NAME not in response.get_data(as_text=True)
    assert str(people["author"].id) not in [str(r.get("author")) for r in response.get_json()]
    # Neither the far offerer nor staff see it listed.
    for who in ("far_offerer", "staff", "citizen"):
        listed = client.get("/api/v1/help-requests", headers=api_token(people[who])).get_json()
        assert listed == []
    client.login_as(people["offerer"])
    html = client.get("/solidarity").get_data(as_text=True)
    assert "porter mes courses" in html and AUTHOR_NAME not in html


def test_identity_reaches_the_helper_only_once_accepted(client, world) -> None:  # type: ignore[no-untyped-def]
    request, people = world
    offerer, author = people["offerer"], people["author"]
    client.login_as(offerer)
    response = client.post_form(
        f"/solidarity/requests/{request.id}/proposals", {"message": "Avec plaisir"}
    )
    assert response.status_code == 302
    proposal = request.proposals[0]
    html = client.get(f"/solidarity/requests/{request.id}").get_data(as_text=True)
    assert AUTHOR_NAME not in html
    assert client.get(f"/solidarity/exchanges/{proposal.id}").status_code == 404
    # The author sees the helper's pseudonym and accepts.
    client.login_as(author)
    html = client.get(f"/solidarity/requests/{request.id}").get_data(as_text=True)
    assert offerer.display_name in html
    response = client.post_form(f"/solidarity/proposals/{proposal.id}/accept")
    assert (
        response.status_code == 302 and f"/solidarity/exchanges/{proposal.id}" in response.location
    )
    assert request.status == "matched"
    client.post_form(f"/solidarity/exchanges/{proposal.id}", {"body": "Bonjour, mardi 10 h ?"})
    # Now the helper knows who asked, and the exchange is theirs.
    client.login_as(offerer)
    html = client.get(f"/solidarity/exchanges/{proposal.id}").get_data(as_text=True)
    assert AUTHOR_NAME in html and "mardi 10 h" in html
    # Nobody else reads it: not staff, not the gardener, not another offerer.
    for who in ("staff", "admin", "gardener", "far_offerer", "citizen"):
        client.login_as(people[who])
        # Answered as for an exchange that does not exist (the visibility layer).
        assert client.get(f"/solidarity/exchanges/{proposal.id}").status_code == 404
        assert client.post_form(f"/solidarity/proposals/{proposal.id}/done").status_code == 404
    client.login_as(offerer)
    client.post_form(f"/solidarity/proposals/{proposal.id}/done")
    assert proposal.status == "done" and request.status == "done"


@pytest.mark.parametrize("close", ["done", "withdrawn"])
def test_a_closed_request_leaves_nothing_to_its_helper(client, api_token, world, close) -> None:  # type: ignore[no-untyped-def]
    """Attacker walk: once closed, `/solidarity/requests/<id>` and the API answered 404 to the
    helper, but `/solidarity/exchanges/<id>` still showed the request's text and the
    requester's name. The exchange follows its request (`solidarity.queries`)."""
    request, people = world
    offerer, author = people["offerer"], people["author"]
    proposal = services.propose_help(offerer, request)
    services.accept_proposal(author, proposal)
    services.send_exchange_message(author, proposal, "Au 3 rue des Lilas, sonnez deux fois.")
    if close == "done":
        services.mark_done(offerer, proposal)
    else:
        services.withdraw_request(author, request)
    client.login_as(offerer)
    for url in (f"/solidarity/exchanges/{proposal.id}", f"/solidarity/requests/{request.id}"):
        response = client.get(url)
        assert response.status_code == 404
        assert AUTHOR_NAME not in response.get_data(as_text=True)
    api = client.get(f"/api/v1/help-requests/{request.id}", headers=api_token(offerer))
    assert api.status_code == 404
    for url in ("/solidarity", "/"):
        html = client.get(url).get_data(as_text=True)
        assert f"/solidarity/exchanges/{proposal.id}" not in html and AUTHOR_NAME not in html
    written = client.post_form(f"/solidarity/exchanges/{proposal.id}", {"body": "Encore moi"})
    assert written.status_code == 404
    assert client.post_form(f"/solidarity/proposals/{proposal.id}/done").status_code == 404
    # Its author keeps the whole exchange, closed to new messages (the helper reads no more).
    client.login_as(author)
    html = page_text(client.get(f"/solidarity/exchanges/{proposal.id}"))
    assert "rue des Lilas" in html and "Cet échange est clos" in html
    assert 'name="body"' not in html
    with pytest.raises(Forbidden):
        services.send_exchange_message(author, proposal, "Vous êtes là ?")


def test_only_the_author_accepts(world) -> None:  # type: ignore[no-untyped-def]
    request, people = world
    proposal = services.propose_help(people["offerer"], request)
    for who in ("offerer", "gardener", "staff", "admin"):
        with pytest.raises(Forbidden):
            services.accept_proposal(people[who], proposal)
    services.accept_proposal(people["author"], proposal)
    with pytest.raises(Conflict):
        services.accept_proposal(people["author"], proposal)


def test_accepting_one_offer_closes_the_others(world) -> None:  # type: ignore[no-untyped-def]
    request, people = world
    first = services.propose_help(people["offerer"], request)
    second = services.propose_help(people["gardener"], request)
    services.accept_proposal(people["author"], second)
    assert first.status == "declined" and second.status == "accepted"
    with pytest.raises(Conflict):
        services.propose_help(people["technician"], request)


def test_who_may_propose(world) -> None:  # type: ignore[no-untyped-def]
    request, people = world
    for who in ("far_offerer", "citizen", "staff", "admin", "other_gardener", "author"):
        with pytest.raises(Forbidden):
            services.propose_help(people[who], request)
    services.propose_help(people["offerer"], request)
    with pytest.raises(Conflict):
        services.propose_help(people["offerer"], request)


def test_requests_expire_after_the_configured_days(app, world) -> None:  # type: ignore[no-untyped-def]
    request, people = world
    assert request.expires_at - request.created_at == timedelta(
        days=app.config["HELP_REQUEST_DAYS"]
    )
    assert app.config["HELP_REQUEST_DAYS"] == 60
    later = request.expires_at + timedelta(seconds=1)
    assert request.is_expired(later)
    with pytest.raises(Conflict):
        services.propose_help(people["offerer"], request, now=later)
    listed = services.visible_requests_stmt(people["offerer"], later)
    from community.extensions import db

    assert db.session.execute(listed).scalars().all() == []


@pytest.mark.parametrize(
    "text",
    ["Appelez-moi au 06 12 34 56 78", "écrire à odette@example.org", "+33 6 12 34 56 78 le soir"],
)
def test_contact_details_are_refused_in_requests_and_offers(client, api_token, text) -> None:  # type: ignore[no-untyped-def]
    member, theme, place = make_member(), make_theme(), make_neighbourhood()
    for url in ("/api/v1/help-requests", "/api/v1/help-offers"):
        response = client.post(
            url,
            json={"theme_id": theme.id, "neighbourhood_id": place.id, "text": text},
            headers=api_token(member),
        )
        assert response.status_code == 422
        body = response.get_json()
        assert body["code"] == "invalid" and "text" in body["errors"]
        assert "e-mail" in body["errors"]["text"][0] or "téléphone" in body["errors"]["text"][0]
    assert HelpRequest.query.count() == 0


@pytest.mark.parametrize(
    "text",
    ["Rendez-vous le 12/03/2026 à 14h30", "Courses le 12.03.2026", "nous étions 12 12 12 12"],
)
def test_dates_times_and_counts_are_not_taken_for_phone_numbers(client, api_token, text) -> None:  # type: ignore[no-untyped-def]
    member, theme, place = make_member(), make_theme(), make_neighbourhood()
    for url in ("/api/v1/help-requests", "/api/v1/help-offers"):
        response = client.post(
            url,
            json={"theme_id": theme.id, "neighbourhood_id": place.id, "text": text},
            headers=api_token(member),
        )
        assert response.status_code == 201, response.get_json()


def test_api_creates_offers_and_requests(client, api_token) -> None:  # type: ignore[no-untyped-def]
    member, theme, place = make_member(), make_theme(), make_neighbourhood()
    payload = {"theme_id": theme.id, "neighbourhood_id": place.id, "text": "Du bricolage"}
    response = client.post(
        "/api/v1/help-offers",
        json={**payload, "availability": "le soir"},
        headers=api_token(member),
    )
    assert response.status_code == 201
    assert (
        response.get_json()["theme"]["id"] == theme.id
        and response.get_json()["availability"] == "le soir"
    )
    response = client.post("/api/v1/help-requests", json=payload, headers=api_token(member))
    assert response.status_code == 201
    data = response.get_json()
    assert (
        data["status"] == "open" and data["author"]["id"] == member.id and "email" not in str(data)
    )
    assert client.post("/api/v1/help-requests", json=payload).status_code == 401
    bad = client.post(
        "/api/v1/help-requests", json={**payload, "theme_id": 999999}, headers=api_token(member)
    )
    assert bad.status_code == 422 and "theme_id" in bad.get_json()["errors"]
    missing = client.post("/api/v1/help-requests", json={"text": "x"}, headers=api_token(member))
    assert missing.status_code == 422


def test_on_behalf_needs_a_go_between_and_oral_consent(client, api_token) -> None:  # type: ignore[no-untyped-def]
    theme, place = make_theme(), make_neighbourhood()
    gardener, citizen = make_member(), make_member()
    make_community(theme=theme, citizen=gardener)
    payload = {
        "theme_id": theme.id,
        "neighbourhood_id": place.id,
        "text": "Mme R. a besoin d'aide",
        "on_behalf": True,
    }
    assert (
        client.post(
            "/api/v1/help-requests",
            json={**payload, "oral_consent": True},
            headers=api_token(citizen),
        ).status_code
        == 403
    )
    response = client.post("/api/v1/help-requests", json=payload, headers=api_token(gardener))
    assert response.status_code == 422 and "oral_consent" in response.get_json()["errors"]
    response = client.post(
        "/api/v1/help-requests",
        json={**payload, "text": "Mme R., 06 12 34 56 78", "oral_consent": True},
        headers=api_token(gardener),
    )
    assert response.status_code == 422
    response = client.post(
        "/api/v1/help-requests", json={**payload, "oral_consent": True}, headers=api_token(gardener)
    )
    assert response.status_code == 201
    request = HelpRequest.query.one()
    assert request.on_behalf and request.consent_at is not None and request.author_id == gardener.id


def test_request_form_without_js(client) -> None:  # type: ignore[no-untyped-def]
    member, theme, place = make_member(), make_theme(), make_neighbourhood()
    client.login_as(member)
    assert client.get("/solidarity/requests/new").status_code == 200
    response = client.post_form(
        "/solidarity/requests/new",
        {"theme_id": theme.id, "neighbourhood_id": place.id, "text": "Mon mail: a@b.fr"},
    )
    assert response.status_code == 422
    assert "adresse e-mail" in response.get_data(as_text=True)
    response = client.post_form(
        "/solidarity/requests/new",
        {"theme_id": theme.id, "neighbourhood_id": place.id, "text": "Un coup de main"},
    )
    assert response.status_code == 302
    assert (
        client.post("/solidarity/requests/new", data={"theme_id": theme.id}).status_code == 400
    )  # no CSRF


def test_a_request_for_someone_else_says_who_passes_the_answers_on(client) -> None:  # type: ignore[no-untyped-def]
    """The go-between filed it for a neighbour without an account: the words say it is hers to
    pass on, not "your request"."""
    theme, place = make_theme(), make_neighbourhood()
    gardener = make_member()
    make_community(theme=theme, citizen=gardener)
    client.login_as(gardener)
    fr = {"Accept-Language": "fr"}
    response = client.post_form(
        "/solidarity/requests/new",
        {"theme_id": theme.id, "neighbourhood_id": place.id, "text": "Des courses pour Mme R.",
         "on_behalf": "y", "oral_consent": "y"},
        headers=fr,
    )  # fmt: skip
    assert response.status_code == 302
    page = page_text(client.get(response.headers["Location"], headers=fr))
    assert "vous les transmettez à la personne" in page
    assert "Retirer cette demande" in page and "Retirer ma demande" not in page
    assert "peuvent maintenant vous répondre" not in page


def test_withdraw(world) -> None:  # type: ignore[no-untyped-def]
    request, people = world
    proposal = services.propose_help(people["offerer"], request)
    with pytest.raises(Forbidden):
        services.withdraw_request(people["gardener"], request)
    services.withdraw_request(people["author"], request)
    assert request.status == "withdrawn" and proposal.status == "withdrawn"


def test_withdrawn_offer_no_longer_shows_requests(world) -> None:  # type: ignore[no-untyped-def]
    from community.solidarity.models import HelpOffer
    from community.solidarity.permissions import can_see_request

    request, people = world
    offer = HelpOffer.query.filter_by(author_id=people["offerer"].id).one()
    with pytest.raises(Forbidden):
        services.withdraw_offer(people["citizen"], offer)
    services.withdraw_offer(people["offerer"], offer)
    assert not can_see_request(people["offerer"], request)


def test_index_query_count_is_flat(client, queries) -> None:  # type: ignore[no-untyped-def]
    theme, place = make_theme(), make_neighbourhood()
    me = make_member()
    make_offer(me, theme, place)
    client.login_as(me)

    def count() -> int:
        with queries() as log:
            assert client.get("/solidarity").status_code == 200
        return log.count

    make_request(theme=theme, neighbourhood=place)
    make_request(me, theme, place)
    few = count()
    for _ in range(6):
        make_request(theme=theme, neighbourhood=place)
        make_request(me, theme, place)
    assert count() == few


def test_bad_place_is_refused() -> None:
    member = make_member()
    with pytest.raises(Invalid) as error:
        services.create_offer(member, Place(None, None), "x")
    assert set(error.value.errors or {}) == {"theme_id", "neighbourhood_id"}
    assert utcnow()


def test_the_forms_start_from_her_neighbourhood(client) -> None:  # type: ignore[no-untyped-def]
    """Walked at 360 px: she had told her neighbourhood, the help forms asked it again."""
    place = make_neighbourhood()
    member = make_member()
    member.neighbourhood_id = place.id
    client.login_as(member)
    for url in ("/solidarity/requests/new", "/solidarity/offers/new"):
        html = client.get(url).get_data(as_text=True)
        assert f'<option selected value="{place.id}">' in html, url


def test_a_helper_without_requests_is_not_asked_to_offer_again(client) -> None:  # type: ignore[no-untyped-def]
    """Walked at 360 px: just after offering, the page said "offer your help to see requests"."""
    helper = make_member()
    client.login_as(helper)
    before = client.get("/solidarity").get_data(as_text=True)
    assert "Proposez votre aide pour voir les demandes" in before
    make_offer(helper)
    after = client.get("/solidarity").get_data(as_text=True)
    assert "Proposez votre aide pour voir les demandes" not in after
    assert "Revenez voir de temps en temps." in after
