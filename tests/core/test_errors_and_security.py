import pytest


def test_unknown_page_is_a_french_404(client):
    response = client.get("/nulle-part", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_api_errors_have_one_json_shape(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    body = response.get_json()
    assert body["code"] == "not_found" and body["status"] == 404 and body["message"]


def test_method_not_allowed_keeps_the_allow_header(client):
    response = client.delete("/api/v1/themes")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.get_json()["code"] == "method_not_allowed"


def test_form_without_csrf_token_is_refused_with_400(client):
    response = client.post("/auth/login", data={"email": "a@b.fr", "password": "x"})
    assert response.status_code == 400
    assert "formulaire a expiré" in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite(client, outbox):
    from tests.factories import make_member

    make_member(email="cookie@example.org")
    response = client.post_form(
        "/auth/login", {"email": "cookie@example.org", "password": "un mot de passe solide"}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("url", ["/", "/auth/login", "/auth/signup", "/charte"])
def test_pages_load_nothing_from_another_host_and_have_no_inline_script(client, url):
    import re

    html = client.get(url).get_data(as_text=True)
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', html)
    assert not re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # the CSP forbids inline script


def test_unexpected_error_is_a_french_500_and_json_on_the_api(tmp_path, other_app):
    app = other_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.db'}",
        PROPAGATE_EXCEPTIONS=False,
    )

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    @app.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("boom")

    client = app.test_client()
    page = client.get("/boom", headers={"Accept-Language": "fr"})
    assert page.status_code == 500 and "Un problème est survenu" in page.get_data(as_text=True)
    api = client.get("/api/v1/boom")
    assert api.status_code == 500 and api.get_json()["code"] == "server_error"


def test_production_refuses_a_missing_or_weak_secret_key(monkeypatch, other_app):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        other_app("production")
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        other_app("production")


def test_production_sets_secure_cookies(monkeypatch, tmp_path, other_app):
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("PUBLIC_URL", "https://terreau.example.fr")
    app = other_app("production", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["DEMO_ACCOUNTS_ENABLED"] is False


def test_postgres_urls_use_psycopg3():
    from community.config import database_url

    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x") == "sqlite:///x"


def test_the_401_page_offers_to_log_in_and_to_sign_up_back_to_the_page(client):
    """Usability walk at 360 px: "Erreur 401 / Connectez-vous d'abord." and only "Retour à
    l'accueil"."""
    from tests.conftest import page_text

    response = client.get("/solidarity/offers/new?x=1", headers={"Accept-Language": "fr"})
    assert response.status_code == 401
    html = page_text(response)
    assert "<h1>Connectez-vous pour continuer</h1>" in html and "Erreur" not in html
    assert 'href="/auth/login?next=/solidarity/offers/new?x%3D1"' in html
    assert 'href="/auth/signup?next=/solidarity/offers/new?x%3D1"' in html
    assert "Se connecter" in html and "Créer mon compte" in html


@pytest.mark.parametrize("status,url", [(404, "/nulle-part"), (403, "/moderation/journal")])
def test_403_and_404_lead_back_home_and_to_the_previous_page(client, status, url):
    from tests.conftest import page_text
    from tests.factories import make_member

    if status == 403:
        client.login_as(make_member())
    response = client.get(url, headers={"Referer": "http://localhost/initiatives?page=2"})
    assert response.status_code == status
    html = page_text(response)
    assert "Erreur" not in html.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert 'href="/initiatives?page=2"' in html and "Retour à l'accueil" in html
    assert ("/auth/login?next=" in html) is (status == 404)  # a visitor may log in
    elsewhere = client.get(url, headers={"Referer": "https://evil.example/x"})
    assert "evil.example" not in page_text(elsewhere)
