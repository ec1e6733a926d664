"""Credentials with a lifecycle (issue 12, findings 6, 7, 8): confirmation links that are
single-use, bound to the account's state and never log in alone; logouts that end the
session on the server; tokens listed and revoked; sign-up and forgot-password that do the
same work whether or not the address has an account."""

from __future__ import annotations

import statistics
import time

from argon2 import PasswordHasher
from sqlalchemy import select

from community.auth import passwords, services
from community.auth.models import ApiToken
from community.core import mail as core_mail
from community.extensions import db
from community.members.models import Member
from tests.conftest import page_text
from tests.factories import PASSWORD, make_member

SIGNUP = {
    "email": "victime@example.org",
    "display_name": "Victime",
    "password": "le mot de passe de l'attaquant",
    "accept_charter": "y",
}


def _path(link: str) -> str:
    return link.replace("http://localhost", "")


def _member(email: str) -> Member:
    return db.session.execute(select(Member).where(Member.email == email)).scalar_one()


def _confirm_link(outbox, email: str) -> str:
    mails = [m for m in outbox.to(email) if "Bienvenue" in m["Subject"]]
    return _path(outbox.links_in(mails[-1])[0])


def test_a_confirmation_link_is_single_use(client, outbox):
    client.post_form("/auth/signup", SIGNUP)
    link = _confirm_link(outbox, SIGNUP["email"])
    assert client.post_form(link, {"password": SIGNUP["password"]}).status_code == 302
    client.post_form("/auth/logout")
    again = client.get(link)
    assert again.status_code == 302 and again.headers["Location"].endswith("/auth/login")
    assert client.post_form(link, {"password": SIGNUP["password"]}).status_code == 302
    assert client.get("/me").status_code == 302  # the second use logged nobody in


def test_the_link_alone_neither_confirms_nor_logs_in(client, outbox):
    client.post_form("/auth/signup", SIGNUP)
    link = _confirm_link(outbox, SIGNUP["email"])
    assert client.get(link).status_code == 200
    wrong = client.post_form(link, {"password": "un autre mot de passe"})
    assert wrong.status_code == 422 and "Mot de passe incorrect" in page_text(wrong)
    assert client.get("/me").status_code == 302
    assert _member(SIGNUP["email"]).email_confirmed_at is None


def test_pre_hijacking_the_owner_takes_the_address_back_and_the_link_dies(client, outbox):
    """Someone registers the victim's address with their own password. The victim cannot
    confirm that account without knowing it; choosing her own password (the link offered on
    the confirmation page) ends the attacker's, and the first link no longer works."""
    client.post_form("/auth/signup", SIGNUP)
    link = _confirm_link(outbox, SIGNUP["email"])
    page = page_text(client.get(link))
    assert "Choisissez votre propre mot de passe" in page
    client.post_form("/auth/forgot", {"email": SIGNUP["email"]})
    [reset_mail] = [m for m in outbox.to(SIGNUP["email"]) if "nouveau mot de passe" in m["Subject"]]
    mine = "le mot de passe de la victime"
    client.post_form(_path(outbox.links_in(reset_mail)[0]), {"password": mine, "confirm": mine})
    client.post_form("/auth/logout")
    # The attacker's password and their confirmation link are dead.
    assert client.post_form(link, {"password": SIGNUP["password"]}).status_code == 302
    assert client.get("/me").status_code == 302
    attacker = client.post_form(
        "/auth/login", {"email": SIGNUP["email"], "password": SIGNUP["password"]}
    )
    assert attacker.status_code == 422 and client.get("/me").status_code == 302
    victim = client.post_form("/auth/login", {"email": SIGNUP["email"], "password": mine})
    assert victim.status_code == 302 and client.get("/me").status_code == 200


def test_a_confirmation_link_dies_with_a_password_change(app, client):
    member = make_member(email="nouveau@example.org", confirmed=False)
    with app.test_request_context():
        token = services.make_confirm_token(member)
        assert services.member_for_confirm_token(token) == member
        services.reset_password(member, "une toute nouvelle phrase")
        assert services.member_for_confirm_token(token) is None


def test_logout_kills_the_session_cookie_and_the_remember_cookie_on_the_server(app, client):
    member = make_member(email="lea@example.org")
    client.post_form("/auth/login", {"email": member.email, "password": PASSWORD, "remember": "y"})
    assert client.get("/me").status_code == 200
    session_cookie = client.get_cookie("session")
    remember = client.get_cookie("remember_token")
    assert session_cookie is not None and remember is not None
    client.post_form("/auth/logout")
    assert client.get("/me").status_code == 302
    # A copy of the cookies taken before the logout opens nothing any more.
    thief = app.test_client()
    thief.set_cookie("session", session_cookie.value)
    assert thief.get("/me").status_code == 302
    thief = app.test_client()
    thief.set_cookie("remember_token", remember.value)
    assert thief.get("/me").status_code == 302


def test_logout_everywhere_revokes_api_tokens(app, client, api_token):
    member = make_member()
    header = api_token(member)
    assert client.get("/api/v1/me", headers=header).status_code == 200
    client.login_as(member)
    client.post_form("/auth/logout", {"everywhere": "1"})
    assert app.test_client().get("/api/v1/me", headers=header).status_code == 401


def test_a_plain_logout_keeps_api_tokens(app, client, api_token):
    member = make_member()
    header = api_token(member)
    client.login_as(member)
    client.post_form("/auth/logout")
    assert app.test_client().get("/api/v1/me", headers=header).status_code == 200


def test_the_api_lists_and_revokes_ones_own_tokens_only(client, api_token):
    member, other = make_member(), make_member()
    header = api_token(member)
    second = api_token(member)
    _theirs, their_token = services.issue_token(other)
    listed = client.get("/api/v1/me/tokens", headers=header)
    assert listed.status_code == 200
    rows = listed.get_json()["tokens"]
    assert len(rows) == 2 and sum(row["current"] for row in rows) == 1
    assert all("token" not in row and "token_hash" not in row for row in rows)
    assert client.delete(f"/api/v1/me/tokens/{their_token.id}", headers=header).status_code == 404
    assert db.session.get(ApiToken, their_token.id) is not None
    other_id = next(row["id"] for row in rows if not row["current"])
    assert client.delete(f"/api/v1/me/tokens/{other_id}", headers=header).status_code == 204
    assert client.get("/api/v1/me", headers=second).status_code == 401
    assert client.get("/api/v1/me", headers=header).status_code == 200
    assert client.get("/api/v1/me/tokens").status_code == 401


def test_the_profile_page_lists_and_revokes_tokens(app, client, api_token):
    member = make_member()
    header = api_token(member)
    client.login_as(member)
    assert "jetons" in page_text(client.get("/me"))
    [token] = services.tokens_of(member)
    page = page_text(client.get("/auth/tokens"))
    assert f"Jeton n° {token.id}" in page
    response = client.post_form(f"/auth/tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert app.test_client().get("/api/v1/me", headers=header).status_code == 401
    foreign = services.issue_token(make_member())[1]
    assert client.post_form(f"/auth/tokens/{foreign.id}/revoke").status_code == 404


# --- the same work whether or not the address exists -------------------------------------


def test_signup_does_the_same_work_for_a_known_and_a_new_address(app, client, outbox, monkeypatch):
    make_member(email="connue@example.org", display_name="Connue")
    calls = {"hash": 0, "queued": 0}
    real_hash = services.hash_password
    real_queue = core_mail.send_in_background

    def counting_hash(password: str) -> str:
        calls["hash"] += 1
        return real_hash(password)

    def counting_queue(message) -> None:
        calls["queued"] += 1
        real_queue(message)

    monkeypatch.setattr(services, "hash_password", counting_hash)
    monkeypatch.setattr(core_mail, "send_in_background", counting_queue)
    # At production cost, as an attacker would time it (the suite hashes cheaply elsewhere):
    # the hash is then most of a sign-up, on both paths.
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher())
    monkeypatch.setattr(passwords, "_DUMMY_HASH", passwords._hasher.hash("terreau-dummy"))

    def signup(email: str, n: int) -> tuple[dict[str, int], float]:
        calls.update(hash=0, queued=0)
        data = {**SIGNUP, "email": email, "display_name": f"Essai {n}"}
        token = client.csrf_token()
        start = time.perf_counter()
        response = client.post("/auth/signup", data={**data, "csrf_token": token})
        elapsed = time.perf_counter() - start
        assert response.status_code == 302
        return dict(calls), elapsed

    known, new = [], []
    for n in range(5):  # in turns, so that a busy moment of the machine weighs on both
        known.append(signup("connue@example.org", n))
        new.append(signup(f"nouvelle{n}@example.org", n + 10))
    # The same work: one password hash and one mail handed over on both paths.
    assert {tuple(w.items()) for w, _t in known} == {(("hash", 1), ("queued", 1))}
    assert {tuple(w.items()) for w, _t in new} == {(("hash", 1), ("queued", 1))}
    # And so about the same time (argon2 dominates; the ratio is generous so as not to flake).
    known_time = statistics.median(t for _w, t in known)
    new_time = statistics.median(t for _w, t in new)
    assert 1 / 3 < known_time / new_time < 3


def test_forgot_password_does_the_same_work_and_never_waits_for_the_mail_server(
    app, client, outbox, monkeypatch
):
    make_member(email="connue@example.org")
    monkeypatch.setitem(app.config, "MAIL_IN_BACKGROUND", True)
    handed: list[object] = []
    in_request: list[object] = []
    real_queue = core_mail.send_in_background
    real_send = core_mail.send
    import threading

    request_thread = threading.get_ident()

    def counting_queue(message) -> None:
        handed.append(message)
        real_queue(message)

    def watching_send(message) -> None:
        if threading.get_ident() == request_thread:
            in_request.append(message)
        real_send(message)

    monkeypatch.setattr(core_mail, "send_in_background", counting_queue)
    monkeypatch.setattr(core_mail, "send", watching_send)
    for email in ("connue@example.org", "inconnue@example.org"):
        response = client.post_form("/auth/forgot", {"email": email})
        assert response.status_code == 302
    assert len(handed) == 2  # one mail handed over on each path (None for the unknown one)
    assert handed[0] is not None and handed[1] is None
    core_mail.wait_for_background_mail()
    assert in_request == []  # the request never talked to the mail server
    assert len(outbox.to("connue@example.org")) == 1 and outbox.to("inconnue@example.org") == []


def test_a_token_client_that_carries_a_cookie_is_still_the_tokens(client, api_token):
    """A client that keeps cookies got a session from any page it read (its CSRF token): its
    bearer token must still authenticate it, not be dropped by the session's protection."""
    member = make_member()
    header = api_token(member)
    with client.session_transaction() as session:
        session["csrf_token"] = "from-a-page-read-earlier"
    answer = client.get("/api/v1/me", headers=header)
    assert answer.status_code == 200 and answer.get_json()["id"] == member.id
    patched = client.patch("/api/v1/me", json={"bio": "Par jeton."}, headers=header)
    assert patched.status_code == 200


def test_a_bearer_header_means_the_token_alone_and_never_skips_csrf(client, api_token):
    """A request that names a token is the token's: a session beside a bogus one neither acts
    nor escapes the CSRF check (a header's presence is not an authentication)."""
    member = make_member()
    client.login_as(member)
    bogus = {"Authorization": "Bearer not-a-token"}
    assert client.get("/api/v1/me", headers=bogus).status_code == 401
    answer = client.patch("/api/v1/me", json={"bio": "Sans jeton CSRF."}, headers=bogus)
    assert answer.status_code == 401
    db.session.expire_all()
    assert db.session.get(Member, member.id).bio != "Sans jeton CSRF."
    other = make_member()
    mine = client.get("/api/v1/me", headers=api_token(other))
    assert mine.status_code == 200 and mine.get_json()["id"] == other.id
    assert client.get("/api/v1/me").get_json()["id"] == member.id  # the session is intact


def test_signing_up_from_a_community_comes_back_to_it(client, outbox):
    """Walked at 360 px: a visitor found a community, signed up, confirmed, and landed on a
    page asking where she lives instead of the community she had chosen."""
    data = dict(SIGNUP, email="trouve@example.org")
    client.post_form("/auth/signup?next=/communities/compost", data)
    link = _confirm_link(outbox, data["email"])
    done = client.post_form(link, {"password": data["password"]})
    assert done.status_code == 302 and done.headers["Location"].endswith("/communities/compost")
    # Only a path of this site: never sent elsewhere.
    client.post_form("/auth/logout")
    other = dict(SIGNUP, email="ailleurs@example.org", display_name="Ailleurs")
    client.post_form("/auth/signup?next=https://evil.example/", other)
    done = client.post_form(_confirm_link(outbox, other["email"]), {"password": other["password"]})
    assert done.headers["Location"].endswith("/communities/for-me")


def test_logging_in_greets_her_once(client):
    """Walked at 360 px: "Bonjour Maryse !" in a banner, then "Bonjour Maryse" as the title."""
    make_member(email="une@example.org", display_name="Une Fois")
    home = client.post_form(
        "/auth/login", {"email": "une@example.org", "password": PASSWORD}, follow_redirects=True
    )
    assert page_text(home).count("Bonjour Une Fois") == 1
    client.post_form("/auth/logout")
    elsewhere = client.post_form(
        "/auth/login?next=/communities",
        {"email": "une@example.org", "password": PASSWORD},
        follow_redirects=True,
    )
    assert "Bonjour Une Fois\u00a0!" in page_text(elsewhere)  # away from home, the banner says it
