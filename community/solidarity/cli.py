"""`flask --app wsgi archive-signals`: archive solidarity signals past their retention."""

from __future__ import annotations

import click

from community.core.urls import outside_a_request
from community.extensions import db
from community.solidarity.services import archive_signals


@click.command("archive-signals")
def archive_signals_command() -> None:
    """Archive signals older than SIGNAL_RETENTION_MONTHS (their text is erased, counts stay)."""
    with outside_a_request():
        count = archive_signals()
        db.session.commit()
    click.echo(f"{count} signal(s) archivé(s).")
