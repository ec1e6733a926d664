"""E-mails against the real SMTP server of the suite (aiosmtpd): what was delivered."""

from __future__ import annotations

from datetime import timedelta
from email.header import decode_header, make_header

from community.core.models import utcnow
from community.extensions import db
from community.notifications import services
from community.notifications.cli import send_digests
from community.notifications.models import NotificationPreference
from tests.factories import make_member


def subject(message) -> str:  # type: ignore[no-untyped-def]
    return str(make_header(decode_header(message["Subject"])))


def test_immediate_mail_leaves_after_commit(outbox, prefer) -> None:  # type: ignore[no-untyped-def]
    member = make_member(display_name="Odile Immédiate")
    prefer(member, "immediate")
    notification = services.notify(member, "reply", "Karim vous a répondu", "/threads/4#m-2")
    assert notification is not None and notification.emailed_at is not None
    assert outbox.messages == []  # not before the commit
    db.session.commit()
    [message] = outbox.to(member.email)
    assert subject(message) == "Terreau : Karim vous a répondu"
    text = outbox.text_of(message)
    assert "Bonjour Odile Immédiate," in text
    assert "http://localhost/threads/4#m-2" in outbox.links_in(message)
    assert message.is_multipart()
    assert {p.get_content_type() for p in message.walk()} >= {"text/plain", "text/html"}
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith("<http://localhost/notifications/unsubscribe/")
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_text_part_speaks_french_and_the_subject_has_no_full_stop(outbox, prefer) -> None:  # type: ignore[no-untyped-def]
    """The plain-text part is translated too (its templates are extracted with the HTML
    ones), and a subject made of a notification's sentence drops its final full stop."""
    member = make_member(display_name="Odile Texte")
    prefer(member, "immediate")
    services.notify(member, "reply", "Karim vous a répondu dans « Le marché ».", "/threads/4")
    services.notify(member, "reply", "Karim vous a répondu...", "/threads/4")
    db.session.commit()
    first, second = outbox.to(member.email)
    assert subject(first) == "Terreau : Karim vous a répondu dans « Le marché »"
    assert subject(second) == "Terreau : Karim vous a répondu..."  # an ellipsis stays
    text = outbox.text_of(first)
    for english in ("See it on", "All your notifications", "Choose how often", "Stop these"):
        assert english not in text
    assert "Voir sur Terreau\u00a0:" in text
    assert "Toutes vos notifications\u00a0:" in text


def test_no_immediate_mail_when_rolled_back(outbox, prefer) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    prefer(member, "immediate")
    db.session.commit()
    services.notify(member, "reply", "Jamais envoyé", "/")
    db.session.rollback()
    db.session.commit()
    assert outbox.messages == []


def test_daily_members_get_no_immediate_mail(outbox) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    services.notify(member, "reply", "Pour le résumé", "/")
    db.session.commit()
    assert outbox.messages == []


def test_immediate_mail_in_the_members_language(outbox, prefer) -> None:  # type: ignore[no-untyped-def]
    member = make_member(display_name="Jo English", locale="en")
    prefer(member, "immediate")
    services.notify(member, "reply", "Someone replied", "/")
    db.session.commit()
    [message] = outbox.to(member.email)
    assert "Hello Jo English," in outbox.text_of(message)
    assert message["Subject"] == "Terreau: Someone replied"


def test_digest_groups_by_kind_and_is_sent_once(app, outbox) -> None:  # type: ignore[no-untyped-def]
    member = make_member(display_name="Lucie Résumé")
    services.notify(member, "reply", "Réponse un", "/threads/1")
    services.notify(member, "reply", "Réponse deux", "/threads/2")
    services.notify(member, "initiative_status", "Votre initiative est acceptée", "/initiatives/3")
    read = services.notify(member, "mention", "Déjà lue", "/")
    assert read is not None
    services.mark_read(member, [read.id])
    db.session.commit()
    sent, failed = send_digests()
    assert (sent, failed) == (1, 0)
    [message] = outbox.to(member.email)
    assert subject(message) == "Terreau : votre journée (3 nouvelles)"
    text = outbox.text_of(message)
    assert "## Réponses à vos messages (2)" in text
    assert "## Initiatives que vous suivez (1)" in text
    assert text.index("Réponse un") < text.index("Réponse deux") < text.index("Votre initiative")
    assert "Déjà lue" not in text
    assert "http://localhost/initiatives/3" in outbox.links_in(message)
    # Idempotent: a second run sends nothing, even with new news (not due before a day).
    outbox.clear()
    services.notify(member, "reply", "Réponse trois", "/")
    db.session.commit()
    assert send_digests() == (0, 0)
    assert outbox.messages == []
    # A day later, only what is new leaves.
    preference = db.session.get(NotificationPreference, member.id)
    preference.last_digest_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert send_digests() == (1, 0)
    [message] = outbox.to(member.email)
    assert "Réponse trois" in outbox.text_of(message) and "Réponse un" not in outbox.text_of(
        message
    )


def test_a_digest_of_one_news_says_it_in_the_singular(outbox) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    services.notify(member, "reply", "Une seule", "/threads/1")
    db.session.commit()
    assert send_digests() == (1, 0)
    [message] = outbox.to(member.email)
    assert subject(message) == "Terreau : votre journée (1 nouvelle)"


def test_weekly_digest_waits_a_week(outbox, prefer) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    prefer(member, "weekly", last_digest_at=utcnow() - timedelta(days=2))
    services.notify(member, "reply", "Hebdo", "/")
    db.session.commit()
    assert send_digests() == (0, 0)
    prefer(member, "weekly", last_digest_at=utcnow() - timedelta(days=7))
    db.session.commit()
    assert send_digests() == (1, 0)
    assert "votre semaine" in subject(outbox.to(member.email)[0])


def test_nothing_for_none_immediate_or_unconfirmed(outbox, prefer) -> None:  # type: ignore[no-untyped-def]
    quiet, eager, unconfirmed = make_member(), make_member(), make_member(confirmed=False)
    prefer(quiet, "none")
    prefer(eager, "immediate")
    for member in (quiet, eager, unconfirmed):
        services.notify(member, "reply", "x", "/")
    db.session.commit()
    outbox.clear()  # the immediate one
    assert send_digests() == (0, 0)
    assert outbox.messages == []


def test_unsubscribe_link_works_in_one_click(client, outbox, prefer) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    prefer(member, "immediate")
    services.notify(member, "reply", "Bonjour", "/")
    db.session.commit()
    [message] = outbox.to(member.email)
    link = next(url for url in outbox.links_in(message) if "/unsubscribe/" in url)
    path = link.removeprefix("http://localhost")
    page = client.get(path)
    assert page.status_code == 200
    assert services.email_frequency(member) == "immediate"  # a GET changes nothing
    # The mail client's one-click POST (RFC 8058): no session, no CSRF token.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "vous ne recevrez plus" in done.get_data(as_text=True)
    db.session.expire_all()
    assert services.email_frequency(member) == "none"


def test_a_forged_unsubscribe_link_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/notifications/unsubscribe/forged.token").status_code == 404
    assert client.post("/notifications/unsubscribe/forged.token").status_code == 404


def test_send_digests_command(app, outbox) -> None:  # type: ignore[no-untyped-def]
    member = make_member()
    services.notify(member, "reply", "Par la commande", "/")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-digests"])
    assert result.exit_code == 0, result.output
    assert "Résumés envoyés : 1" in result.output
    assert len(outbox.to(member.email)) == 1
    assert "Résumés envoyés : 0" in runner.invoke(args=["send-digests"]).output


def test_a_digest_leaves_out_news_of_a_message_hidden_or_deleted(app, outbox) -> None:  # type: ignore[no-untyped-def]
    """The digest tells what the bell counts (`_unread`): a reply a gardener hid, or its author
    deleted, is no news by e-mail either."""
    from community.threads import services as threads
    from tests.factories import make_community, make_thread

    asker, writer, gardener = make_member(), make_member(), make_member()
    community = make_community(citizen=gardener, members=(asker, writer))
    thread = make_thread(community, "Qui a la clé ?")
    with app.test_request_context():
        question = threads.post_message(asker, thread, "Qui a la clé ?", "q").message
        rude = threads.post_message(writer, thread, "Toi.", "r", reply_to=question.id).message
        oops = threads.post_message(writer, thread, "Oups.", "s", reply_to=question.id).message
        threads.post_message(writer, thread, "Ce soir, mairie.", "t", reply_to=question.id)
        threads.hide_message(gardener, rude, "Insulte")
        threads.delete_message(writer, oops)
    db.session.commit()
    assert send_digests()[1] == 0
    [message] = outbox.to(asker.email)
    assert subject(message) == "Terreau : votre journée (1 nouvelle)"
