"""Two members in two browsers at 360 × 740 see each other's messages live; the plain form works."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from community.extensions import db
from tests.conftest import assert_accessible, assert_no_horizontal_scroll, browser_log_in
from tests.factories import make_community, make_member, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.live]


def _log_in(context: Any, base: str, member: Any) -> Any:
    """A new tab of `context`, logged in as `member` (the test goes where it begins)."""
    context.set_default_timeout(15000)
    page = context.new_page()
    browser_log_in(page, base, member)
    return page


@pytest.fixture
def scene(live_server: str) -> dict[str, Any]:
    alice, bob = make_member(), make_member()
    community = make_community(visibility="open", members=(alice, bob))
    thread = make_thread(community, title="Le composteur du square")
    db.session.commit()
    return {"alice": alice, "bob": bob, "thread": thread}


def _joined(page: Any) -> None:
    """The page's live script has joined its thread (it marks the list when it has)."""
    page.locator("#messages[data-joined]").wait_for(state="attached")


def test_the_live_region_announces_only_the_others_messages(
    browser: Any, browser_context_args: dict[str, Any], live_server: str, scene: dict[str, Any]
) -> None:
    """Found walking: her own message, arriving live (in another of her tabs, or before the
    answer to her sending), was announced to her as "Nouveau message de" herself."""
    url = f"{live_server}/threads/{scene['thread'].id}"
    contexts = [browser.new_context(**browser_context_args) for _ in range(2)]
    try:
        writing = _log_in(contexts[0], live_server, scene["alice"])
        reading = contexts[0].new_page()  # another tab of hers
        bob = _log_in(contexts[1], live_server, scene["bob"])
        for page in (writing, reading, bob):
            page.goto(url)
            _joined(page)
        writing.fill("#body", "Je passe au composteur ce soir.")
        writing.click("#message-form button[type=submit]")
        for page in (reading, bob):
            page.locator(".message-body", has_text="au composteur ce soir").wait_for()
        assert (bob.locator("#thread-live").text_content() or "").startswith("Nouveau message")
        assert (reading.locator("#thread-live").text_content() or "") == ""
        assert (writing.locator("#thread-live").text_content() or "") == ""
        bob.fill("#body", "Je viens aussi.")
        bob.click("#message-form button[type=submit]")
        reading.locator(".message-body", has_text="Je viens aussi").wait_for()
        announced = reading.locator("#thread-live").text_content() or ""
        assert announced == f"Nouveau message de {scene['bob'].display_name}"
    finally:
        for context in contexts:
            context.close()


def test_two_members_see_each_other_live(
    browser: Any, browser_context_args: dict[str, Any], live_server: str, scene: dict[str, Any]
) -> None:
    url = f"{live_server}/threads/{scene['thread'].id}"
    contexts = [browser.new_context(**browser_context_args) for _ in range(2)]
    try:
        alice = _log_in(contexts[0], live_server, scene["alice"])
        bob = _log_in(contexts[1], live_server, scene["bob"])
        for page in (alice, bob):
            page.goto(url)
            _joined(page)
        alice.fill("#body", "Bonjour Bob, le composteur est plein !")
        alice.click("#message-form button[type=submit]")
        bob.locator(".message-body", has_text="le composteur est plein").wait_for()
        # Screen readers hear it: the live region names the author.
        announced = bob.locator("#thread-live").text_content() or ""
        assert announced == f"Nouveau message de {scene['alice'].display_name}"
        # The live message can be answered and reported at once, as a rendered one can; not
        # one's own message, though.
        arrived = bob.locator(".message", has_text="le composteur est plein")
        message_id = arrived.get_attribute("data-message-id")
        arrived.locator("summary", has_text="Actions").click()  # the actions are in one menu
        reply = arrived.get_by_role("link", name="Répondre").get_attribute("href") or ""
        assert reply.endswith(f"reply_to={message_id}#message-form")
        report = arrived.get_by_role("link", name="Signaler ce message").get_attribute("href")
        assert report == f"/report?target_type=message&target_id={message_id}"
        sent = alice.locator(".message", has_text="le composteur est plein")
        # The actions are folded into one menu; the author gets Edit and Delete live.
        sent.locator("summary", has_text="Actions").click()
        sent.get_by_role("link", name="Répondre").wait_for()
        assert sent.get_by_role("link", name="Signaler ce message").count() == 0
        sent.get_by_role("link", name="Modifier").wait_for()
        assert sent.get_by_role("link", name="Supprimer").count() == 1
        assert arrived.get_by_role("link", name="Supprimer").count() == 0
        bob.fill("#body", "J'apporte du broyat samedi.")
        bob.click("#message-form button[type=submit]")
        alice.locator(".message-body", has_text="broyat").wait_for()
        bob.locator(".message-body", has_text="broyat").wait_for()
        # Sent over the socket: neither page reloaded (each still has its live list and an
        # emptied field), and nobody sees a message twice.
        for page in (alice, bob):
            # The field empties on the acknowledgement, which may come after the broadcast.
            expect(page.locator("#body")).to_have_value("")
            assert page.url == url
            assert page.locator(".message").count() == 2
            assert page.locator("#messages[data-joined]").count() == 1
            assert_no_horizontal_scroll(page)
        assert_accessible(bob)
    finally:
        for context in contexts:
            context.close()


def test_plain_form_without_javascript(
    browser: Any, browser_context_args: dict[str, Any], live_server: str, scene: dict[str, Any]
) -> None:
    url = f"{live_server}/threads/{scene['thread'].id}"
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        page = _log_in(context, live_server, scene["alice"])
        page.goto(url)
        page.fill("#body", "Envoyé sans JavaScript")
        page.click("#message-form button[type=submit]")
        page.locator(".message-body", has_text="Envoyé sans JavaScript").wait_for()
        assert page.url.startswith(f"{url}#message-")
        assert page.locator(".message").count() == 1
        assert_no_horizontal_scroll(page)
    finally:
        context.close()
    # axe runs as a script, which a context without JavaScript cannot evaluate (Playwright
    # then waits forever): check the same page with the page's own scripts blocked instead.
    context = browser.new_context(**browser_context_args)
    try:
        context.route(re.compile(r"\.js(\?|$)"), lambda route: route.abort())
        page = _log_in(context, live_server, scene["alice"])
        page.goto(url)
        assert page.locator("#messages[data-joined]").count() == 0  # no live script ran
        assert_accessible(page)
    finally:
        context.close()


def test_the_ways_into_a_discussion_at_360_px_without_javascript(
    browser: Any, browser_context_args: dict[str, Any], live_server: str
) -> None:
    """Who takes part and how, instead of a link to a refusal: readable at 360 px, without
    JavaScript, and accessible (issue "threads", findings 4 and 5)."""
    from tests.initiatives.factories import make_initiative

    outsider, member = make_member(), make_member()
    community = make_community("Les Jardins du Bourg", visibility="on_request", members=(member,))
    initiative = make_initiative(make_member(), community=community, title="Un verger partagé")
    public = make_thread(make_community("Le Lavoir"), title="Ouvert à tous")
    db.session.commit()
    pages = {
        "initiative": f"{live_server}/initiatives/{initiative.id}",
        "discussions": f"{live_server}/communities/{community.slug}/threads",
        "community": f"{live_server}/communities/{community.slug}",
    }
    for scripts in (False, True):
        context = browser.new_context(**browser_context_args, java_script_enabled=scripts)
        if scripts:  # axe runs as a script: check the pages with their own scripts blocked
            context.route(re.compile(r"\.js(\?|$)"), lambda route: route.abort())
        try:
            visitor = context.new_page()
            visitor.goto(f"{live_server}/threads/{public.id}")
            expect(visitor.get_by_role("link", name="Créer mon compte")).to_be_visible()
            (assert_accessible if scripts else assert_no_horizontal_scroll)(visitor)
            page = _log_in(context, live_server, outsider)
            for url in pages.values():
                page.goto(url)
                expect(
                    page.get_by_text(
                        "Seuls les membres de la communauté « Les Jardins du Bourg »"
                    ).first
                ).to_be_visible()
                if scripts:
                    assert_accessible(page)
                else:
                    assert_no_horizontal_scroll(page)
        finally:
            context.close()


def test_a_thread_opens_at_the_first_unread_and_what_is_read_live_stays_read(
    browser: Any,
    browser_context_args: dict[str, Any],
    live_server: str,
    scene: dict[str, Any],
    api_token: Any,
) -> None:
    """At 360 px: the home page's link opens the thread at its first unread message, with and
    without JavaScript (scrolled to without motion when asked, and focused); a message that
    arrives while the page is open and visible is read, on the home and community pages too."""
    from community.threads import reading, services
    from tests.factories import make_membership

    thread, alice = scene["thread"], scene["alice"]
    readers = {False: scene["bob"], True: make_member()}  # without, then with JavaScript
    make_membership(thread.community, readers[True])
    for n in range(30):
        services.post_message(alice, thread, f"Message numéro {n + 1}", f"m{n}")
    for reader in readers.values():
        reading.mark_read(reader, thread, 25)
    headers = api_token(alice)
    thread_id, slug = thread.id, thread.community.slug
    db.session.commit()
    for scripts, reader in readers.items():
        context = browser.new_context(
            **browser_context_args, java_script_enabled=scripts, reduced_motion="reduce"
        )
        try:
            page = _log_in(context, live_server, reader)
            page.goto(f"{live_server}/")
            page.get_by_role("link", name="Le composteur du square").click()
            page.wait_for_url(f"**/threads/{thread_id}#unread")
            marker = page.locator("#unread.unread-marker")
            expect(marker).to_have_text("Nouveaux messages")
            expect(marker).to_be_in_viewport()
            expect(page.locator(".message", has_text="Message numéro 26")).to_be_in_viewport()
            assert_no_horizontal_scroll(page)
            if not scripts:
                continue
            assert page.evaluate("document.activeElement.id") == "unread"  # read from there
            assert_accessible(page)
            # Everything is read now; a message arrives while she reads: it stays read.
            _joined(page)
            response = requests.post(
                f"{live_server}/api/v1/threads/{thread_id}/messages",
                json={"body": "Arrivé pendant sa lecture", "client_id": "live-1"},
                headers=headers,
                timeout=10,
            )
            assert response.status_code == 201, response.text
            page.locator(".message-body", has_text="Arrivé pendant sa lecture").wait_for()
            page.locator('#messages[data-read-seq="31"]').wait_for(state="attached")
            for url in ("/", f"/communities/{slug}", f"/communities/{slug}/threads"):
                page.goto(f"{live_server}{url}")
                expect(page.get_by_role("link", name="Le composteur du square")).to_have_attribute(
                    "href", f"/threads/{thread_id}"
                )
                assert "non lu" not in (page.locator("main").text_content() or "")
        finally:
            context.close()


def test_her_discussions_on_the_home_page_at_360_px(
    browser: Any, browser_context_args: dict[str, Any], live_server: str
) -> None:
    """The discussions of initiatives and rencontres she wrote in, with what is unread: they
    fit a phone and are accessible."""
    from community.threads import services
    from tests.events.factories import make_event
    from tests.initiatives.factories import make_initiative

    her, other = make_member(), make_member()
    community = make_community("Les Jardins du Bourg", members=(her, other))
    initiative = make_initiative(
        other, community=community, title="Un verger partagé au bout de la rue des Tilleuls"
    )
    rencontre = make_thread(community, title="Atelier de taille des arbres fruitiers", kind="event")
    make_event(community, other, title=rencontre.title, thread_id=rencontre.id)
    idea = db.session.get(type(rencontre), initiative.thread_id)
    for n, thread in enumerate((idea, rencontre)):
        services.post_message(her, thread, "J'en suis.", f"h{n}")
        services.post_message(other, thread, "Merci !", f"o{n}")
    db.session.commit()
    context = browser.new_context(**browser_context_args)
    context.route(re.compile(r"\.js(\?|$)"), lambda route: route.abort())  # axe only
    try:
        page = _log_in(context, live_server, her)
        page.goto(f"{live_server}/")
        section = page.locator("section[aria-labelledby=my-discussions]")
        expect(section.get_by_role("link", name="Un verger partagé", exact=False)).to_be_visible()
        expect(section.get_by_text("1 non lu").first).to_be_visible()
        assert_no_horizontal_scroll(page)
        assert_accessible(page)
    finally:
        context.close()


def test_replying_live_shows_the_link_and_the_hint_says_to_whom(
    browser: Any, browser_context_args: dict[str, Any], live_server: str, scene: dict[str, Any]
) -> None:
    """Found walking at 360 px: a reply sent live showed no "En réponse à" link (until a
    reload), the hint "Vous répondez" stayed after sending, never said to whom, and could not
    be taken back."""
    url = f"{live_server}/threads/{scene['thread'].id}"
    contexts = [browser.new_context(**browser_context_args) for _ in range(2)]
    try:
        alice = _log_in(contexts[0], live_server, scene["alice"])
        bob = _log_in(contexts[1], live_server, scene["bob"])
        for page in (alice, bob):
            page.goto(url)
            _joined(page)
        bob.fill("#body", "Qui a la clé du composteur ?")
        bob.click("#message-form button[type=submit]")
        question = alice.locator(".message", has_text="la clé du composteur")
        question.wait_for()
        question_id = question.get_attribute("data-message-id")

        # Reply: the hint names the author answered, and offers to take the reply back; in
        # place, without loading the page again (what she began to write stays), the address
        # saying what a reload would answer.
        alice.fill("#body", "Moi,")
        alice.evaluate("() => { window.sameDocument = true; }")
        question.locator("summary", has_text="Actions").click()
        question.get_by_role("link", name="Répondre").click()
        hint = alice.locator("#reply-hint")
        expect(hint).to_contain_text(f"Vous répondez au message de {scene['bob'].display_name}")
        assert alice.evaluate("() => window.sameDocument === true")
        expect(alice.locator("#body")).to_have_value("Moi,")
        expect(alice.locator("#body")).to_be_focused()
        assert f"reply_to={question_id}" in alice.url
        assert alice.locator('#message-form input[name="reply_to"]').input_value() == question_id
        assert question.locator("details[open]").count() == 0  # its menu closed
        # Screen readers hear it with the field.
        described = alice.locator("#body").get_attribute("aria-describedby") or ""
        assert "reply-hint" in described.split()
        assert_accessible(alice)
        assert_no_horizontal_scroll(alice)
        alice.fill("#body", "Moi, je la dépose chez Bob.")
        alice.click("#message-form button[type=submit]")

        # Live, on both pages: the reply link, as a server-rendered reply has.
        for page in (alice, bob):
            reply = page.locator(".message", has_text="je la dépose")
            link = reply.get_by_role("link", name="En réponse à un message précédent")
            expect(link).to_have_attribute("href", re.compile(rf"#message-{question_id}$"))
        # Sent: the hint goes, the form replies to nothing, a reload does not answer again.
        expect(alice.locator("#body")).to_have_value("")
        expect(alice.locator("#reply-hint")).to_have_count(0)
        assert alice.locator('#message-form input[name="reply_to"]').input_value() == ""
        assert "reply_to" not in alice.url
        assert "reply-hint" not in (alice.locator("#body").get_attribute("aria-describedby") or "")

        # Taken back with the keyboard: the next message answers nothing.
        question.locator("summary", has_text="Actions").click()
        question.get_by_role("link", name="Répondre").click()
        cancel = alice.get_by_role("link", name="Ne plus répondre")
        cancel.focus()
        alice.keyboard.press("Enter")
        expect(alice.locator("#reply-hint")).to_have_count(0)
        expect(alice.locator("#body")).to_be_focused()
        assert "reply_to" not in alice.url
        alice.fill("#body", "Une autre question : qui arrose ?")
        alice.click("#message-form button[type=submit]")
        other = bob.locator(".message", has_text="qui arrose")
        other.wait_for()
        assert other.locator(".message-reply").count() == 0
    finally:
        for context in contexts:
            context.close()


def test_replying_without_javascript_names_the_author_and_can_be_cancelled(
    browser: Any, browser_context_args: dict[str, Any], live_server: str, scene: dict[str, Any]
) -> None:
    from community.threads.services import post_message

    question = post_message(scene["bob"], scene["thread"], "Qui a la clé ?", "q-1").message
    db.session.commit()
    url = f"{live_server}/threads/{scene['thread'].id}"
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        page = _log_in(context, live_server, scene["alice"])
        page.goto(f"{url}?reply_to={question.id}#message-form")
        hint = page.locator("#reply-hint")
        assert f"Vous répondez au message de {scene['bob'].display_name}" in (
            hint.text_content() or ""
        )
        page.get_by_role("link", name="Ne plus répondre").click()
        page.wait_for_url(re.compile(rf"/threads/{scene['thread'].id}#message-form$"))
        assert page.locator("#reply-hint").count() == 0
        page.goto(f"{url}?reply_to={question.id}#message-form")
        page.fill("#body", "Moi.")
        page.click("#message-form button[type=submit]")
        mine = page.locator(".message", has_text="Moi.")
        mine.wait_for()
        assert mine.get_by_role("link", name="En réponse à un message précédent").count() == 1
        assert page.locator("#reply-hint").count() == 0
    finally:
        context.close()
