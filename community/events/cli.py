"""`flask send-reminders`: the day-before reminders, then the clean-up after rencontres."""

from __future__ import annotations

import click

from community.core.urls import outside_a_request
from community.events import attendance
from community.extensions import db


def send_reminders() -> tuple[int, int, int]:
    """Remind every place at tomorrow's rencontres (once each), close past rencontres and erase
    their guests' e-mails. Returns (reminded, closed, e-mails erased)."""
    with outside_a_request():  # links to PUBLIC_URL
        reminded = attendance.send_reminders()
        closed, erased = attendance.close_past_events()
        db.session.commit()
    return reminded, closed, erased


@click.command("send-reminders")
def send_reminders_command() -> None:
    """Remind those registered for tomorrow's rencontres; running it again sends nothing more."""
    reminded, closed, erased = send_reminders()
    click.echo(
        f"Rappels envoyés : {reminded} · rencontres terminées : {closed}"
        f" · e-mails d'invités effacés : {erased}"
    )
