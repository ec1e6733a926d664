"""The JSON API foundation: sign-up, tokens, /me, themes and neighbourhoods."""

import pytest

from community.core.models import utcnow
from tests.factories import PASSWORD, make_member, make_neighbourhood, make_theme

SIGNUP = {
    "email": "api@example.org",
    "password": "une phrase de passe",
    "display_name": "Par l'API",
    "accept_charter": True,
}


def assert_error(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == status and body["code"] == code and body["message"]
    return body


def test_openapi_document_lists_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/members", "/api/v1/tokens", "/api/v1/tokens/current", "/api/v1/me",
                 "/api/v1/themes", "/api/v1/neighbourhoods"):  # fmt: skip
        assert path in spec["paths"], path


def test_signup_answers_the_same_for_new_and_taken_addresses(client, outbox):
    first = client.post("/api/v1/members", json=SIGNUP)
    assert first.status_code == 202 and first.get_json()["status"] == "pending_confirmation"
    again = client.post("/api/v1/members", json={**SIGNUP, "display_name": "Autre nom"})
    assert again.status_code == 202 and again.get_json() == first.get_json()
    assert len(outbox.to("api@example.org")) == 2  # a confirmation, then "you already have one"


@pytest.mark.parametrize(
    "body,field",
    [
        ({**SIGNUP, "accept_charter": False}, "accept_charter"),
        ({k: v for k, v in SIGNUP.items() if k != "email"}, "email"),
        ({**SIGNUP, "email": "x" * 300}, "email"),
        ({**SIGNUP, "email": "pas-une-adresse"}, "email"),
        ({**SIGNUP, "password": "court"}, "password"),
        ({**SIGNUP, "display_name": 12}, "display_name"),
        ({**SIGNUP, "neighbourhood_id": "deux"}, "neighbourhood_id"),
        ({**SIGNUP, "neighbourhood_id": 999999}, "neighbourhood_id"),
        ({**SIGNUP, "role": "admin"}, "role"),
    ],
)
def test_bad_signup_is_a_422_with_field_errors(client, outbox, body, field):
    body = assert_error(client.post("/api/v1/members", json=body), 422, "invalid")
    assert field in body["errors"]
    assert outbox.messages == []


def test_a_body_that_is_not_json_is_refused(client):
    response = client.post("/api/v1/members", data="{not json", content_type="application/json")
    assert_error(response, 400, "bad_request")


def test_token_lifecycle(client):
    member = make_member(email="jeton@example.org")
    response = client.post(
        "/api/v1/tokens", json={"email": "jeton@example.org", "password": PASSWORD}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert len(body["token"]) > 30 and body["expires_at"] > utcnow().isoformat()[:10]
    headers = {"Authorization": f"Bearer {body['token']}"}
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert me["id"] == member.id and me["email"] == "jeton@example.org"
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    assert_error(client.get("/api/v1/me", headers=headers), 401, "unauthenticated")


def test_tokens_are_stored_hashed(client, sql):
    make_member(email="jeton@example.org")
    token = client.post(
        "/api/v1/tokens", json={"email": "jeton@example.org", "password": PASSWORD}
    ).get_json()["token"]
    stored = [row[0] for row in sql("SELECT token_hash FROM api_tokens")]
    assert token not in stored and len(stored[0]) == 64


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "jeton@example.org", "password": "faux"},
        {"email": "x@example.org", "password": PASSWORD},
    ],
)
def test_wrong_credentials_are_a_401(client, credentials):
    make_member(email="jeton@example.org")
    body = assert_error(client.post("/api/v1/tokens", json=credentials), 401, "unauthenticated")
    assert body["message"] == "E-mail ou mot de passe incorrect."


def test_unconfirmed_accounts_get_no_token(client):
    make_member(email="jeton@example.org", confirmed=False)
    response = client.post(
        "/api/v1/tokens", json={"email": "jeton@example.org", "password": PASSWORD}
    )
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer " + "x" * 500, "Basic abc", "Bearer"])
def test_wrong_tokens_are_a_401(client, header):
    assert_error(
        client.get("/api/v1/me", headers={"Authorization": header}), 401, "unauthenticated"
    )


def test_expired_tokens_are_refused(client, api_token):
    from datetime import timedelta

    from community.auth.models import ApiToken
    from community.extensions import db

    headers = api_token(make_member())
    db.session.execute(db.update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert_error(client.get("/api/v1/me", headers=headers), 401, "unauthenticated")


def test_token_creation_is_rate_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "2 per minute")
    for _ in range(2):
        client.post("/api/v1/tokens", json={"email": "x@example.org", "password": "faux"})
    assert_error(
        client.post("/api/v1/tokens", json={"email": "x@example.org", "password": "faux"}),
        429,
        "rate_limited",
    )


def test_patch_me_changes_the_profile(client, api_token):
    member = make_member()
    place, theme = make_neighbourhood("Bellevue"), make_theme("Culture")
    headers = api_token(member)
    body = {
        "display_name": "Nouveau Nom",
        "neighbourhood_id": place.id,
        "theme_ids": [theme.id],
        "skills": ["couture", " couture ", "vélo"],
        "bio": "Bonjour",
        "locale": "en",
    }
    response = client.patch("/api/v1/me", json=body, headers=headers)
    assert response.status_code == 200
    me = response.get_json()
    assert me["display_name"] == "Nouveau Nom" and me["neighbourhood"]["name"] == "Bellevue"
    assert [t["name"] for t in me["themes"]] == ["Culture"] and me["skills"] == ["couture", "vélo"]
    assert me["locale"] == "en" and me["role"] == "citizen"
    cleared = client.patch(
        "/api/v1/me", json={"neighbourhood_id": None}, headers=headers
    ).get_json()
    assert cleared["neighbourhood"] is None and cleared["display_name"] == "Nouveau Nom"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"display_name": "a"}, "display_name"),
        ({"theme_ids": [999999]}, "theme_ids"),
        ({"theme_ids": "1"}, "theme_ids"),
        ({"skills": ["x" * 61]}, "skills"),
        ({"skills": ["s"] * 21}, "skills"),
        ({"bio": "x" * 1001}, "bio"),
        ({"locale": "de"}, "locale"),
        ({"role": "admin"}, "role"),
        ({"email": "autre@example.org"}, "email"),
    ],
)
def test_patch_me_refuses_bad_input_and_changes_nothing(client, api_token, body, field):
    member = make_member(display_name="Inchangé", bio="avant")
    response = client.patch("/api/v1/me", json=body, headers=api_token(member))
    assert field in assert_error(response, 422, "invalid")["errors"]
    me = client.get("/api/v1/me", headers=api_token(member)).get_json()
    assert me["display_name"] == "Inchangé" and me["bio"] == "avant" and me["role"] == "citizen"


def test_patch_me_needs_a_login(client):
    assert_error(client.patch("/api/v1/me", json={"bio": "x"}), 401, "unauthenticated")


def test_session_writes_to_the_api_need_the_csrf_token(client):
    member = make_member()
    client.login_as(member)
    assert client.patch("/api/v1/me", json={"bio": "x"}).status_code == 400
    token = client.csrf_token()
    assert (
        client.patch("/api/v1/me", json={"bio": "x"}, headers={"X-CSRFToken": token}).status_code
        == 200
    )


def test_themes_and_neighbourhoods_are_public_and_sorted(client):
    make_theme("Mobilité"), make_theme("Alimentation"), make_theme("Caché", active=False)
    make_neighbourhood("Le Port")
    themes = client.get("/api/v1/themes").get_json()
    names = [t["name"] for t in themes]
    assert (
        names == sorted(names) and "Caché" not in names and {"id", "slug", "name"} <= set(themes[0])
    )
    assert "Le Port" in [n["name"] for n in client.get("/api/v1/neighbourhoods").get_json()]


def test_field_errors_speak_the_clients_language(client):
    body = {"email": 3, "display_name": "a", "extra": 1}
    french = client.post("/api/v1/members", json=body).get_json()["errors"]
    assert french["password"] == ["Ce champ est obligatoire."]
    assert french["display_name"] == ["La longueur doit être comprise entre 3 et 40."]
    assert french["extra"] == ["Champ inconnu."]
    english = client.post(
        "/api/v1/members", json=body, headers={"Accept-Language": "en"}
    ).get_json()
    assert english["errors"]["password"] == ["Missing data for required field."]
