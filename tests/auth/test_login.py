import pytest

from tests.factories import PASSWORD, make_member


def _login(client, email, password=PASSWORD, **extra):
    return client.post_form("/auth/login", {"email": email, "password": password, **extra})


def test_login_then_logout(client):
    make_member(email="lea@example.org", display_name="Léa")
    response = _login(client, "LEA@example.org")
    # Logging in lands on the home page, which leads to her communities (issue 13).
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    assert "Léa" in client.get("/me").get_data(as_text=True)
    client.post_form("/auth/logout")
    assert client.get("/me").status_code == 302


@pytest.mark.parametrize(
    "email,password",
    [("lea@example.org", "mauvais mot de passe"), ("inconnu@example.org", PASSWORD)],
)
def test_wrong_credentials_get_one_message_that_reveals_nothing(client, email, password):
    make_member(email="lea@example.org")
    html = _login(client, email, password).get_data(as_text=True)
    assert "E-mail ou mot de passe incorrect." in html


def test_login_starts_a_new_session(client):
    make_member(email="lea@example.org")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    _login(client, "lea@example.org")
    with client.session_transaction() as session:
        assert "planted" not in session and "_user_id" in session


def test_next_only_goes_to_this_site(client):
    make_member(email="lea@example.org")
    response = client.post_form(
        "/auth/login?next=https://evil.example/x",
        {"email": "lea@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"
    client.post_form("/auth/logout")
    response = client.post_form(
        "/auth/login?next=/charte", {"email": "lea@example.org", "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/charte")


def test_login_is_rate_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    make_member(email="lea@example.org")
    for _ in range(3):
        _login(client, "lea@example.org", "faux")
    assert _login(client, "lea@example.org").status_code == 429


def test_logout_everywhere_ends_other_sessions(app, client):
    member = make_member(email="lea@example.org")
    other = app.test_client()
    other.login_as(member)
    assert other.get("/me").status_code == 200
    client.login_as(member)
    client.post_form("/auth/logout", {"everywhere": "1"})
    assert other.get("/me").status_code == 302


def test_a_session_from_another_browser_is_refused(app, client):
    member = make_member()
    client.login_as(member)
    client.environ_base["HTTP_USER_AGENT"] = "Another browser"
    assert client.get("/me").status_code == 302
