"""`flask send-digests` and `flask notify-overdue`, for cron or a timer."""

from __future__ import annotations

import click
from flask import Flask

from community.core.urls import outside_a_request
from community.extensions import db
from community.notifications import services
from community.notifications.mails import deliver, digest_message
from community.notifications.push_cli import vapid_keys_command
from community.notifications.triggers import notify_overdue


def init_cli(app: Flask) -> None:
    app.cli.add_command(send_digests_command)
    app.cli.add_command(notify_overdue_command)
    app.cli.add_command(vapid_keys_command)


def send_digests() -> tuple[int, int]:
    """Send every due digest; returns (sent, failed). Each member's digest commits on its own."""
    sent = failed = 0
    with outside_a_request():  # links to PUBLIC_URL
        for member, frequency, notifications in services.due_digests():
            message = digest_message(member, notifications, frequency)
            if deliver(message):
                services.mark_digest_sent(member, notifications)
                db.session.commit()
                sent += 1
            else:
                db.session.rollback()
                failed += 1
    return sent, failed


@click.command("send-digests")
def send_digests_command() -> None:
    """Send the notification digests that are due; running it twice sends nothing more."""
    sent, failed = send_digests()
    click.echo(f"Résumés envoyés : {sent}" + (f", échecs : {failed}" if failed else ""))
    if failed:
        raise SystemExit(1)


@click.command("notify-overdue")
def notify_overdue_command() -> None:
    """Tell gardeners about initiatives past their answer deadline; each one is told once."""
    with outside_a_request():
        count = notify_overdue()
        db.session.commit()
    click.echo(f"Notifications d'initiatives en retard : {count}")
