"""A person on a phone signs up, logs in and edits their profile, in French."""

import pytest
from playwright.sync_api import expect

from community.extensions import db
from tests.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.factories import PASSWORD, make_member, make_neighbourhood, make_theme

pytestmark = [pytest.mark.browser, pytest.mark.live]


def check_page(page):
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_sign_up_confirm_and_edit_profile_on_a_phone(page, live_server, outbox):
    make_neighbourhood("Les Tilleuls")
    make_theme("Alimentation")
    db.session.commit()

    page.goto(live_server + "/")
    check_page(page)
    # The header is one line on a phone: the links are behind "Menu" (a <details>).
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("link", name="S'inscrire").click()
    page.get_by_label("Pseudonyme").wait_for()  # the sign-up page, not the one being left
    check_page(page)
    page.get_by_label("E-mail").fill("camille@example.org")
    page.get_by_label("Pseudonyme").fill("Camille")
    page.get_by_label("Mot de passe").fill("une phrase de passe")
    page.get_by_label("Quartier (facultatif)").select_option(label="Les Tilleuls")
    page.get_by_label("J'ai lu et j'accepte la charte de la plateforme").check()
    page.get_by_role("button", name="Créer mon compte").click()
    page.get_by_role("heading", name="Regardez votre boîte mail").wait_for()
    check_page(page)

    [mail] = outbox.to("camille@example.org")
    page.goto(outbox.links_in(mail)[0])
    check_page(page)
    page.get_by_label("Le mot de passe choisi à l'inscription").fill("une phrase de passe")
    page.get_by_role("button", name="Confirmer et me connecter").click()
    page.get_by_text("Votre e-mail est confirmé").wait_for()
    # Confirming leads to "communities for me" (issue 13), her neighbourhood already chosen.
    page.get_by_role("heading", name="Des communautés pour moi").wait_for()
    check_page(page)

    page.goto(page.url.split("/communities")[0] + "/me")
    page.get_by_role("link", name="Modifier mon profil").click()
    page.get_by_label("Alimentation").wait_for()  # the edit page, not the one being left
    check_page(page)
    page.get_by_label("Alimentation").check()
    page.get_by_label("Mes savoir-faire").fill("cuisine\ncompostage")
    page.get_by_label("Quelques mots sur moi").fill("Nouvelle aux Tilleuls.")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Votre profil est enregistré.").wait_for()
    assert "compostage" in page.content()
    check_page(page)


def test_log_in_with_the_keyboard_and_see_errors_announced(page, live_server):
    make_member(email="lea@example.org", display_name="Léa")
    db.session.commit()

    page.goto(live_server + "/auth/login")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    # The menu floats over the page: tabbing past its last link closes it (walked: it stayed
    # open, over the fields the focus had reached), so does Escape.
    menu = page.locator("details.main-menu")
    page.locator("details.main-menu > summary").focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    for _link in (
        "Accueil",
        "Communautés",
        "Initiatives",
        "Rencontres",
        "Questionnaires",
        "Se connecter",
    ):
        page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # S'inscrire, the last
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "email"
    expect(menu).not_to_have_attribute("open", "")
    page.locator("details.main-menu > summary").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Menu"
    page.get_by_label("E-mail").fill("lea@example.org")
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.keyboard.press("Enter")
    page.get_by_text("E-mail ou mot de passe incorrect.", exact=True).wait_for()
    # Focus on the error summary (issue 13), whose link leads to the field.
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "password"
    check_page(page)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Bonjour Léa").wait_for()  # the home page greets her once
    check_page(page)


def test_download_my_data_then_delete_my_account(page, live_server):
    make_member(email="noe@example.org", display_name="Noé")
    db.session.commit()

    page.goto(live_server + "/auth/login")
    page.get_by_label("E-mail").fill("noe@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Bonjour Noé").wait_for()
    check_page(page)
    # Logging in lands on the home page (issue 13); the profile is in the Menu.
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("link", name="Mon profil").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger mes données").click()
    assert download.value.suggested_filename.startswith("terreau-mes-donnees-")
    with open(download.value.path(), encoding="utf-8") as exported:
        assert '"display_name": "Noé"' in exported.read()

    page.get_by_role("link", name="Supprimer mon compte").click()
    page.get_by_role("heading", name="Ce qui reste, sans votre nom").wait_for()
    check_page(page)
    page.get_by_label("Votre mot de passe").fill("pas le bon")
    page.get_by_label("Je comprends que mon compte sera supprimé pour de bon").check()
    page.get_by_role("button", name="Supprimer mon compte").click()
    page.get_by_text("Mot de passe incorrect.", exact=True).wait_for()
    check_page(page)
    page.get_by_label("Votre mot de passe").fill(PASSWORD)
    page.get_by_label("Je comprends que mon compte sera supprimé pour de bon").check()
    page.get_by_role("button", name="Supprimer mon compte").click()
    page.get_by_text("Votre compte est supprimé. Merci d'avoir participé.").wait_for()
    check_page(page)
    page.goto(live_server + "/auth/login")
    page.get_by_label("E-mail").fill("noe@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_text("E-mail ou mot de passe incorrect.", exact=True).wait_for()


def test_a_refused_form_opens_on_a_summary_that_leads_to_each_field(page, live_server):
    """Issue 13: the summary is focused, names each field, and its link puts the cursor there."""
    page.goto(live_server + "/auth/signup")
    page.get_by_label("Pseudonyme").fill("a")
    page.get_by_role("button", name="Créer mon compte").click()
    summary = page.get_by_role("alert").filter(has_text="Le formulaire n'est pas envoyé")
    summary.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    check_page(page)
    summary.get_by_role("link", name="Mot de passe\u00a0: Ce champ est requis.").click()
    assert page.evaluate("document.activeElement.id") == "password"
    summary.get_by_role("link", name="J'ai lu et j'accepte la charte").click()
    assert page.evaluate("document.activeElement.id") == "accept_charter"


def test_a_page_for_members_offers_to_log_in_and_comes_back(page, live_server):
    """Walked at 360 px: the 401 page said "Erreur 401" and led only home."""
    member = make_member()
    db.session.commit()
    page.goto(live_server + "/solidarity/offers/new")
    page.get_by_role("heading", name="Connectez-vous pour continuer").wait_for()
    check_page(page)
    assert page.get_by_role("link", name="Créer mon compte").is_visible()
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("E-mail").fill(member.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: url.endswith("/solidarity/offers/new"))
    page.goto(live_server + "/nulle-part")
    page.get_by_role("heading", name="Page introuvable").wait_for()
    check_page(page)
