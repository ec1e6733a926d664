"""Issue 13: deleting a message asks once; the thread page is quick to write in."""

from __future__ import annotations

from community.extensions import db
from community.threads import services
from tests.conftest import page_text
from tests.factories import make_community, make_member, make_thread


def test_deleting_a_message_asks_once(client):
    lea, other = make_member(), make_member()
    community = make_community(members=(lea, other))
    thread = make_thread(community)
    message = services.post_message(lea, thread, "Bonjour à tous", "c1").message
    client.login_as(lea)
    page = page_text(client.get(f"/threads/messages/{message.id}/delete"))
    assert "Supprimer mon message\u00a0?" in page and "Bonjour à tous" in page
    assert message.deleted_at is None
    client.post_form(f"/threads/messages/{message.id}/delete")
    db.session.expire_all()
    assert message.deleted_at is not None


def test_only_the_author_sees_the_confirmation(client):
    lea, other = make_member(), make_member()
    community = make_community(members=(lea, other))
    message = services.post_message(lea, make_thread(community), "Salut", "c1").message
    client.login_as(other)
    assert client.get(f"/threads/messages/{message.id}/delete").status_code == 403


def test_the_thread_page_leads_to_the_box_and_folds_the_actions(client):
    lea, other = make_member(), make_member()
    community = make_community(members=(lea, other))
    thread = make_thread(community)
    for n in range(8):
        services.post_message(other, thread, f"Message {n}", f"c{n}")
    mine = services.post_message(lea, thread, "Le mien", "c9").message
    client.login_as(lea)
    html = page_text(client.get(f"/threads/{thread.id}"))
    assert 'href="#message-form"' in html and ">Écrire<" in html
    # One disclosure per message: one Tab stop on the way to the box.
    assert html.count('<details class="message-menu">') == 9
    assert f'data-confirm-post="/threads/messages/{mine.id}/delete"' in html
    assert 'id="thread-offline"' in html and "Hors ligne" in html
    # The header is one line: a "Menu" disclosure that needs no JavaScript.
    assert '<details class="main-menu">' in html and "<summary>Menu</summary>" in html
