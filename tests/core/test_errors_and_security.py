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
