from community.auth.services import make_reset_token
from tests.factories import PASSWORD, make_member


def _reset_link(outbox, email):
    [mail] = outbox.to(email)
    return outbox.links_in(mail)[0].replace("http://localhost", "")


def test_forgotten_password_link_sets_a_new_password_once(client, outbox):
    make_member(email="lea@example.org")
    response = client.post_form("/auth/forgot", {"email": "lea@example.org"})
    assert response.status_code == 302
    link = _reset_link(outbox, "lea@example.org")
    data = {"password": "nouvelle phrase secrète", "confirm": "nouvelle phrase secrète"}
    response = client.post_form(link, data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/me")
    client.post_form("/auth/logout")
    # The link is spent once the password changed.
    assert client.get(link).headers["Location"].endswith("/auth/forgot")
    old = client.post_form("/auth/login", {"email": "lea@example.org", "password": PASSWORD})
    assert old.status_code == 422
    new = client.post_form(
        "/auth/login", {"email": "lea@example.org", "password": data["password"]}
    )
    assert new.status_code == 302


def test_unknown_address_gets_the_same_answer_and_no_mail(client, outbox):
    known = client.post_form(
        "/auth/forgot", {"email": "personne@example.org"}, follow_redirects=True
    )
    assert "Si cette adresse a un compte" in known.get_data(as_text=True)
    assert outbox.messages == []


def test_expired_or_forged_links_are_refused(app, client, monkeypatch):
    member = make_member()
    token = make_reset_token(member)
    assert client.get(f"/auth/reset/{token}x").headers["Location"].endswith("/auth/forgot")
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    assert client.get(f"/auth/reset/{token}").headers["Location"].endswith("/auth/forgot")


def test_mismatched_or_short_new_passwords_are_refused(client):
    member = make_member()
    url = f"/auth/reset/{make_reset_token(member)}"
    html = client.post_form(url, {"password": "une longue phrase", "confirm": "autre"}).get_data(
        as_text=True
    )
    assert "différents" in html
    html = client.post_form(url, {"password": "court", "confirm": "court"}).get_data(as_text=True)
    assert "Au moins 10 caractères" in html


def test_reset_ends_other_sessions_and_tokens(app, client, api_token):
    member = make_member()
    headers = api_token(member)
    other = app.test_client()
    other.login_as(member)
    url = f"/auth/reset/{make_reset_token(member)}"
    client.post_form(url, {"password": "une longue phrase", "confirm": "une longue phrase"})
    assert other.get("/me").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
