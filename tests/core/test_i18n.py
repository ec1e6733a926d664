from community.core.i18n import missing_french
from tests.factories import make_member


def test_every_interface_string_has_a_french_translation():
    missing = missing_french()
    assert missing == {}, f"French translations missing: {missing}"


def test_french_is_the_default(client):
    html = client.get("/").get_data(as_text=True)
    assert 'lang="fr"' in html and "Agir ensemble" in html


def test_the_browser_language_is_followed(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in html and "Act together" in html


def test_a_visitor_can_choose_a_language(client):
    client.post_form("/language", {"lang": "en", "next": "/"})
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Act together" in html


def test_the_members_choice_wins_over_the_browser(client):
    member = make_member(locale="en")
    client.login_as(member)
    html = client.get("/me", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "My profile" in html
