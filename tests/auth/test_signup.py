import pytest

from community.members.models import Member
from tests.conftest import page_text
from tests.factories import make_member, make_neighbourhood

GOOD = {
    "email": "nouvelle@example.org",
    "display_name": "Nadia",
    "password": "une phrase de passe",
    "accept_charter": "y",
}


def _member(email):
    from sqlalchemy import select

    from community.extensions import db

    return db.session.execute(select(Member).where(Member.email == email)).scalar_one_or_none()


def test_signup_sends_a_confirmation_link_that_asks_for_the_password(client, outbox):
    place = make_neighbourhood("Les Tilleuls")
    response = client.post_form("/auth/signup", {**GOOD, "neighbourhood_id": str(place.id)})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/auth/signup/sent"
    )
    member = _member("nouvelle@example.org")
    assert member is not None and member.role == "citizen" and member.neighbourhood == place
    assert member.email_confirmed_at is None and member.password_hash.startswith("$argon2")
    [mail] = outbox.to("nouvelle@example.org")
    assert "Bienvenue" in mail["Subject"]
    link = outbox.links_in(mail)[0]
    page = client.get(link.replace("http://localhost", ""))
    assert page.status_code == 200 and "tapez le mot de passe" in page_text(page)
    assert client.get("/me").status_code == 302  # the link alone logs nobody in
    confirmed = client.post_form(
        link.replace("http://localhost", ""), {"password": GOOD["password"]}
    )
    # Confirming leads to "communities for me": her neighbourhood, themes, communities near her.
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"].endswith("/communities/for-me")
    assert "Nadia" in client.get("/me").get_data(as_text=True)


def test_cannot_log_in_before_confirming(client, outbox):
    client.post_form("/auth/signup", GOOD)
    outbox.clear()
    response = client.post_form(
        "/auth/login", {"email": GOOD["email"], "password": GOOD["password"]}
    )
    assert response.status_code == 200
    assert "Confirmez d'abord votre e-mail" in page_text(response)
    assert len(outbox.to(GOOD["email"])) == 1  # a fresh link
    assert client.get("/me").status_code == 302


def test_a_taken_email_gets_the_same_answer_and_its_owner_is_told(client, outbox):
    make_member(email="deja@example.org", display_name="Déjà Là")
    response = client.post_form("/auth/signup", {**GOOD, "email": "Deja@Example.org"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/auth/signup/sent"
    )
    [mail] = outbox.to("deja@example.org")
    assert "déjà un compte" in mail["Subject"]
    assert _member("nouvelle@example.org") is None


@pytest.mark.parametrize(
    "change,field_message",
    [
        ({"email": "pas-un-email"}, "adresse e-mail valide"),
        ({"password": "court"}, "Au moins 10 caractères"),
        ({"display_name": "a"}, "entre 3 et 40"),
        ({"display_name": "x" * 300}, "entre 3 et 40"),
        ({"accept_charter": ""}, "Cochez cette case pour accepter la charte."),
        ({"neighbourhood_id": "999999"}, "N'est pas un choix valide"),
    ],
)
def test_bad_signup_input_is_refused_in_french_and_nothing_is_stored(
    client, outbox, change, field_message
):
    data = {**GOOD, **change}
    if change.get("accept_charter") == "":
        data.pop("accept_charter")
    response = client.post_form("/auth/signup", data)
    assert response.status_code == 422
    html = page_text(response)
    assert "Le formulaire n'est pas envoyé" in html and field_message in html
    assert _member(data["email"]) is None
    assert outbox.messages == []


def test_pseudonyms_are_unique_whatever_the_case(client, outbox):
    make_member(display_name="Maryse")
    response = client.post_form("/auth/signup", {**GOOD, "display_name": "MARYSE"})
    assert "Déjà pris sur Terreau\u00a0: ajoutez par exemple l'initiale de votre nom." in page_text(
        response
    )


def test_signup_is_rate_limited(app, client, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNUP_RATE_LIMIT", "2 per hour")
    for n in range(2):
        client.post_form(
            "/auth/signup", {**GOOD, "email": f"n{n}@example.org", "display_name": f"Nom {n}"}
        )
    response = client.post_form(
        "/auth/signup", {**GOOD, "email": "n3@example.org", "display_name": "Nom 3"}
    )
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)


def test_the_check_your_mailbox_page_links_to_a_new_link(client, outbox):
    """Walked: "… ou connectez-vous pour recevoir un nouveau lien" was plain text, and the
    page's one link was to sign up again."""
    client.post_form("/auth/signup", GOOD)
    sent = page_text(client.get("/auth/signup/sent"))
    assert '<a href="/auth/login">Se connecter pour recevoir un nouveau lien</a>' in sent
