"""Rate limits per real client address and per account (issue 12, finding 9)."""

from __future__ import annotations

import pytest

from community.core.ratelimit import mailbox, mailbox_key
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
        assert _login(client, f"a{n}@example.org", proxy, "203.0.113.1").status_code == 422
    assert _login(client, "a3@example.org", proxy, "203.0.113.1").status_code == 429
    # Another inhabitant behind the same proxy is not blocked by the first one.
    assert _login(client, "b@example.org", proxy, "203.0.113.2").status_code == 422


def test_without_trusted_proxies_the_forwarded_header_is_ignored(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "2 per minute")
    for n in range(2):
        assert _login(client, f"a{n}@example.org", "10.0.0.1", f"198.51.100.{n}").status_code == 422
    # Writing another X-Forwarded-For does not buy a new bucket.
    assert _login(client, "a9@example.org", "10.0.0.1", "198.51.100.9").status_code == 429


def test_one_account_is_slowed_whatever_the_client_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    monkeypatch.setitem(app.config, "ACCOUNT_RATE_LIMIT", "3 per minute")
    for n in range(3):
        assert _login(client, "lea@example.org", f"192.0.2.{n}").status_code == 422
    assert _login(client, "Lea@Example.org", "192.0.2.77").status_code == 429
    assert _login(client, "autre@example.org", "192.0.2.77").status_code == 422


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


# --- one mailbox, many spellings (security review: "a+1@x.fr", "a+2@x.fr" and "A@X.FR" each
# had their own allowance of mails) ---


@pytest.mark.parametrize(
    "address,box",
    [
        ("Lea@Example.org", "lea@example.org"),
        ("lea+1@example.org", "lea@example.org"),
        (" LEA+news+2@EXAMPLE.ORG ", "lea@example.org"),
        ("l.e.a@example.org", "l.e.a@example.org"),  # dots count, but at Gmail
        ("L.e.a+x@gmail.com", "lea@gmail.com"),
        ("lea@googlemail.com", "lea@gmail.com"),
        ("lea@example.org.", "lea@example.org"),
        ("pas-une-adresse", "pas-une-adresse"),
    ],
)
def test_the_mailbox_of_an_address(address, box):
    assert mailbox(address) == box
    assert mailbox_key(address) == mailbox_key(box)


SPELLINGS = ["cible+1@example.org", "cible+2@example.org", "CIBLE@EXAMPLE.ORG"]


def _form(email: str, n: int) -> dict[str, str]:
    return {
        "email": email,
        "display_name": f"Cible {n}",
        "password": "une phrase de passe",
        "accept_charter": "y",
    }


@pytest.mark.parametrize("door", ["/auth/forgot", "/auth/signup"])
def test_one_mailbox_is_one_allowance_however_it_is_spelt(app, client, outbox, monkeypatch, door):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    monkeypatch.setitem(app.config, "ACCOUNT_MAIL_RATE_LIMIT", "2 per hour")
    answers = [
        client.post(
            door,
            data=_form(email, n),
            environ_base={"REMOTE_ADDR": f"192.0.2.{n}"},
        ).status_code
        for n, email in enumerate(SPELLINGS)
    ]
    assert answers == [302, 302, 429]
    other = client.post(
        door,
        data=_form("autre@example.org", 9),
        environ_base={"REMOTE_ADDR": "192.0.2.50"},
    )
    assert other.status_code == 302


def test_the_api_sign_up_counts_one_mailbox_too(app, client, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "ACCOUNT_MAIL_RATE_LIMIT", "2 per hour")
    spellings = ["c.i.b.l.e@gmail.com", "cible+x@googlemail.com", "Cible@Gmail.com"]
    answers = [
        client.post(
            "/api/v1/members",
            json={"email": email, "display_name": f"Cible {n}", "password": "une phrase de passe",
                  "accept_charter": True},
            environ_base={"REMOTE_ADDR": f"192.0.2.{n}"},
        ).status_code
        for n, email in enumerate(spellings)
    ]  # fmt: skip
    assert answers == [202, 202, 429]


def test_every_mail_rate_limit_counts_per_mailbox():
    """A module that reads a mail rate limit keys it by `mailbox_key` (core/ratelimit.py)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "community"
    readers = [
        path
        for path in root.rglob("*.py")
        if "MAIL_RATE_LIMIT" in path.read_text() and path.name != "config.py"
    ]
    assert readers
    assert [p.name for p in readers if "mailbox_key" not in p.read_text()] == []
