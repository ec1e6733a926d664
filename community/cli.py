"""Command-line tasks: `flask --app wsgi seed-demo | create-admin EMAIL | demo-accounts`."""

from __future__ import annotations

import functools
from importlib import import_module
from typing import Any

import click
from flask import Flask, current_app

from community.auth.passwords import hash_password
from community.auth.services import check_password, find_by_email
from community.core.errors import Invalid
from community.core.mail import wait_for_background_mail
from community.core.models import utcnow
from community.core.search import rebuild
from community.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, database_is_empty, seed_demo
from community.extensions import db
from community.members.models import Member
from community.members.services import check_display_name, normalise_email


def init_cli(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(demo_accounts_command)
    app.cli.add_command(search_rebuild_command)
    app.cli.add_command(import_module("community.solidarity.cli").archive_signals_command)
    import_module("community.notifications.cli").init_cli(app)
    app.cli.add_command(import_module("community.events.cli").send_reminders_command)
    for command in app.cli.commands.values():
        _sends_before_returning(command)


def _sends_before_returning(command: click.Command) -> None:
    """A task run from cron (`send-reminders`, `notify-overdue`…) returns once the mails it
    queued have left: its process ends right after, and the mail worker's queue with it."""
    if isinstance(command, click.Group) or command.callback is None:
        return
    callback = command.callback
    if getattr(callback, "_waits_for_mail", False):
        return  # wrapped by an earlier `create_app()` (the command objects are the module's)

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        finally:
            wait_for_background_mail()

    run._waits_for_mail = True  # type: ignore[attr-defined]
    command.callback = run


def _print_demo_accounts() -> None:
    click.echo(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD})")
    for email, role, label in DEMO_ACCOUNTS:
        click.echo(f"  {email:<30} {role:<8} {label}")


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo commune into an empty database."""
    if not current_app.config["DEMO_ACCOUNTS_ENABLED"]:
        raise click.ClickException("demo data is refused in production")
    if not database_is_empty():
        click.echo("La base contient déjà des membres : données de démonstration non chargées.")
        return
    seed_demo()
    db.session.commit()
    click.echo("Données de démonstration chargées (les comptes : demo-accounts).")


@click.command("demo-accounts")
def demo_accounts_command() -> None:
    """Print the demo accounts."""
    if current_app.config["DEMO_ACCOUNTS_ENABLED"]:
        _print_demo_accounts()


@click.command("search-rebuild")
def search_rebuild_command() -> None:
    """Rebuild the search index of every searchable kind (idempotent)."""
    count = rebuild()
    db.session.commit()
    click.echo(f"Index de recherche reconstruit : {count} éléments.")


@click.command("create-admin")
@click.argument("email")
@click.option("--display-name", default="Administration", show_default=True)
@click.password_option(help="Asked for when not given.")
def create_admin_command(email: str, display_name: str, password: str) -> None:
    """Create an admin account, or make an existing member admin."""
    try:
        email = normalise_email(email)
        existing = find_by_email(email)
        if existing is not None:
            existing.role = "admin"
            existing.email_confirmed_at = existing.email_confirmed_at or utcnow()
            db.session.commit()
            click.echo(f"{email} est maintenant administrateur·rice.")
            return
        check_password(password)
        name = check_display_name(display_name, reserved_ok=True)  # the platform's own
    except Invalid as error:
        raise click.ClickException(f"{error.message} {error.errors or ''}") from None
    db.session.add(
        Member(
            email=email,
            display_name=name,
            display_name_key=name.casefold(),
            password_hash=hash_password(password),
            role="admin",
            email_confirmed_at=utcnow(),
        )
    )
    db.session.commit()
    click.echo(f"Compte administrateur créé : {email}")
