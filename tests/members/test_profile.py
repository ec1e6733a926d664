import pytest

from tests.conftest import page_text
from tests.factories import make_member, make_neighbourhood, make_theme


def test_profile_needs_a_login(client):
    response = client.get("/me")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_edit_profile_in_french(client):
    member = make_member(display_name="Léa")
    place, food, culture = (
        make_neighbourhood("La Roseraie"),
        make_theme("Alimentation"),
        make_theme("Culture"),
    )
    client.login_as(member)
    form = page_text(client.get("/me/edit"))
    assert "Modifier mon profil" in form and "Mes savoir-faire" in form
    response = client.post_form(
        "/me/edit",
        {
            "display_name": "Léa R.",
            "neighbourhood_id": str(place.id),
            "theme_ids": [str(food.id), str(culture.id)],
            "skills": "couture\n\nréparation de vélos\ncouture",
            "bio": "Habitante curieuse",
            "locale": "fr",
        },
    )
    assert response.status_code == 302
    page = page_text(client.get("/me"))
    assert "Léa R." in page and "La Roseraie" in page and "Alimentation, Culture" in page
    assert member.skills == ["couture", "réparation de vélos"]


@pytest.mark.parametrize(
    "change,message",
    [
        ({"display_name": "x"}, "entre 3 et 40"),
        ({"bio": "x" * 1001}, "1000 caractères"),
        ({"neighbourhood_id": "424242"}, "N'est pas un choix valide"),
        ({"locale": "de"}, "N'est pas un choix valide"),
    ],
)
def test_bad_profile_input_is_refused_and_nothing_changes(client, change, message):
    member = make_member(display_name="Avant")
    client.login_as(member)
    data = {"display_name": "Après", "bio": "", "locale": "fr", "neighbourhood_id": "", **change}
    response = client.post_form("/me/edit", data)
    assert response.status_code == 422 and message in page_text(response)
    assert member.display_name == "Avant"


def test_taken_pseudonym_is_refused(client):
    make_member(display_name="Maryse")
    member = make_member(display_name="Avant")
    client.login_as(member)
    response = client.post_form(
        "/me/edit", {"display_name": "maryse", "locale": "fr", "neighbourhood_id": ""}
    )
    assert (
        "Déjà pris sur Terreau\u00a0: ajoutez par exemple l'initiale de votre nom."
        in page_text(response)
        and member.display_name == "Avant"
    )


def test_public_profile_shows_no_email(client):
    viewer, other = make_member(), make_member(email="secret@example.org", bio="Bonjour")
    client.login_as(viewer)
    page = page_text(client.get(f"/members/{other.id}"))
    assert other.display_name in page and "secret@example.org" not in page


def test_unknown_or_unconfirmed_profiles_are_404(client):
    viewer, pending = make_member(), make_member(confirmed=False)
    client.login_as(viewer)
    assert client.get("/members/999999").status_code == 404
    assert client.get(f"/members/{pending.id}").status_code == 404


def test_access_tokens_wait_folded_at_the_bottom_of_the_profile(client):
    """An inhabitant is not met with "jetons d'accès": they sit last, in a folded "Pour les
    applications" (a <details>: the keyboard opens it, no JavaScript needed)."""
    from tests.html_parts import element, hrefs, text_of

    client.login_as(make_member())
    page = page_text(client.get("/me"))
    folded = element(page, 'class="card advanced"')
    assert folded.startswith("<details") and "<summary>Pour les applications</summary>" in folded
    assert "/auth/tokens" in hrefs(folded) and "Mes jetons d'accès" in folded
    outside = page.replace(folded, "")
    assert "/auth/tokens" not in hrefs(outside) and "jeton" not in outside.casefold()
    # Last of the page's content: after "Mes données".
    assert page.index("Mes données") < page.index(folded)
    after = page[page.index(folded) + len(folded) : page.index("</main>")]
    assert text_of(after) == ""
