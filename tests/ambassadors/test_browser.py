"""An ambassador on a phone makes a link, sees its reach and logs an outing (360 × 740)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from community.extensions import db
from tests.ambassadors.factories import make_ambassador, make_invitation
from tests.conftest import assert_accessible, assert_no_horizontal_scroll, browser_log_in
from tests.factories import make_community, make_member, make_theme

pytestmark = [
    pytest.mark.browser,
    pytest.mark.live,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def test_links_and_journal(live_server: str, page: Any) -> None:
    yanis = make_member(display_name="Yanis porte-voix")
    make_theme("Alimentation")
    community = make_community("Compost des Tilleuls", members=(yanis,))
    ambassador = make_ambassador(yanis, community, shown=True)
    make_invitation(ambassador, "marché du samedi")
    db.session.commit()
    ambassador_id, slug = ambassador.id, community.slug

    browser_log_in(page, live_server, yanis)

    page.goto(f"{live_server}/ambassadors")
    # Walked at 360 px: the label box had no type and missed the styling (21 px high).
    box = page.locator(f"#label-{ambassador_id}").bounding_box()
    assert box is not None and box["height"] >= 44
    page.fill(f"#label-{ambassador_id}", "école Jules-Ferry")
    page.click(f"form[action$='/ambassadors/{ambassador_id}/invitations'] button[type=submit]")
    page.wait_for_url("**/ambassadors")
    assert page.locator(".invitation").count() == 2
    assert "/invitations/" in page.locator(".invitation input").first.input_value()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    # Ending the mission is apart from making a link: well below it, and quiet (not a button);
    # the keyboard opens its confirmation.
    make = page.locator(
        f"form[action$='/ambassadors/{ambassador_id}/invitations'] button[type=submit]"
    ).bounding_box()
    end = page.locator(".mission-end summary")
    end_box = end.bounding_box()
    assert make is not None and end_box is not None
    assert end_box["y"] - (make["y"] + make["height"]) >= 48
    assert end_box["height"] >= 44
    end.focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Oui, j'arrête d'être porte-voix").is_visible()
    assert_accessible(page)

    page.goto(f"{live_server}/ambassadors/{ambassador_id}/outreach")
    page.fill("input[name=happened_on]", date.today().isoformat())
    page.fill("input[name=people_met]", "12")
    page.fill("textarea[name=topics]", "Rappelez Jeanne au 06 12 34 56 78")
    page.click("form.stack button[type=submit]")
    page.locator("#topics-error").wait_for()  # the page that says why comes back
    assert page.locator("#topics-error").count() == 1  # contact details refused, clearly
    assert_accessible(page)
    page.fill("textarea[name=topics]", "Envie d'un composteur près de l'école.")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"**/ambassadors/{ambassador_id}/outreach")
    assert "composteur" in page.locator("article.card").first.inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.goto(f"{live_server}/communities/{slug}/ambassadors")
    assert "Yanis porte-voix" in page.inner_text("main")
    assert_accessible(page)


# Resolves once the image has loaded (rejects if it cannot): a QR code that really shows.
LOADED = """img => img.complete && img.naturalWidth > 0 ? true : new Promise((ok, ko) => {
  img.addEventListener("load", () => ok(img.naturalWidth > 0)); img.addEventListener("error", ko);
})"""


def test_invitation_link_to_member_of_the_community(
    live_server: str, page: Any, browser: Any, outbox: Any
) -> None:
    """A neighbour opens the link on her phone, signs up, confirms: she is in the community."""
    aicha = make_member(display_name="Aïcha")
    community = make_community(
        "Zéro déchet aux Tilleuls", members=(aicha,), description="Trier, composter, réparer."
    )
    ambassador = make_ambassador(aicha, community)
    invitation = make_invitation(ambassador, "marché du samedi")
    db.session.commit()
    invitation_id, token, slug = invitation.id, invitation.token, community.slug

    # The ambassador copies her link and opens her flyer.
    browser_log_in(page, live_server, aicha)
    page.goto(f"{live_server}/ambassadors")
    page.get_by_role("button", name="Copier le lien").click()
    page.get_by_text("Le lien est copié").wait_for()
    page.get_by_text("Voir le QR code").click()
    page.locator("details.qr img").evaluate(LOADED)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="Affichette à imprimer").click()
    page.get_by_role("heading", name="Rejoignez Zéro déchet aux Tilleuls").wait_for()
    page.locator(".flyer-qr").evaluate(LOADED)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    page.emulate_media(media="screen")

    # The neighbour, in her own browser, on a phone.
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    try:
        nora = context.new_page()
        nora.goto(f"{live_server}/invitations/{token}")
        title = "Aïcha vous invite à rejoindre Zéro déchet aux Tilleuls"
        nora.get_by_role("heading", name=title).wait_for()
        assert_accessible(nora)
        assert_no_horizontal_scroll(nora)
        nora.get_by_role("link", name="Créer mon compte").first.click()
        invites = "Aïcha vous invite à rejoindre «\u00a0Zéro déchet aux Tilleuls\u00a0»."
        nora.get_by_text(invites).wait_for()
        assert_accessible(nora)
        assert_no_horizontal_scroll(nora)
        nora.get_by_label("E-mail").fill("nora@example.org")
        nora.get_by_label("Pseudonyme").fill("Nora")
        nora.get_by_label("Mot de passe").fill("une phrase de passe")
        nora.get_by_label("J'ai lu et j'accepte la charte de la plateforme").check()
        nora.get_by_role("button", name="Créer mon compte").click()
        nora.get_by_text("Nous avons envoyé un e-mail à nora@example.org.").wait_for()
        nora.get_by_text(invites).wait_for()  # who invited her to what, as her mail says
        assert_accessible(nora)
        [mail] = outbox.to("nora@example.org")
        assert invites in outbox.text_of(mail)
        nora.goto(next(url for url in outbox.links_in(mail) if "/auth/confirm/" in url))
        nora.get_by_text(invites).wait_for()
        assert_accessible(nora)
        assert_no_horizontal_scroll(nora)
        # The link asks for the password chosen at sign-up (issue 12: it never logs in alone).
        nora.get_by_label("Le mot de passe choisi à l'inscription").fill("une phrase de passe")
        nora.get_by_role("button", name="Confirmer et me connecter").click()
        # A member at once, she lands in the community's welcome thread (issue 13, part A).
        nora.wait_for_url("**/threads/*")
        nora.get_by_text("Vous êtes maintenant membre de Zéro déchet aux Tilleuls.").wait_for()
        nora.locator("#message-form").wait_for()
        nora.goto(f"{live_server}/communities/{slug}")
        nora.get_by_text("Vous êtes membre de cette communauté.").wait_for()
        assert_accessible(nora)
        assert_no_horizontal_scroll(nora)
    finally:
        context.close()
    assert invitation_id
