"""Issue 13: the journeys of real people, clicked at 360 × 740 from the home page, axe clean.

- a newcomer signs up, confirms, chooses a community near her, joins, lands in its welcome
  thread and posts; from the home page, a live discussion is three taps away at most;
- a gardener sees the badge for a new report, hides the message, the reporter is told;
- offline, a member writes; back online, the message is sent once.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from community.extensions import db
from tests.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    browser_log_in,
    with_service_worker,
)
from tests.factories import (
    make_community,
    make_member,
    make_neighbourhood,
    make_theme,
    make_thread,
)

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return with_service_worker(browser_context_args)


def check_page(page: Any) -> None:
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_sign_up_confirm_choose_join_land_in_the_thread_and_post(page, live_server, outbox):
    tilleuls = make_neighbourhood("Les Tilleuls")
    make_theme("Alimentation")
    make_community("Compost des Tilleuls", neighbourhood=tilleuls, charter="Respect.")
    make_community("Pêche au Port", neighbourhood=make_neighbourhood("Le Port"))
    db.session.commit()

    page.goto(live_server + "/")
    check_page(page)
    page.get_by_role("link", name="Créer mon compte").click()
    page.get_by_label("E-mail").fill("camille@example.org")
    page.get_by_label("Pseudonyme").fill("Camille")
    page.get_by_label("Mot de passe").fill("une phrase de passe")
    page.get_by_label("J'ai lu et j'accepte la charte de la plateforme").check()
    page.get_by_role("button", name="Créer mon compte").click()
    page.get_by_role("heading", name="Regardez votre boîte mail").wait_for()

    [mail] = outbox.to("camille@example.org")
    page.goto(outbox.links_in(mail)[0])
    # The link asks for the password chosen at sign-up (issue 12: it never logs in alone).
    page.get_by_label("Le mot de passe choisi à l'inscription").fill("une phrase de passe")
    page.get_by_role("button", name="Confirmer et me connecter").click()
    # Asked her neighbourhood and themes, then shown the communities near her.
    page.get_by_role("heading", name="Des communautés pour moi").wait_for()
    check_page(page)
    page.get_by_label("Mon quartier").select_option(label="Les Tilleuls")
    page.get_by_label("Alimentation").check()
    page.get_by_role("button", name="Voir les communautés").click()
    near = page.locator("section[aria-labelledby=near-title]")
    near.get_by_role("link", name="Compost des Tilleuls").wait_for()
    assert near.get_by_role("link", name="Pêche au Port").count() == 0
    check_page(page)

    # Two taps from here to a live discussion: the community, then join (charter accepted).
    near.get_by_role("link", name="Compost des Tilleuls").click()
    page.get_by_role("button", name="J'accepte la charte et je rejoins").click()
    page.wait_for_url("**/threads/*")
    page.get_by_text("Bienvenue dans Compost des Tilleuls").wait_for()
    page.locator("#messages[data-joined]").wait_for(state="attached")
    check_page(page)
    page.fill("#body", "Bonjour, je suis Camille, nouvelle aux Tilleuls !")
    page.click("#message-form button[type=submit]")
    page.locator(".message-body", has_text="nouvelle aux Tilleuls").wait_for()
    expect(page.locator("#body")).to_have_value("")

    # Back home, the community and its discussion are one tap away.
    page.goto(live_server + "/")
    page.get_by_role("heading", name="Mes communautés").wait_for()
    page.get_by_role("link", name="Bienvenue\u00a0! Présentez-vous").click()
    page.wait_for_url("**/threads/*")
    check_page(page)


class Taps:
    """What a person taps on her way (a link, a button, a box to tick), counted."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, locator: Any) -> None:
        locator.click()
        self.count += 1


def test_a_newcomer_reaches_a_live_discussion_from_home_in_three_taps(page, live_server):
    """Issue 13's "done when": at most three taps from the home page to a live discussion.

    Was four (the community list, the community, the charter box, "Rejoindre"): the join
    button now accepts the charter shown just above it.
    """
    from community.communities.models import Membership

    ines = make_member(display_name="Inès")
    charter = "Respect des voisins et de leurs idées."
    make_community("Compost des Tilleuls", charter=charter, charter_html=f"<p>{charter}</p>")
    make_community("Vélos du Port", visibility="on_request")
    db.session.commit()
    ines_id = ines.id
    browser_log_in(page, live_server, ines)

    tap = Taps()
    page.goto(live_server + "/")
    tap(page.get_by_role("link", name="Trouver une communauté près de chez moi"))
    tap(page.get_by_role("link", name="Compost des Tilleuls"))
    expect(page.get_by_text("Respect des voisins et de leurs idées.")).to_be_visible()
    check_page(page)
    tap(page.get_by_role("button", name="J'accepte la charte et je rejoins"))
    page.wait_for_url("**/threads/*")
    page.locator("#messages[data-joined]").wait_for(state="attached")  # live: the socket is in
    expect(page.locator("#body")).to_be_editable()
    assert tap.count <= 3, f"{tap.count} taps from the home page to a live discussion"
    db.session.rollback()  # a fresh read: what the server stored
    joined = db.session.execute(
        db.select(Membership).where(Membership.member_id == ines_id)
    ).scalar_one()
    assert joined.status == "active" and joined.charter_accepted_at is not None

    # A community joined on request: the same one tap sends the request, charter accepted.
    page.goto(live_server + "/communities")
    page.get_by_role("link", name="Vélos du Port").click()
    page.get_by_role("button", name="J'accepte la charte et je demande à rejoindre").click()
    page.get_by_text("Votre demande est envoyée").wait_for()


def test_a_gardener_sees_the_badge_hides_and_the_reporter_is_told(page, live_server):
    from community.threads import services as threads

    gardener, reporter, author = make_member(), make_member(), make_member()
    community = make_community("Jardins", citizen=gardener, members=(reporter, author))
    thread = make_thread(community, "Le marché")
    message = threads.post_message(author, thread, "Tu es vraiment un idiot.").message
    db.session.commit()
    thread_id, message_id = thread.id, message.id

    browser_log_in(page, live_server, reporter)
    page.goto(f"{live_server}/threads/{thread_id}")
    page.locator(f"#message-{message_id} summary", has_text="Actions").click()
    page.locator(f"#message-{message_id}").get_by_role("link", name="Signaler ce message").click()
    page.get_by_label("Insulte").check()
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.get_by_text("Merci. Les modérateurs vont regarder votre signalement.").wait_for()

    browser_log_in(page, live_server, gardener)
    page.goto(f"{live_server}/")
    badge = page.locator(".todo-count")
    assert badge.inner_text().startswith("1")
    check_page(page)
    page.locator("a.nav-todo").click()
    page.get_by_role("heading", name="À faire").wait_for()
    check_page(page)
    page.get_by_role("link", name="Un signalement sur un message").click()
    page.get_by_label("Cacher le contenu").check()
    page.get_by_label("Motif, envoyé au membre concerné").fill("Insulte envers un voisin")
    page.get_by_role("button", name="Confirmer").click()
    page.get_by_text("Le membre concerné a été prévenu").wait_for()
    assert page.locator(".todo-count").count() == 0  # nothing waits any more

    browser_log_in(page, live_server, reporter)
    page.goto(f"{live_server}/")
    assert page.locator("[data-notifications-count]").inner_text().startswith("1")
    page.goto(f"{live_server}/notifications")
    assert (
        "le contenu est maintenant caché" in page.locator(".notification-text").first.inner_text()
    )
    check_page(page)


def test_offline_a_message_is_kept_and_sent_once_when_back(page, live_server):
    lea, other = make_member(), make_member()
    community = make_community(members=(lea, other))
    thread = make_thread(community, "Le composteur")
    db.session.commit()
    url = f"{live_server}/threads/{thread.id}"

    browser_log_in(page, live_server, lea)
    page.goto(url)
    page.locator("#messages[data-joined]").wait_for(state="attached")
    # A draft survives a reload (kept in the browser).
    page.fill("#body", "Un brouillon")
    page.reload()
    expect(page.locator("#body")).to_have_value("Un brouillon")
    page.locator("#messages[data-joined]").wait_for(state="attached")

    page.context.set_offline(True)
    notice = page.locator("#thread-offline")
    expect(notice).to_contain_text("Hors ligne")
    check_page(page)
    page.fill("#body", "Écrit dans le bus, sans réseau.")
    page.click("#message-form button[type=submit]")
    queued = page.locator(".message.is-queued", has_text="sans réseau")
    queued.wait_for()
    assert page.url == url  # the form was not posted into the dead network
    expect(page.locator("#body")).to_have_value("")

    page.context.set_offline(False)
    sent = page.locator(".message[data-message-id]", has_text="sans réseau")
    sent.wait_for()
    expect(queued).to_have_count(0)
    expect(notice).to_be_hidden()
    page.reload()
    page.locator("#messages[data-joined]").wait_for(state="attached")
    assert page.locator(".message-body", has_text="sans réseau").count() == 1  # sent once


def test_a_live_message_is_deleted_by_its_author_after_one_question(page, live_server):
    lea = make_member()
    community = make_community(members=(lea,))
    thread = make_thread(community, "Le troc de graines")
    from community.threads import services as threads

    threads.post_message(lea, thread, "Qui a des graines de tomates ?")
    db.session.commit()

    browser_log_in(page, live_server, lea)
    page.goto(f"{live_server}/threads/{thread.id}")
    page.locator("#messages[data-joined]").wait_for(state="attached")
    page.fill("#body", "Un message de trop")
    page.click("#message-form button[type=submit]")
    sent = page.locator(".message[data-message-id]", has_text="Un message de trop")
    sent.wait_for()
    # One date format: the live message's time reads as the server writes it.
    live_time = sent.locator("time").inner_text()
    assert re.fullmatch(r"\d{1,2} [a-zéû]+ \d{4} à \d{2}:\d{2}", live_time), live_time
    server_time = page.locator(".message", has_text="graines de tomates").locator("time")
    server_time = server_time.inner_text()
    assert re.fullmatch(r"\d{1,2} [a-zéû]+ \d{4} à \d{2}:\d{2}", server_time), server_time
    # Without a reload, her live message has Delete; it asks once, in a dialog.
    sent.locator("summary", has_text="Actions").click()
    sent.get_by_role("link", name="Supprimer").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Supprimer ce message\u00a0?")
    check_page(page)
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_have_count(0)
    sent.get_by_role("link", name="Supprimer").click()
    page.get_by_role("dialog").get_by_role("button", name="Oui, supprimer").click()
    page.locator(".message.is-deleted").wait_for()
    assert "message supprimé" in page.locator(".message.is-deleted").inner_text()
