import threading

import pytest

from community.core.mail import build_message, send_mail
from community.extensions import db
from community.notifications.models import NotificationPreference
from tests.factories import make_member


@pytest.fixture
def prefer_immediately():  # type: ignore[no-untyped-def]
    def set_(member) -> None:  # type: ignore[no-untyped-def]
        db.session.merge(NotificationPreference(member_id=member.id, email_frequency="immediate"))
        db.session.flush()

    return set_


def test_console_backend_prints_the_decoded_mail(app, monkeypatch, capsys):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "console")
    with app.test_request_context():
        send_mail("lea@example.org", "Votre lien", "Bonjour Léa,\nhttp://localhost/x")
    printed = capsys.readouterr().err
    assert "mail to lea@example.org: Votre lien" in printed and "Bonjour Léa," in printed


def test_smtp_backend_delivers_text_and_html(app, outbox):
    with app.test_request_context():
        send_mail("lea@example.org", "Sujet accentué", "Texte é", "<p>HTML é</p>")
    [message] = outbox.to("lea@example.org")
    assert message["Subject"] == "Sujet accentué"
    assert outbox.text_of(message).strip() == "Texte é"
    assert message.get_body(preferencelist=("html",)).get_content().strip() == "<p>HTML é</p>"


@pytest.mark.parametrize("door", ["account", "notification", "rencontre"])
def test_no_commit_waits_for_the_mail_server(app, outbox, monkeypatch, prefer_immediately, door):
    """Every mail that follows a change leaves after the commit from the mail worker, never
    from the thread that committed: a request does not wait for the mail server, however many
    members a gardener's answer notifies at once (it waited for each, one after the other)."""
    from community.auth import mails as auth_mails
    from community.core import mail as core_mail
    from community.events import registrations
    from community.notifications import services as notifications
    from tests.events.factories import make_event
    from tests.factories import make_community

    monkeypatch.setitem(app.config, "MAIL_IN_BACKGROUND", True)
    committing = threading.get_ident()
    senders: list[int] = []
    real_send = core_mail.send

    def watching(message) -> None:  # type: ignore[no-untyped-def]
        senders.append(threading.get_ident())
        real_send(message)

    monkeypatch.setattr(core_mail, "send", watching)
    with app.test_request_context():
        member = make_member()
        if door == "account":
            auth_mails.deliver(auth_mails.confirmation_message, member)
        elif door == "notification":
            prefer_immediately(member)
            notifications.notify(member, "reply", "Karim vous a répondu", "/")
        else:
            registrations.register(member, make_event(make_community()))
        db.session.commit()
        core_mail.wait_for_background_mail()
    assert senders and committing not in senders
    assert outbox.to(member.email)


def test_mail_held_while_the_demo_is_seeded(app, outbox) -> None:
    from community.core.mail import held, send_after_commit

    with app.test_request_context():
        member = make_member()
        with held():
            send_after_commit(build_message(member.email, "Jamais", "Jamais envoyé"))
        send_after_commit(build_message(member.email, "Envoyé", "Envoyé"))
        db.session.commit()
    assert [m["Subject"] for m in outbox.to(member.email)] == ["Envoyé"]


def test_a_command_line_task_sends_its_mails_before_it_returns(app, outbox, monkeypatch) -> None:
    """`send-reminders` and `notify-overdue` run from cron: their process ends once they
    return, and the mail worker's queue with it. A command returns once its mails have left."""
    import time
    from datetime import timedelta

    from community.core import mail as core_mail
    from community.core.models import utcnow
    from tests.events.factories import make_event, make_registration
    from tests.factories import make_community

    monkeypatch.setitem(app.config, "MAIL_IN_BACKGROUND", True)
    real_send = core_mail.send

    def slow(message) -> None:  # type: ignore[no-untyped-def]
        time.sleep(0.3)  # a mail server that takes its time
        real_send(message)

    monkeypatch.setattr(core_mail, "send", slow)
    event = make_event(make_community(), starts_at=utcnow() + timedelta(hours=20))
    make_registration(event, None, guest_name="Camille", guest_email="camille@example.org")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Rappels envoyés : 1" in result.output
    assert outbox.to("camille@example.org")  # already sent, not still queued


def test_the_queue_is_waited_for_a_bounded_time(app, monkeypatch) -> None:
    from community.core import mail as core_mail

    monkeypatch.setitem(app.config, "MAIL_IN_BACKGROUND", True)
    release = threading.Event()
    monkeypatch.setattr(core_mail, "send", lambda message: release.wait(10))
    with app.test_request_context():
        core_mail.send_in_background(build_message("a@example.org", "Lent", "Lent"))
    assert core_mail.wait_for_background_mail(0.2) is False  # the mail server is slow
    release.set()
    assert core_mail.wait_for_background_mail(5) is True


def test_a_mail_that_fails_oddly_does_not_stop_the_worker(app, outbox, monkeypatch) -> None:
    """Whatever a send raises, the mail is logged and the worker goes on: a worker that died
    left the queue unhandled, and a command-line task waiting for it never returned."""
    from community.core import mail as core_mail

    monkeypatch.setitem(app.config, "MAIL_IN_BACKGROUND", True)
    real_send = core_mail.send

    def odd(message) -> None:  # type: ignore[no-untyped-def]
        if message["Subject"] == "Bizarre":
            raise ValueError("not a mail server's error")
        real_send(message)

    monkeypatch.setattr(core_mail, "send", odd)
    with app.test_request_context():
        core_mail.send_in_background(build_message("a@example.org", "Bizarre", "Bizarre"))
        core_mail.send_in_background(build_message("b@example.org", "Ensuite", "Ensuite"))
    assert core_mail.wait_for_background_mail(5) is True
    assert outbox.to("b@example.org")


def test_every_command_waits_for_the_mail_once(app) -> None:
    """`init_cli` runs at each `create_app()`: a command is wrapped once, not once per app."""
    from community import cli

    command = app.cli.commands["send-reminders"]
    wrapped = command.callback
    cli._sends_before_returning(command)
    assert command.callback is wrapped
