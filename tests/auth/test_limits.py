"""Rate limits per real client address and per account (issue 12, finding 9)."""

from __future__ import annotations

from community.extensions import limiter


def _login(client, email: str, address: str, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(
        "/auth/login",
        data={"email": email, "password": "pas le bon mot de passe"},
        headers=headers,
        environ_base={"REMOTE_ADDR": address},
    )


def test_behind_a_trusted_proxy_each_client_has_its_own_bucket(app, other_app):
    proxied = other_app(
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        TRUSTED_PROXIES=1,
        WTF_CSRF_ENABLED=False,
        LOGIN_RATE_LIMIT="2 per minute",
    )
    limiter.reset()
    client = proxied.test_client()
    proxy = "10.0.0.1"  # every request reaches the app from nginx
    for n in range(2):
        assert _login(client, f"a{n}@example.org", proxy, "203.0.113.1").status_code == 200
    assert _login(client, "a3@example.org", proxy, "203.0.113.1").status_code == 429
    # Another inhabitant behind the same proxy is not blocked by the first one.
    assert _login(client, "b@example.org", proxy, "203.0.113.2").status_code == 200


def test_without_trusted_proxies_the_forwarded_header_is_ignored(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "2 per minute")
    for n in range(2):
        assert _login(client, f"a{n}@example.org", "10.0.0.1", f"198.51.100.{n}").status_code == 200
    # Writing another X-Forwarded-For does not buy a new bucket.
    assert _login(client, "a9@example.org", "10.0.0.1", "198.51.100.9").status_code == 429


def test_one_account_is_slowed_whatever_the_client_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    monkeypatch.setitem(app.config, "ACCOUNT_RATE_LIMIT", "3 per minute")
    for n in range(3):
        assert _login(client, "lea@example.org", f"192.0.2.{n}").status_code == 200
    assert _login(client, "Lea@Example.org", "192.0.2.77").status_code == 429
    assert _login(client, "autre@example.org", "192.0.2.77").status_code == 200


def test_tokens_are_slowed_per_account_too(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "ACCOUNT_RATE_LIMIT", "2 per minute")
    body = {"email": "lea@example.org", "password": "pas le bon"}
    for n in range(2):
        response = client.post(
            "/api/v1/tokens", json=body, environ_base={"REMOTE_ADDR": f"192.0.2.{n}"}
        )
        assert response.status_code == 401
    response = client.post("/api/v1/tokens", json=body, environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert response.status_code == 429 and response.get_json()["code"] == "rate_limited"


def test_one_address_cannot_be_sent_mail_after_mail(app, client, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    monkeypatch.setitem(app.config, "ACCOUNT_MAIL_RATE_LIMIT", "2 per hour")
    for n in range(2):
        response = client.post(
            "/auth/forgot",
            data={"email": "cible@example.org"},
            environ_base={"REMOTE_ADDR": f"192.0.2.{n}"},
        )
        assert response.status_code == 302
    response = client.post(
        "/auth/forgot",
        data={"email": "cible@example.org"},
        environ_base={"REMOTE_ADDR": "192.0.2.9"},
    )
    assert response.status_code == 429
